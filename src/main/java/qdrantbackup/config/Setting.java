package qdrantbackup.config;

import java.util.List;
import java.util.Locale;

/**
 * One setting of the tool, declared once (see {@link SettingCatalogue}): its key, its type, its
 * default, a one-line explanation, and the values it allows. The typed reader ({@link Settings}),
 * the start-up checks and the unknown-setting check all take what they need from here.
 *
 * @param key         e.g. {@code backup.parallel}
 * @param type        how the value is written and read
 * @param byDefault   what applies when the setting is not set
 * @param explanation one line for an operator
 * @param min         the least whole number or size allowed, or null (INT and BYTES only)
 * @param choices     the allowed values (CHOICE only), else empty
 */
public record Setting(String key, Type type, Default byDefault, String explanation, Long min, List<String> choices) {

    /** How a value is written; each type is read through one method of {@link Settings}. */
    public enum Type {
        TEXT,
        /** Never logged: API keys, credentials, URLs holding a token. */
        SECRET,
        BOOL,
        INT,
        DURATION,
        BYTES,
        /** A Quartz cron expression. */
        CRON,
        URL,
        FOLDER,
        /** A time zone id such as UTC or Europe/Berlin. */
        ZONE,
        /** Comma-separated glob patterns. */
        GLOBS,
        /** One of {@link Setting#choices}. */
        CHOICE;

        /** Types whose value is plain text (read with {@link Settings#string}). */
        boolean isText() {
            return this != BOOL && this != INT && this != DURATION && this != BYTES;
        }

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What applies when a setting is not set. */
    public sealed interface Default {
        /** A fixed value; empty means the setting is unset (off, none, the default chain…). */
        record Value(String value) implements Default {}

        /** The value of another setting (itself set or defaulted), e.g. offsite.retention.daily → retention.daily. */
        record FallsBackTo(String key) implements Default {}

        /** {@code true} when another setting is set, else {@code false} (offsite.path-style ← offsite.endpoint). */
        record TrueWhenSet(String key) implements Default {}
    }

    public static Setting of(String key, Type type, String byDefault, String explanation) {
        return new Setting(key, type, new Default.Value(byDefault), explanation, null, List.of());
    }

    /** The same setting, allowing only {@code min} or more. */
    public Setting atLeast(long min) {
        return new Setting(key, type, byDefault, explanation, min, choices);
    }

    /** The same setting, allowing only these values. */
    public Setting oneOf(String... values) {
        return new Setting(key, type, byDefault, explanation, min, List.of(values));
    }

    /** The same setting, defaulting to the value of {@code other}. */
    public Setting fallsBackTo(String other) {
        return new Setting(key, type, new Default.FallsBackTo(other), explanation, min, choices);
    }

    /** The same setting (a bool), true by default when {@code other} is set. */
    public Setting trueWhenSet(String other) {
        return new Setting(key, type, new Default.TrueWhenSet(other), explanation, min, choices);
    }
}
