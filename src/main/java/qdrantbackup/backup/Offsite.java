package qdrantbackup.backup;

import qdrantbackup.archive.ArchivedBackup;

/** Where archived backups are shipped. {@link #NONE} when no bucket is configured. */
public interface Offsite {
    /** False when offsite copies are off (no bucket configured). */
    boolean enabled();

    /** Where, for logs: e.g. {@code s3://bucket/prefix}. */
    String describe();

    /** Whether the target holds this backup already, with the same SHA-256. */
    boolean has(ArchivedBackup backup);

    /** Uploads the snapshot, then its manifest; an interrupted upload leaves nothing behind. */
    void upload(ArchivedBackup backup);

    /** Throws, naming the fix, when the target cannot be written (readiness, start-up). */
    default void checkWritable() {
    }

    Offsite NONE = new Offsite() {
        @Override
        public boolean enabled() {
            return false;
        }

        @Override
        public String describe() {
            return "none";
        }

        @Override
        public boolean has(ArchivedBackup backup) {
            return false;
        }

        @Override
        public void upload(ArchivedBackup backup) {
            throw new IllegalStateException("offsite is off: set offsite.bucket");
        }
    };
}
