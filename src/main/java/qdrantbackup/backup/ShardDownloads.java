package qdrantbackup.backup;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qdrantbackup.cluster.ShardPlan.Piece;
import qdrantbackup.qdrant.QdrantClient;
import qdrantbackup.qdrant.QdrantException;
import qdrantbackup.qdrant.Retry;
import qdrantbackup.qdrant.SnapshotInfo;
import qdrantbackup.transfer.SafeFiles;
import qdrantbackup.transfer.Transfers;

/**
 * Makes and downloads the shard snapshots of a plan: the nodes in parallel ({@code backup.cluster.parallel} at a
 * time), one shard after another on each node. Each download is streamed and checked against Qdrant's SHA-256
 * as a collection snapshot's is; each server copy is recorded (one record per node and shard, so a crash's
 * leftovers are swept on every node) and deleted once downloaded. When any piece fails, the files already
 * downloaded are deleted: a set is whole or not there.
 */
final class ShardDownloads {
    private static final Logger LOG = LoggerFactory.getLogger(ShardDownloads.class);

    /** A downloaded shard file. */
    record Got(Piece piece, String name, long size, String sha256) {}

    private final Retry retry;
    private final Transfers transfers;
    private final Path stateDir;
    private final int parallel;
    private final boolean deleteFromServer;
    private final Map<String, ServerSnapshots> journals = new ConcurrentHashMap<>();

    ShardDownloads(Retry retry, Transfers transfers, Path stateDir, int parallel, boolean deleteFromServer) {
        this.retry = retry;
        this.transfers = transfers;
        this.stateDir = stateDir;
        this.parallel = parallel;
        this.deleteFromServer = deleteFromServer;
    }

    List<Got> fetch(String collection, List<Piece> plan, Path folder, String setName) {
        Map<String, List<Piece>> byNode = new LinkedHashMap<>();
        plan.forEach(p -> byNode.computeIfAbsent(p.node().peerId(), k -> new ArrayList<>())
                .add(p));
        List<Got> got = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(parallel, byNode.size())), r -> {
            Thread t = new Thread(r, "shard-snapshots");
            t.setDaemon(true);
            return t;
        });
        List<Future<?>> running = new ArrayList<>();
        for (List<Piece> pieces : byNode.values()) {
            running.add(pool.submit(() -> {
                for (Piece p : pieces) {
                    got.add(one(collection, p, folder, setName + "-shard-" + p.shardId() + ".snapshot"));
                }
                return null;
            }));
        }
        RuntimeException first = null;
        for (Future<?> f : running) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (first == null) {
                    first = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                first = new IllegalStateException("interrupted while the shard snapshots were made", e);
            }
        }
        pool.shutdownNow();
        if (first != null) {
            discard(got, folder);
            throw first;
        }
        List<Got> sorted = new ArrayList<>(got);
        sorted.sort(java.util.Comparator.comparingInt(g -> g.piece().shardId()));
        return sorted;
    }

    /** Deletes downloaded files of a set that will not be completed. */
    static void discard(List<Got> got, Path folder) {
        synchronized (got) {
            got.forEach(g -> SafeFiles.deleteQuietly(folder.resolve(g.name())));
        }
    }

    private Got one(String collection, Piece p, Path folder, String localName) {
        QdrantClient shard = p.node().client().shard(p.shardId());
        String record = "server-snapshots-" + p.node().peerId() + "-shard-" + p.shardId() + ".json";
        ServerSnapshots journal = journals.computeIfAbsent(record, k -> new ServerSnapshots(shard, stateDir, k));
        long t0 = System.nanoTime();
        SnapshotInfo info = journal.create(collection);
        try {
            SnapshotDownloader.Verified v =
                    new SnapshotDownloader(shard, retry, transfers).fetch(collection, folder, info, localName, null);
            LOG.info(
                    "{}: shard {} from {}: {} bytes, {} points, sha256 {} in {} ms",
                    collection,
                    p.shardId(),
                    p.node().label(),
                    v.size(),
                    p.points(),
                    v.sha256(),
                    (System.nanoTime() - t0) / 1_000_000);
            return new Got(p, localName, v.size(), v.sha256());
        } finally {
            if (deleteFromServer) {
                try {
                    shard.deleteSnapshot(collection, info.name());
                    journal.gone(collection, info.name());
                } catch (QdrantException e) {
                    LOG.warn(
                            "{}: could not delete shard snapshot {} from {} (the next run tries again): {}",
                            collection,
                            info.name(),
                            p.node().label(),
                            e.getMessage());
                }
            }
        }
    }
}
