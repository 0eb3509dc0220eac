package qdrantbackup.store.s3;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The calls of a multipart upload, shared by {@link ParallelUpload} (a file on disk) and {@link
 * FollowingUpload} (a file still being written): create with the {@code sha256} metadata, one part streamed
 * from a slice of the file, complete, abort (saying how to clean up when even that fails), and the HEAD check
 * of the object made. Also the part size and the worker threads.
 */
final class MultipartCalls {
    private static final Logger LOG = LoggerFactory.getLogger(MultipartCalls.class);
    static final int MAX_PARTS = 10_000;

    private final Supplier<S3Client> s3;
    final S3Errors errors;
    final OffsiteSettings settings;
    private volatile UploadRecords records = UploadRecords.NONE;

    MultipartCalls(Supplier<S3Client> s3, S3Errors errors, OffsiteSettings settings) {
        this.s3 = s3;
        this.errors = errors;
        this.settings = settings;
    }

    /** From now on, uploads are recorded in {@code records} while open. */
    void recordIn(UploadRecords records) {
        this.records = records;
    }

    UploadRecords records() {
        return records;
    }

    Supplier<S3Client> client() {
        return s3;
    }

    /** Starts a multipart upload whose object will carry {@code hash} as its sha256 metadata (and records it). */
    String create(String key, String hash) {
        try {
            String id = s3.get()
                    .createMultipartUpload(b -> b.bucket(errors.bucket())
                            .key(key)
                            .contentType("application/octet-stream")
                            .metadata(Map.of(S3Objects.SHA256_METADATA, hash)))
                    .uploadId();
            records.opened(key, id);
            return id;
        } catch (SdkException e) {
            throw errors.translate("start multipart upload", key, e);
        }
    }

    CompletedPart part(FileChannel channel, String key, String uploadId, int partNumber, long offset, long length) {
        String etag = s3.get()
                .uploadPart(
                        b -> b.bucket(errors.bucket())
                                .key(key)
                                .uploadId(uploadId)
                                .partNumber(partNumber)
                                .contentLength(length),
                        S3Clients.fileSlice(channel, offset, length))
                .eTag();
        if (partNumber == 2) {
            qdrantbackup.transfer.CrashPoint.reached("offsite.mid-upload");
        }
        return CompletedPart.builder().partNumber(partNumber).eTag(etag).build();
    }

    void complete(String key, String uploadId, List<CompletedPart> parts) {
        s3.get()
                .completeMultipartUpload(b -> b.bucket(errors.bucket())
                        .key(key)
                        .uploadId(uploadId)
                        .multipartUpload(
                                CompletedMultipartUpload.builder().parts(parts).build()));
        records.closed(uploadId);
    }

    /** Aborts; when that fails too, logs how to clean up and adds it to {@code failure} as suppressed. */
    void abort(String key, String uploadId, RuntimeException failure) {
        try {
            s3.get()
                    .abortMultipartUpload(
                            b -> b.bucket(errors.bucket()).key(key).uploadId(uploadId));
            LOG.warn("aborted multipart upload {} of {}", uploadId, errors.where(key));
            records.closed(uploadId);
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                LOG.warn("multipart upload {} of {} is already gone", uploadId, errors.where(key));
                records.closed(uploadId);
                return;
            }
            abortFailed(key, uploadId, failure, e);
        } catch (RuntimeException e) {
            abortFailed(key, uploadId, failure, e);
        }
    }

    private void abortFailed(String key, String uploadId, RuntimeException failure, RuntimeException e) {
        LOG.error(
                "could not abort multipart upload {} of {}: abort it by hand or set a bucket lifecycle rule "
                        + "AbortIncompleteMultipartUpload",
                uploadId,
                errors.where(key));
        failure.addSuppressed(new OffsiteException("could not abort multipart upload " + uploadId + " of "
                + errors.where(key) + " (" + errors.scrub(e.getMessage()) + "): abort it by hand or set a lifecycle "
                + "rule AbortIncompleteMultipartUpload"));
    }

    /** Checks with a HEAD that the object made has the size and the sha256 metadata expected. */
    void verify(String key, long size, String hash) {
        HeadObjectResponse head;
        try {
            head = s3.get().headObject(b -> b.bucket(errors.bucket()).key(key));
        } catch (SdkException e) {
            throw errors.translate("check uploaded object", key, e);
        }
        String remoteHash = head.metadata().get(S3Objects.SHA256_METADATA);
        if (head.contentLength() == null || head.contentLength() != size || !hash.equalsIgnoreCase(remoteHash)) {
            throw new OffsiteException("uploaded object " + errors.where(key) + " does not match: size "
                    + head.contentLength() + " (expected " + size + "), sha256 metadata " + remoteHash + " (expected "
                    + hash + ")");
        }
    }

    /** Part size grown (in whole MiB) so that the file fits S3's 10,000-part limit. */
    static long partSizeFor(long size, long configured) {
        long partSize = configured;
        if ((size + partSize - 1) / partSize > MAX_PARTS) {
            long needed = (size + MAX_PARTS - 1) / MAX_PARTS;
            partSize = ((needed + OffsiteSettings.MIB - 1) / OffsiteSettings.MIB) * OffsiteSettings.MIB;
        }
        return partSize;
    }

    ExecutorService pool(int threads, String prefix) {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory daemons = r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        return Executors.newFixedThreadPool(Math.max(1, threads), daemons);
    }

    /** Waits for the parts in flight to finish: none may land after the abort (S3 would keep it). */
    static void awaitQuietly(ExecutorService pool) {
        try {
            if (!pool.awaitTermination(2, TimeUnit.MINUTES)) {
                LOG.warn("part uploads still running after abort request");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing the upload's file failed", e);
        }
    }
}
