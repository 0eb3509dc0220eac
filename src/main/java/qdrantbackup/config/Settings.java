package qdrantbackup.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.apache.camel.CamelContext;
import qdrantbackup.config.Setting.Default;
import qdrantbackup.config.Setting.Type;

/**
 * Typed access to the settings (application.properties, overridden by environment variables such as
 * QDRANT_URL for qdrant.url). Defaults and allowed values come from the declaration
 * ({@link SettingCatalogue}), never from the call site; reading an undeclared key throws
 * IllegalStateException. Every bad value fails with one line naming the setting, the value and the fix.
 */
public final class Settings {
    private static final Settings DEFAULTS = new Settings(key -> Optional.empty());

    private final Function<String, Optional<String>> source;

    public Settings(Function<String, Optional<String>> source) {
        this.source = source;
    }

    public static Settings of(CamelContext camel) {
        return new Settings(key -> camel.getPropertiesComponent().resolveProperty(key));
    }

    /** The declared defaults only, as if nothing were set. */
    public static Settings defaults() {
        return DEFAULTS;
    }

    /** Whether the operator set {@code key} (file, environment or override) to a non-empty value. */
    public boolean isSet(String key) {
        SettingCatalogue.get(key);
        return raw(key).isPresent();
    }

    /** The value, else the declared default; empty when neither is set (an optional setting that is off). */
    public Optional<String> find(String key) {
        return resolve(declared(key, Type.TEXT))
                .map(f -> f.setting().choices().isEmpty() ? f.value() : choice(f.setting(), f.value()));
    }

    /** The value, else the declared default, else the empty string. */
    public String string(String key) {
        return find(key).orElse("");
    }

    public boolean bool(String key) {
        return read(declared(key, Type.BOOL), Settings::parseBool);
    }

    public int integer(String key) {
        return read(declared(key, Type.INT), Settings::parseInt);
    }

    /** A duration: {@code 30s}, {@code 5m}, {@code 2h}, {@code 500ms}, ISO-8601 {@code PT30S}, or seconds. */
    public Duration duration(String key) {
        return read(declared(key, Type.DURATION), Settings::parseDuration);
    }

    /** Bytes: {@code 16MB}, {@code 512KB}, {@code 1GB} (powers of 1024), or a plain number. */
    public long bytes(String key) {
        return read(declared(key, Type.BYTES), Settings::parseBytes);
    }

    private interface Parser<T> {
        T parse(Setting s, String value);
    }

    /** A value and the setting it comes from (itself, or the one it falls back to). */
    private record Found(Setting setting, String value) {}

    private <T> T read(Setting s, Parser<T> parser) {
        Found found = resolve(s)
                .orElseThrow(() -> new IllegalStateException("setting " + s.key() + " is declared without a default"));
        return parser.parse(found.setting(), found.value());
    }

    /** The value set for {@code s}, else its default: a fixed value, another setting's, or a derived one. */
    private Optional<Found> resolve(Setting s) {
        Optional<String> value = raw(s.key());
        if (value.isPresent()) {
            return Optional.of(new Found(s, value.get()));
        }
        if (s.byDefault() instanceof Default.FallsBackTo f) {
            return resolve(SettingCatalogue.get(f.key()));
        }
        if (s.byDefault() instanceof Default.TrueWhenSet w) {
            return Optional.of(new Found(s, String.valueOf(raw(w.key()).isPresent())));
        }
        String byDefault = ((Default.Value) s.byDefault()).value();
        return byDefault.isEmpty() ? Optional.empty() : Optional.of(new Found(s, byDefault));
    }

    private Optional<String> raw(String key) {
        return source.apply(key).map(String::strip).filter(v -> !v.isEmpty());
    }

    /** The declaration of {@code key}, which must be read as {@code expected} (any text type for TEXT). */
    private static Setting declared(String key, Type expected) {
        Setting s = SettingCatalogue.get(key);
        boolean fits = expected == Type.TEXT ? s.type().isText() : s.type() == expected;
        if (!fits) {
            throw new IllegalStateException(
                    "setting " + key + " is declared as " + s.type().label() + ", not " + expected.label());
        }
        return s;
    }

    private static boolean parseBool(Setting s, String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw invalid(s.key(), v, "use true or false");
        };
    }

    private static int parseInt(Setting s, String v) {
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw invalid(s.key(), v, "use a whole number");
        }
        if (s.min() != null && n < s.min()) {
            throw invalid(s.key(), v, "use a number of at least " + s.min());
        }
        return n;
    }

    private static long parseBytes(Setting s, String v) {
        String t = v.toUpperCase(Locale.ROOT).replace("IB", "B");
        long unit = t.endsWith("KB") ? 1L << 10 : t.endsWith("MB") ? 1L << 20 : t.endsWith("GB") ? 1L << 30 : 1;
        long n;
        try {
            n = Long.parseLong(unit == 1 ? t : t.substring(0, t.length() - 2).strip()) * unit;
        } catch (NumberFormatException e) {
            throw invalid(s.key(), v, "use a size such as 16MB");
        }
        if (s.min() != null && n < s.min()) {
            throw invalid(s.key(), v, "use a size of at least " + size(s.min()));
        }
        return n;
    }

    /** A value of a CHOICE setting, spelt as declared (case and - for _ do not matter). */
    private static String choice(Setting s, String v) {
        String normal = v.toLowerCase(Locale.ROOT).replace('-', '_');
        if (!s.choices().contains(normal)) {
            throw invalid(s.key(), v, "use " + String.join(" or ", s.choices()));
        }
        return normal;
    }

    private static Duration parseDuration(Setting s, String v) {
        return parseDuration(s.key(), v);
    }

    static Duration parseDuration(String key, String v) {
        try {
            if (v.startsWith("P") || v.startsWith("p")) {
                return Duration.parse(v.toUpperCase(Locale.ROOT));
            }
            String number = v.replaceAll("[a-zA-Z]+$", "").strip();
            String unit = v.substring(number.length()).strip().toLowerCase(Locale.ROOT);
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

    /** {@code 5242880} → {@code 5MB}. */
    private static String size(long bytes) {
        if (bytes % (1L << 30) == 0) {
            return (bytes >> 30) + "GB";
        }
        if (bytes % (1L << 20) == 0) {
            return (bytes >> 20) + "MB";
        }
        return bytes % (1L << 10) == 0 ? (bytes >> 10) + "KB" : String.valueOf(bytes);
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
