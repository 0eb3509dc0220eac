package qdrantbackup.backup;

import java.nio.file.Path;
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
     * Starts uploading a snapshot while it is still being downloaded into {@code partFile}, or returns null when
     * that is not possible (unknown checksum, small file, target refuses): the archived file is uploaded afterwards.
     * The object becomes visible only through {@link Streaming#complete}, after the download was verified.
     */
    default Streaming stream(String collection, String snapshot, Path partFile, long size, String sha256) {
        return null;
    }

    /** An upload that follows a download in progress. */
    interface Streaming {
        /** The first {@code bytes} of the file are written: parts they complete may go up now. Never throws. */
        void written(long bytes);

        /** The download was verified and archived: finish the object (then the manifest), or abort and throw. */
        void complete(ArchivedBackup backup);

        /** The download failed or the job ended otherwise: abort, leaving nothing behind. Never throws. */
        void abort();
    }

    /**
     * Throws, with a message naming the bucket and the fix, when the target cannot be reached or
     * written (the readiness check). Default: nothing to check.
     */
    default void checkWritable() {}

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
