package qdrantbackup.restore;

import java.nio.file.Path;
import java.util.List;

/**
 * Backups kept offsite, as a restore needs them: which snapshots a collection has there, and a
 * verified download of one (snapshot and manifest). {@link #NONE} when no bucket is configured.
 */
public interface OffsiteBackups {
    boolean enabled();

    /** Where, for messages: e.g. {@code s3://bucket/prefix}. */
    String describe();

    /** Snapshot file names of the collection that have a manifest beside them, newest first. */
    List<String> snapshots(String collection);

    /**
     * Downloads {@code <snapshot>} and {@code <snapshot>.json} into {@code folder}, snapshot first,
     * each verified and renamed into place only when complete.
     */
    void download(String collection, String snapshot, Path folder);

    OffsiteBackups NONE = new OffsiteBackups() {
        @Override
        public boolean enabled() {
            return false;
        }

        @Override
        public String describe() {
            return "none (no offsite.bucket set)";
        }

        @Override
        public List<String> snapshots(String collection) {
            return List.of();
        }

        @Override
        public void download(String collection, String snapshot, Path folder) {
            throw new IllegalStateException("offsite is off: set offsite.bucket");
        }
    };
}
