package qdrantbackup.backup;

import java.util.List;
import qdrantbackup.archive.ArchivedBackup;
import qdrantbackup.archive.Manifest;

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

    /**
     * Throws, with a message naming the bucket and the fix, when the target cannot be reached or
     * written (the readiness check). Default: nothing to check.
     */
    default void checkWritable() {
    }

    /**
     * The complete backups held offsite (snapshot and manifest both there), as their manifests;
     * {@code collection} null for all. Used by the catalogue; default: none known.
     */
    default List<Manifest> list(String collection) {
        return List.of();
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
