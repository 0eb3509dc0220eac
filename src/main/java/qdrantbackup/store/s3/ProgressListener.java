package qdrantbackup.store.s3;

/** Receives transfer progress: bytes done so far out of total (total is -1 when unknown). */
@FunctionalInterface
public interface ProgressListener {
    void bytes(long done, long total);

    ProgressListener NONE = (done, total) -> {};

    static ProgressListener orNone(ProgressListener l) {
        return l == null ? NONE : l;
    }
}
