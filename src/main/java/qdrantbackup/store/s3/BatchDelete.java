package qdrantbackup.store.s3;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Deletes keys with DeleteObjects in batches of 1,000, falling back for good to one DeleteObject per key (in
 * parallel) on a store that does not implement it. Per-key errors are collected and thrown together.
 */
final class BatchDelete {
    private static final Logger LOG = LoggerFactory.getLogger(BatchDelete.class);
    static final int DELETE_BATCH = 1_000;

    private final Supplier<S3Client> s3;
    private final MultipartCalls calls;
    private final S3Errors errors;
    private volatile boolean batchDeleteUnsupported;

    BatchDelete(Supplier<S3Client> s3, MultipartCalls calls) {
        this.s3 = s3;
        this.calls = calls;
        this.errors = calls.errors;
    }

    void delete(Collection<String> keys) {
        List<String> all = new ArrayList<>(keys);
        Map<String, String> failed = new LinkedHashMap<>();
        for (int from = 0; from < all.size(); from += DELETE_BATCH) {
            List<String> batch = all.subList(from, Math.min(all.size(), from + DELETE_BATCH));
            if (!batchDeleteUnsupported) {
                try {
                    deleteBatch(batch, failed);
                    continue;
                } catch (S3Exception e) {
                    if (e.statusCode() != 501) {
                        throw failBatch(batch, e, failed);
                    }
                    // SDK 2.30+ always sends x-amz-checksum-crc32 with DeleteObjects; S3Proxy and some other
                    // S3-compatible stores answer 501 NotImplemented: fall back to one DeleteObject per key.
                    LOG.warn(
                            "{} does not implement DeleteObjects as the SDK sends it ({}); deleting key by key",
                            errors.endpointName(),
                            errors.scrub(e.getMessage()));
                    batchDeleteUnsupported = true;
                } catch (SdkException e) {
                    throw failBatch(batch, e, failed);
                }
            }
            deleteOneByOne(batch, failed);
        }
        if (!failed.isEmpty()) {
            StringBuilder sb = new StringBuilder("could not delete ")
                    .append(failed.size())
                    .append(" of ")
                    .append(all.size())
                    .append(" objects in bucket ")
                    .append(errors.bucket())
                    .append(':');
            failed.entrySet().stream()
                    .limit(10)
                    .forEach(en ->
                            sb.append("\n  ").append(en.getKey()).append(" → ").append(en.getValue()));
            if (failed.size() > 10) {
                sb.append("\n  ... and ").append(failed.size() - 10).append(" more");
            }
            throw new OffsiteException(sb.toString(), null, failed);
        }
    }

    private void deleteBatch(List<String> batch, Map<String, String> failed) {
        List<ObjectIdentifier> ids = batch.stream()
                .map(k -> ObjectIdentifier.builder().key(k).build())
                .toList();
        DeleteObjectsResponse r = s3.get()
                .deleteObjects(b ->
                        b.bucket(errors.bucket()).delete(d -> d.objects(ids).quiet(true)));
        for (S3Error err : r.errors()) {
            failed.put(err.key(), err.code() + ": " + errors.scrub(err.message()));
        }
    }

    private void deleteOneByOne(List<String> batch, Map<String, String> failed) {
        ExecutorService pool = calls.pool(calls.settings.uploadThreads(), "s3-delete-");
        try {
            List<Future<?>> futures = new ArrayList<>();
            Map<String, String> found = new ConcurrentHashMap<>();
            for (String key : batch) {
                futures.add(pool.submit(() -> {
                    try {
                        s3.get().deleteObject(b -> b.bucket(errors.bucket()).key(key));
                    } catch (SdkException e) {
                        found.put(key, errors.translate("delete", key, e).getMessage());
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            batch.stream().filter(found::containsKey).forEach(k -> failed.put(k, found.get(k)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OffsiteException("delete in bucket " + errors.bucket() + " was interrupted", e, failed);
        } catch (ExecutionException e) {
            throw new OffsiteException("delete in bucket " + errors.bucket() + " failed: " + e.getCause(), e, failed);
        } finally {
            pool.shutdownNow();
        }
    }

    private OffsiteException failBatch(List<String> batch, SdkException e, Map<String, String> failed) {
        OffsiteException t = errors.translate("delete", batch.get(0) + " (batch of " + batch.size() + ")", e);
        batch.forEach(k -> failed.put(k, t.getMessage()));
        return new OffsiteException(t.getMessage(), e, failed);
    }
}
