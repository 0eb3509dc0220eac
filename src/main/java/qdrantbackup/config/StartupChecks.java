package qdrantbackup.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import org.quartz.CronExpression;

/**
 * Checks run while the application wires itself, so that a setting that cannot work stops the
 * start with one line naming the setting, its value and the fix (never a stack trace hours later).
 * Folders are checked without being created: a backup that never ran leaves no trace.
 */
public final class StartupChecks {
    private StartupChecks() {}

    /** Reads a Quartz cron setting and refuses an expression Quartz would refuse. */
    public static String cron(Settings settings, String key) {
        requireType(key, Setting.Type.CRON);
        String value = settings.string(key);
        try {
            CronExpression.validateExpression(value);
        } catch (ParseException e) {
            throw Settings.invalid(
                    key,
                    value,
                    "it is not a Quartz cron expression (" + e.getMessage()
                            + "); use six or seven fields: sec min hour day-of-month month day-of-week [year], with ? in one"
                            + " of the day fields, e.g. 0 0 2 * * ?");
        }
        return value;
    }

    /**
     * Reads an http(s) URL setting that must name a scheme and a host; the fix shows the declared default.
     */
    public static String httpUrl(Settings settings, String key) {
        requireType(key, Setting.Type.URL);
        String value = settings.string(key);
        if (!value.matches("(?i)https?://.+")) {
            throw Settings.invalid(
                    key,
                    withoutCredentials(value),
                    "give the scheme and host, e.g. " + Settings.defaults().string(key));
        }
        return value;
    }

    /** The URL without a {@code user:password@} (also when the scheme is missing or misspelt): for messages. */
    public static String withoutCredentials(String url) {
        return url == null ? null : url.replaceFirst("^((?:[^:/?#@]+:)?//)?[^/?#@]*@", "$1***@");
    }

    /** Reads a folder setting: an existing folder must be readable and writable, a missing one creatable. */
    public static Path folder(Settings settings, String key) {
        requireType(key, Setting.Type.FOLDER);
        String value = settings.string(key);
        Path dir = Path.of(value).toAbsolutePath().normalize();
        String user = System.getProperty("user.name");
        if (Files.exists(dir)) {
            if (!Files.isDirectory(dir)) {
                throw Settings.invalid(key, value, dir + " is a file, not a folder: point " + key + " at a folder");
            }
            if (!Files.isReadable(dir) || !Files.isExecutable(dir)) {
                throw Settings.invalid(
                        key,
                        value,
                        "user " + user + " cannot read " + dir
                                + ": give it read access (chown/chmod u+rwx) or choose another folder");
            }
            if (!writable(dir)) {
                throw Settings.invalid(
                        key,
                        value,
                        "user " + user + " cannot write into " + dir
                                + ": give it write access (chown/chmod u+rwx) or choose another folder");
            }
            return dir;
        }
        Path parent = dir.getParent();
        while (parent != null && !Files.exists(parent)) {
            parent = parent.getParent();
        }
        if (parent == null || !Files.isDirectory(parent) || !writable(parent)) {
            throw Settings.invalid(
                    key,
                    value,
                    dir + " does not exist and user " + user + " cannot create it"
                            + (parent == null ? "" : " in " + parent) + ": create it with write access for " + user
                            + ", or choose another folder");
        }
        return dir;
    }

    /**
     * Runs a check that needs the outside world (e.g. the bucket's write probe) and turns its failure
     * into the one-line start-up error for {@code key}. {@code value} must not be a secret.
     */
    public static void probe(String key, String value, String fix, Runnable check) {
        try {
            check.run();
        } catch (Settings.SettingException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new Settings.SettingException("setting " + key + "=" + value + " does not work: "
                    + oneLine(e.getMessage()) + (fix == null ? "" : ": " + fix));
        }
    }

    /** Each check belongs to one type of setting: using it on another is a programming error. */
    private static void requireType(String key, Setting.Type type) {
        Setting.Type declared = SettingCatalogue.get(key).type();
        if (declared != type) {
            throw new IllegalStateException(
                    "setting " + key + " is declared as " + declared.label() + ", not " + type.label());
        }
    }

    /** Tries to create and delete a file: permissions bits lie under ACLs, read-only mounts and root. */
    static boolean writable(Path dir) {
        Path probe = dir.resolve(
                ".qdrant-backup-write-probe-" + ProcessHandle.current().pid());
        try {
            Files.deleteIfExists(probe);
            Files.createFile(probe);
            Files.delete(probe);
            return true;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    private static String oneLine(String s) {
        return s == null ? "no detail" : s.replaceAll("\\s*\\R\\s*", " ").strip();
    }
}
