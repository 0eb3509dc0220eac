package qdrantbackup.notify;

import java.time.Instant;

/**
 * A failure worth telling someone about.
 *
 * @param what       {@code backup}, {@code retention} or {@code restore}
 * @param collection the collection, or null when the whole run failed (e.g. Qdrant unreachable)
 * @param why        the one-line reason, as logged (never a secret)
 * @param when       when it failed
 */
public record Event(String what, String collection, String why, Instant when) {
    public static Event backup(String collection, String why) {
        return new Event("backup", collection, why, Instant.now());
    }

    public static Event retention(String collection, String why) {
        return new Event("retention", collection, why, Instant.now());
    }

    public static Event restore(String collection, String why) {
        return new Event("restore", collection, why, Instant.now());
    }

    /** A restore drill that failed: the backup could not be proven restorable. */
    public static Event drill(String collection, String why) {
        return new Event("drill", collection, why, Instant.now());
    }
}
