package qdrantbackup.store.s3;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qdrantbackup.store.FollowingPut;
import qdrantbackup.transfer.HashingCopy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Retries an operation that failed for a passing reason (a 5xx answer, a connection failure) with growing
 * pauses; never one that S3 refused (4xx: credentials, missing bucket, denied) nor a verification failure. The
 * SDK already retries each request a few times; this covers a store that is away for seconds. A multipart put
 * is aborted before it is retried as a whole; a put that follows a download is retried only while starting.
 */
public final class RetryingObjects implements ObjectStore {
    private static final Logger LOG = LoggerFactory.getLogger(RetryingObjects.class);

    /** How often and how patiently: {@code attempts} in all, the pause doubling from {@code firstPause}. */
    public record Policy(int attempts, Duration firstPause) {
        public static final Policy DEFAULT = new Policy(3, Duration.ofMillis(500));
    }

    /** Waits between attempts (a test passes one that does not). */
    interface Pause {
        void sleep(Duration d) throws InterruptedException;
    }

    private final ObjectStore delegate;
    private final Policy policy;
    private final Pause pause;

    public RetryingObjects(ObjectStore delegate, Policy policy) {
        this(delegate, policy, d -> Thread.sleep(d.toMillis()));
    }

    RetryingObjects(ObjectStore delegate, Policy policy, Pause pause) {
        this.delegate = delegate;
        this.policy = policy;
        this.pause = pause;
    }

    /** Whether a failure may pass: a 5xx (but 501, not implemented) or no answer at all. */
    static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof S3Exception s) {
                return s.statusCode() >= 500 && s.statusCode() != 501;
            }
            if (t instanceof SdkClientException c) {
                return c.getMessage() == null || !c.getMessage().contains("credentials");
            }
        }
        return false;
    }

    private <T> T retried(String what, Supplier<T> operation) {
        Duration wait = policy.firstPause();
        for (int attempt = 1; ; attempt++) {
            try {
                return operation.get();
            } catch (RuntimeException e) {
                if (attempt >= policy.attempts() || !isTransient(e)) {
                    throw e;
                }
                LOG.warn(
                        "{} failed (attempt {} of {}), retrying in {} ms: {}",
                        what,
                        attempt,
                        policy.attempts(),
                        wait.toMillis(),
                        e.getMessage());
                try {
                    pause.sleep(wait);
                } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                wait = wait.multipliedBy(2);
            }
        }
    }

    private void retried(String what, Runnable operation) {
        retried(what, () -> {
            operation.run();
            return null;
        });
    }

    @Override
    public long partSize() {
        return delegate.partSize();
    }

    @Override
    public void put(String key, Path file, String sha256, ProgressListener progress) {
        retried("upload " + key, () -> delegate.put(key, file, sha256, progress));
    }

    @Override
    public void put(String key, byte[] content) {
        retried("upload " + key, () -> delegate.put(key, content));
    }

    @Override
    public FollowingPut follow(String key, Path file, long size, String sha256) {
        return retried("start upload " + key, () -> delegate.follow(key, file, size, sha256));
    }

    @Override
    public HashingCopy.Result get(
            String key, Path target, long expectedSize, String expectedSha256, ProgressListener progress) {
        return retried("download " + key, () -> delegate.get(key, target, expectedSize, expectedSha256, progress));
    }

    @Override
    public HashingCopy.Result readThrough(String key) {
        return retried("read back " + key, () -> delegate.readThrough(key));
    }

    @Override
    public Optional<byte[]> read(String key, long maxBytes) {
        return retried("download " + key, () -> delegate.read(key, maxBytes));
    }

    @Override
    public Optional<ObjectInfo> stat(String key) {
        return retried("stat " + key, () -> delegate.stat(key));
    }

    @Override
    public List<ObjectInfo> list(String prefix) {
        return retried("list " + prefix, () -> delegate.list(prefix));
    }

    @Override
    public void delete(Collection<String> keys) {
        retried("delete " + keys.size() + " objects", () -> delegate.delete(keys));
    }

    @Override
    public void checkWritable() {
        retried("write probe", delegate::checkWritable);
    }

    @Override
    public void recordUploadsIn(Path stateDir) {
        delegate.recordUploadsIn(stateDir);
    }

    @Override
    public int abortAbandoned(java.time.Duration unexplainedAfter) {
        return retried("list open multipart uploads", () -> delegate.abortAbandoned(unexplainedAfter));
    }

    @Override
    public void close() {
        delegate.close();
    }
}
