package qdrantbackup.store.s3;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import qdrantbackup.store.FollowingPut;
import qdrantbackup.store.Manifest;
import qdrantbackup.transfer.HashingCopy;

/** An {@link ObjectStore} passing calls on, counting some, failing others on cue: for the store's own tests. */
final class ScriptedObjects implements ObjectStore {
    private final ObjectStore delegate;
    private final Deque<RuntimeException> failures = new ArrayDeque<>();
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger reads = new AtomicInteger();
    final AtomicInteger filePuts = new AtomicInteger();
    volatile boolean refuseManifests;

    ScriptedObjects(ObjectStore delegate) {
        this.delegate = delegate;
    }

    /** The next calls (of any kind) throw these, in turn. */
    synchronized ScriptedObjects failNext(RuntimeException... next) {
        failures.addAll(List.of(next));
        return this;
    }

    private synchronized void call() {
        calls.incrementAndGet();
        RuntimeException next = failures.poll();
        if (next != null) {
            throw next;
        }
    }

    @Override
    public long partSize() {
        return delegate.partSize();
    }

    @Override
    public void put(String key, Path file, String sha256, ProgressListener progress) {
        call();
        filePuts.incrementAndGet();
        delegate.put(key, file, sha256, progress);
    }

    @Override
    public void put(String key, byte[] content) {
        call();
        if (refuseManifests && key.endsWith(Manifest.SUFFIX)) {
            throw new OffsiteException("upload " + key + " refused (injected)");
        }
        delegate.put(key, content);
    }

    @Override
    public FollowingPut follow(String key, Path file, long size, String sha256) {
        call();
        return delegate.follow(key, file, size, sha256);
    }

    @Override
    public HashingCopy.Result get(
            String key, Path target, long expectedSize, String expectedSha256, ProgressListener progress) {
        call();
        return delegate.get(key, target, expectedSize, expectedSha256, progress);
    }

    @Override
    public Optional<byte[]> read(String key, long maxBytes) {
        call();
        reads.incrementAndGet();
        return delegate.read(key, maxBytes);
    }

    @Override
    public Optional<ObjectInfo> stat(String key) {
        call();
        return delegate.stat(key);
    }

    @Override
    public List<ObjectInfo> list(String prefix) {
        call();
        return delegate.list(prefix);
    }

    @Override
    public void delete(Collection<String> keys) {
        call();
        delegate.delete(keys);
    }

    @Override
    public void checkWritable() {
        call();
        delegate.checkWritable();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
