package qdrantbackup.config;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.camel.CamelContext;

/**
 * Typed access to the settings (application.properties, overridden by environment variables such as
 * QDRANT_URL for qdrant.url). Every bad value fails with one line naming the setting, the value and
 * the fix.
 */
public final class Settings {
    private final Function<String, Optional<String>> source;
    private final Set<String> read = ConcurrentHashMap.newKeySet();

    public Settings(Function<String, Optional<String>> source) {
        this.source = source;
    }

    public static Settings of(CamelContext camel) {
        return new Settings(key -> camel.getPropertiesComponent().resolveProperty(key));
    }

    /** The keys read so far: the settings this tool knows. */
    public Set<String> known() {
        return Set.copyOf(read);
    }

    /**
     * Marks settings as known without reading them: for a feature that reads its settings only when
     * it is on (so that switching it off does not make them unknown settings, see UnknownSettings).
     */
    public void declare(String... keys) {
        read.addAll(java.util.List.of(keys));
    }

    public Optional<String> find(String key) {
        read.add(key);
        return source.apply(key).map(String::strip).filter(v -> !v.isEmpty());
    }

    public String get(String key, String fallback) {
        return find(key).orElse(fallback);
    }

    public boolean bool(String key, boolean fallback) {
        return find(key)
                .map(v -> switch (v.toLowerCase()) {
                    case "true", "yes", "on" -> true;
                    case "false", "no", "off" -> false;
                    default -> throw invalid(key, v, "use true or false");
                })
                .orElse(fallback);
    }

    public int integer(String key, int fallback) {
        return find(key)
                .map(v -> {
                    try {
                        return Integer.parseInt(v);
                    } catch (NumberFormatException e) {
                        throw invalid(key, v, "use a whole number");
                    }
                })
                .orElse(fallback);
    }

    /** A whole number that must be at least {@code min}. */
    public int integer(String key, int fallback, int min) {
        int value = integer(key, fallback);
        if (value < min) {
            throw invalid(key, String.valueOf(value), "use a number of at least " + min);
        }
        return value;
    }

    /** A duration: {@code 30s}, {@code 5m}, {@code 2h}, {@code 500ms}, ISO-8601 {@code PT30S}, or seconds. */
    public Duration duration(String key, Duration fallback) {
        return find(key).map(v -> parseDuration(key, v)).orElse(fallback);
    }

    /** Bytes: {@code 16MB}, {@code 512KB}, {@code 1GB} (powers of 1024), or a plain number. */
    public long bytes(String key, long fallback) {
        return find(key)
                .map(v -> {
                    String s = v.toUpperCase().replace("IB", "B");
                    long unit =
                            s.endsWith("KB") ? 1L << 10 : s.endsWith("MB") ? 1L << 20 : s.endsWith("GB") ? 1L << 30 : 1;
                    try {
                        return Long.parseLong(
                                        unit == 1
                                                ? s
                                                : s.substring(0, s.length() - 2).strip())
                                * unit;
                    } catch (NumberFormatException e) {
                        throw invalid(key, v, "use a size such as 16MB");
                    }
                })
                .orElse(fallback);
    }

    static Duration parseDuration(String key, String v) {
        try {
            if (v.startsWith("P") || v.startsWith("p")) {
                return Duration.parse(v.toUpperCase());
            }
            String number = v.replaceAll("[a-zA-Z]+$", "").strip();
            String unit = v.substring(number.length()).strip().toLowerCase();
            long n = Long.parseLong(number);
            return switch (unit) {
                case "", "s" -> Duration.ofSeconds(n);
                case "ms" -> Duration.ofMillis(n);
                case "m", "min" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> throw new NumberFormatException(unit);
            };
        } catch (RuntimeException e) {
            throw invalid(key, v, "use a duration such as 30s, 5m or 2h");
        }
    }

    public static SettingException invalid(String key, String value, String fix) {
        return new SettingException("setting " + key + "=" + value + " is invalid: " + fix);
    }

    /** A setting that cannot work; the message is the one line an operator needs. */
    public static class SettingException extends IllegalArgumentException {
        public SettingException(String message) {
            super(message);
        }
    }
}
