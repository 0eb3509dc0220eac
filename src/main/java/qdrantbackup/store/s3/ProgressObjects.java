package qdrantbackup.store.s3;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import qdrantbackup.store.FollowingPut;
import qdrantbackup.transfer.HashingCopy;
import qdrantbackup.transfer.TransferLog;

/**
 * Logs the progress of the transfers worth it (1 MiB and more: data files, not manifests) through {@link
 * TransferLog}: a line every few seconds and a closing one, passing the bytes on to the caller's listener too.
 */
public final class ProgressObjects implements ObjectStore {
    static final long LOGGED_FROM = 1L << 20;

    private final ObjectStore delegate;
    private final String bucket;

    public ProgressObjects(ObjectStore delegate, String bucket) {
        this.delegate = delegate;
        this.bucket = bucket;
    }

    private String where(String key) {
        return "s3://" + bucket + "/" + key;
    }

    private static String name(String key) {
        return key.substring(key.lastIndexOf('/') + 1);
    }

    private static ProgressListener both(TransferLog log, ProgressListener caller) {
        ProgressListener next = ProgressListener.orNone(caller);
        return (done, total) -> {
            if (total >= LOGGED_FROM) {
                log.bytes(done, total);
            }
            next.bytes(done, total);
        };
    }

    @Override
    public long partSize() {
        return delegate.partSize();
    }

    @Override
    public void put(String key, Path file, String sha256, ProgressListener progress) {
        TransferLog log = new TransferLog("upload " + name(key) + " to " + where(key));
        delegate.put(key, file, sha256, both(log, progress));
        long size = file.toFile().length();
        if (size >= LOGGED_FROM && Files.isRegularFile(file)) {
            log.done(size);
        }
    }

    @Override
    public void put(String key, byte[] content) {
        delegate.put(key, content);
    }

    @Override
    public FollowingPut follow(String key, Path file, long size, String sha256) {
        FollowingPut put = delegate.follow(key, file, size, sha256);
        TransferLog log = new TransferLog("upload " + name(key) + " to " + where(key) + " (during the download)");
        return new FollowingPut() {
            @Override
            public void written(long bytes) {
                put.written(bytes);
            }

            @Override
            public void complete(String sha) {
                put.complete(sha);
                log.done(size);
            }

            @Override
            public void abort() {
                put.abort();
            }
        };
    }

    @Override
    public HashingCopy.Result readThrough(String key) {
        return delegate.readThrough(key);
    }

    @Override
    public HashingCopy.Result get(
            String key, Path target, long expectedSize, String expectedSha256, ProgressListener progress) {
        TransferLog log = new TransferLog("download " + name(key) + " from " + where(key));
        HashingCopy.Result got = delegate.get(key, target, expectedSize, expectedSha256, both(log, progress));
        if (got.size() >= LOGGED_FROM) {
            log.done(got.size());
        }
        return got;
    }

    @Override
    public Optional<byte[]> read(String key, long maxBytes) {
        return delegate.read(key, maxBytes);
    }

    @Override
    public Optional<ObjectInfo> stat(String key) {
        return delegate.stat(key);
    }

    @Override
    public List<ObjectInfo> list(String prefix) {
        return delegate.list(prefix);
    }

    @Override
    public void delete(Collection<String> keys) {
        delegate.delete(keys);
    }

    @Override
    public void checkWritable() {
        delegate.checkWritable();
    }

    @Override
    public void recordUploadsIn(Path stateDir) {
        delegate.recordUploadsIn(stateDir);
    }

    @Override
    public int abortAbandoned(java.time.Duration unexplainedAfter) {
        return delegate.abortAbandoned(unexplainedAfter);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
