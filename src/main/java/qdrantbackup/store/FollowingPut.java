package qdrantbackup.store;

/** A put of one data file that follows its download in progress; see {@link BackupStore#follow}. */
public interface FollowingPut {
    /** The first {@code bytes} of the file are written: what they complete may go up now. Never throws. */
    void written(long bytes);

    /**
     * The whole file was downloaded and hashes to {@code sha256}: finish the object, or abort and throw. The
     * manifest is not written here: the caller puts the set, which then finds this file in place.
     */
    void complete(String sha256);

    /** The download failed or the job ended otherwise: abort, leaving nothing behind. Never throws. */
    void abort();
}
