package qdrantbackup.store.s3;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qdrantbackup.store.Manifest;
import qdrantbackup.transfer.SafeFiles;

/**
 * Reads the manifests a listing found: one GET each, a few in parallel, each kept by (key, size, last
 * modified) since a manifest never changes once written, so listing again costs only the listing. Objects
 * that are not manifests of ours (too large, not JSON, lacking fields) are skipped quietly, and remembered.
 */
final class ManifestReader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ManifestReader.class);
    /** Larger objects named *.json are not read as manifests: a manifest is a few KB. */
    static final long MAX_MANIFEST_BYTES = Manifest.MAX_BYTES;

    static final int THREADS = 4;
    private static final int CACHED = 20_000;
    private static final Optional<Manifest> NOT_A_MANIFEST = Optional.empty();

    private record Version(String key, long size, Instant lastModified) {}

    private final ObjectStore objects;
    private final Map<Version, Optional<Manifest>> cache =
            Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Version, Optional<Manifest>> eldest) {
                    return size() > CACHED;
                }
            });
    private final ExecutorService pool;

    ManifestReader(ObjectStore objects) {
        this.objects = objects;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "s3-manifests-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** The manifests among {@code candidates}, in their order; not-manifests and vanished objects left out. */
    List<Manifest> read(List<RemoteObject> candidates) {
        List<CompletableFuture<Optional<Manifest>>> reads = new ArrayList<>();
        for (RemoteObject o : candidates) {
            if (o.size() > MAX_MANIFEST_BYTES) {
                reads.add(CompletableFuture.completedFuture(NOT_A_MANIFEST));
                continue;
            }
            Version v = new Version(o.key(), o.size(), o.lastModified());
            Optional<Manifest> known = cache.get(v);
            reads.add(
                    known != null
                            ? CompletableFuture.completedFuture(known)
                            : CompletableFuture.supplyAsync(() -> fetch(v), pool));
        }
        List<Manifest> out = new ArrayList<>();
        for (CompletableFuture<Optional<Manifest>> r : reads) {
            try {
                r.join().ifPresent(out::add);
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException re ? re : e;
            }
        }
        return out;
    }

    private Optional<Manifest> fetch(Version v) {
        Optional<byte[]> bytes = objects.read(v.key(), MAX_MANIFEST_BYTES);
        if (bytes.isEmpty()) {
            return NOT_A_MANIFEST; // vanished since the listing (not cached: the key may come back)
        }
        Optional<Manifest> parsed = parse(v.key(), bytes.get());
        cache.put(v, parsed);
        return parsed;
    }

    private static Optional<Manifest> parse(String key, byte[] bytes) {
        try {
            Manifest m = SafeFiles.JSON.readValue(bytes, Manifest.class);
            if (m != null && m.isComplete()) {
                return Optional.of(m);
            }
            LOG.debug("{} lacks what a manifest names: not a backup", key);
        } catch (IOException | RuntimeException e) {
            LOG.debug("{} is not a manifest: {}", key, e.getMessage());
        }
        return NOT_A_MANIFEST;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
