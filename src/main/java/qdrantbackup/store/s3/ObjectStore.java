package qdrantbackup.store.s3;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import qdrantbackup.store.FollowingPut;
import qdrantbackup.transfer.HashingCopy;

/**
 * The object operations of one bucket that the S3 store is built from, by key. {@link S3Objects} talks to S3;
 * {@link RetryingObjects} and {@link ProgressObjects} wrap it. Failures are {@link OffsiteException}s whose
 * message names the bucket, the key and the fix.
 */
public interface ObjectStore extends AutoCloseable {
    /** Multipart uploads are recorded under {@code stateDir} while open, so that a crash's are found again. */
    default void recordUploadsIn(java.nio.file.Path stateDir) {}

    /** Aborts the multipart uploads a crash left open (see {@link AbandonedUploads}); returns how many. */
    default int abortAbandoned(java.time.Duration unexplainedAfter) {
        return 0;
    }

    /** Objects put whole up to this size; larger ones go up as multipart uploads of (about) this size. */
    long partSize();

    /**
     * Puts {@code file} as {@code key}, streamed from disk, with metadata {@code sha256} (computed when null):
     * one PUT below the part size, else a multipart upload with parts in parallel, aborted on any failure.
     * Repeating a put overwrites.
     */
    void put(String key, Path file, String sha256, ProgressListener progress);

    /** Puts a few bytes (a manifest) in one PUT, with their SHA-256 as metadata. */
    void put(String key, byte[] content);

    /**
     * Starts a multipart upload of {@code file} while it is still being written; the object appears only once
     * {@link FollowingPut#complete} was told the expected SHA-256. Throws when the upload cannot be started.
     */
    FollowingPut follow(String key, Path file, long size, String sha256);

    /**
     * Gets {@code key} into {@code target}: written to {@code <target>.part} while hashed, checked against the
     * object's sha256 metadata and against {@code expectedSize} / {@code expectedSha256} when given (-1 / null
     * when not), then given its final name durably. Nothing is left behind on failure.
     */
    HashingCopy.Result get(
            String key, Path target, long expectedSize, String expectedSha256, ProgressListener progress);

    /**
     * Reads {@code key} to the end and keeps nothing, hashing the bytes as they go by: its size and SHA-256 (the
     * bucket read-back). An object that does not exist is an {@link OffsiteException} saying so.
     */
    default HashingCopy.Result readThrough(String key) {
        throw new UnsupportedOperationException("this store cannot read objects back");
    }

    /** A small object whole; empty when it does not exist or is larger than {@code maxBytes}. */
    Optional<byte[]> read(String key, long maxBytes);

    /** HEAD of one object: size, sha256 metadata, last modified; empty when it does not exist. */
    Optional<ObjectInfo> stat(String key);

    /** Every object whose key starts with {@code prefix}, past any number of pages. */
    List<ObjectInfo> list(String prefix);

    /** Deletes the keys (each strictly under the store's prefix, else nothing is deleted and this throws). */
    void delete(Collection<String> keys);

    /** Puts and deletes a tiny probe object under the prefix; throws naming the fix when it cannot. */
    void checkWritable();

    @Override
    void close();
}
