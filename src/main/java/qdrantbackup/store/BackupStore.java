package qdrantbackup.store;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A place that holds backups: the local archive or an S3 bucket. A backup is a set: one manifest and
 * the data files it lists. Only complete sets are ever listed: the data files are put first and the
 * manifest last, and deleted the other way round, so a manifest in a store means its files are there.
 * Backup, retention, restore, the catalogue, the metrics and readiness see stores only through this.
 */
public interface BackupStore {
    /** Where, for logs and messages: {@code local} ({@code /var/backups/qdrant}) or {@code s3://bucket/prefix}. */
    String describe();

    /** False only for {@link #NONE}, the store that stands for "no bucket configured". */
    default boolean enabled() {
        return true;
    }

    /** Collections that have a folder (or key prefix) here, sorted. */
    List<String> collections();

    /** The complete backups of one collection, newest first, as their manifests. */
    List<Manifest> list(String collection);

    /** Every complete backup here, by collection, newest first within each. */
    default List<Manifest> listAll() {
        return collections().stream().flatMap(c -> list(c).stream()).toList();
    }

    /** One complete backup by name, if held here. */
    default Optional<Manifest> find(String collection, String snapshot) {
        return list(collection).stream()
                .filter(m -> m.snapshot().equals(snapshot))
                .findFirst();
    }

    /** Whether this store holds the backup: its manifest, and every file with the same size and SHA-256. */
    boolean has(Manifest backup);

    /**
     * Puts a backup whose data files are in {@code folder} (named as the manifest lists them): the files
     * first, each verified, then the manifest. Repeating a put overwrites. A failed put leaves no manifest.
     */
    void put(Manifest backup, Path folder);

    /**
     * Starts putting one data file while it is still being downloaded into {@code partFile}, or returns null
     * when this store cannot (then the file is put once archived). Nothing becomes visible before
     * {@link FollowingPut#complete}.
     */
    default FollowingPut follow(String collection, Manifest.DataFile file, Path partFile) {
        return null;
    }

    /**
     * Fetches a backup into {@code folder}: each data file verified against the manifest's size and SHA-256
     * and given its final name only then, the manifest last. A failed fetch leaves no manifest behind.
     */
    void fetch(Manifest backup, Path folder);

    /**
     * Deletes backups: their data files first, then the manifests. A crash between leaves a manifest whose data is
     * gone: no listing shows it (a set is listed only whole), and the next start removes it.
     */
    void delete(List<Manifest> backups);

    /** Throws, with a message naming the place and the fix, when it cannot be written now. */
    void checkWritable();

    /** Removes what a crash left in this place that no listing shows (e.g. open multipart uploads); never fails. */
    default void cleanUp() {}

    /** No offsite store: lists nothing, refuses puts. */
    BackupStore NONE = new BackupStore() {
        @Override
        public String describe() {
            return "none (no offsite.bucket set)";
        }

        @Override
        public boolean enabled() {
            return false;
        }

        @Override
        public List<String> collections() {
            return List.of();
        }

        @Override
        public List<Manifest> list(String collection) {
            return List.of();
        }

        @Override
        public boolean has(Manifest backup) {
            return false;
        }

        @Override
        public void put(Manifest backup, Path folder) {
            throw new IllegalStateException("offsite is off: set offsite.bucket");
        }

        @Override
        public void fetch(Manifest backup, Path folder) {
            throw new IllegalStateException("offsite is off: set offsite.bucket");
        }

        @Override
        public void delete(List<Manifest> backups) {
            // nothing is held
        }

        @Override
        public void checkWritable() {
            // nothing to write
        }
    };
}
