package qdrantbackup.backup;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qdrantbackup.cluster.ClusterNodes;
import qdrantbackup.cluster.Node;
import qdrantbackup.cluster.ShardLayout;
import qdrantbackup.cluster.ShardPlan;
import qdrantbackup.qdrant.QdrantClient;
import qdrantbackup.qdrant.SnapshotInfo;
import qdrantbackup.store.ClusterSet;
import qdrantbackup.store.Manifest;
import qdrantbackup.store.local.LocalStore;
import qdrantbackup.transfer.CrashPoint;

/**
 * Backs up a collection of a Qdrant cluster as a set: one shard snapshot per shard, each from an Active
 * replica, under one manifest. Proof of coverage: every shard the collection must have is in the set, and the
 * layout read after the snapshots equals the one read before; otherwise the set is made once more, then the
 * collection FAILS with the reason. A partial set is never kept (see README "Clusters").
 */
public final class ClusterSetBackup {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterSetBackup.class);
    private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss");

    private final QdrantClient qdrant;
    private final ClusterNodes finder;
    private final LocalStore archive;
    private final CollectionSnapshot step;
    private final ShardDownloads downloads;
    private final Clock clock;
    private final Map<BackupJob, List<Node>> found = new ConcurrentHashMap<>();

    public ClusterSetBackup(
            QdrantClient qdrant,
            ClusterNodes finder,
            LocalStore archive,
            CollectionSnapshot step,
            qdrantbackup.qdrant.Retry retry,
            qdrantbackup.transfer.Transfers transfers,
            Path stateDir,
            int parallel,
            boolean deleteFromServer) {
        this.qdrant = qdrant;
        this.finder = finder;
        this.archive = archive;
        this.step = step;
        this.downloads = new ShardDownloads(retry, transfers, stateDir, parallel, deleteFromServer);
        this.clock = Clock.systemUTC();
    }

    /** Whether this collection is backed up as a cluster set (Qdrant runs as a cluster of several nodes). */
    public boolean handles(BackupJob job) {
        if (job.isFull()) {
            return false;
        }
        List<Node> nodes = finder.discover();
        if (nodes.isEmpty()) {
            return false;
        }
        found.put(job, nodes);
        return true;
    }

    /** Snapshots every shard, downloads the files verified, archives them with the set's manifest. */
    public BackupJob backup(BackupJob job) {
        job.start();
        String c = job.getCollection();
        List<Node> nodes = found.containsKey(job) ? found.remove(job) : finder.discover();
        Path folder = archive.folder(c);
        Manifest m = take(c, nodes, folder);
        CrashPoint.reached("backup.before-manifest"); // tests: the shard files are in, their manifest is not
        archive.put(m, folder);
        job.snapshot(new CollectionSnapshot.Taken(
                new SnapshotInfo(m.snapshot(), m.created(), m.totalSize(), null), m.pointCount(), m.createdAt()));
        job.archived(m);
        LOG.info(
                "{}: archived the cluster set {} ({} files, {} bytes, {} points)",
                c,
                m.snapshot(),
                m.dataFiles().size(),
                m.totalSize(),
                m.cluster().pointCount());
        return job;
    }

    /** A restore's safety copy of a cluster collection: a set in {@code folder} (pre-restore/), manifest beside. */
    public Manifest safetyCopy(String c, Path folder) {
        Manifest m = take(c, finder.discover(), folder);
        LocalStore.writeManifest(m, folder);
        return m;
    }

    /** Makes the set in {@code folder} (twice at most, see the class comment); its manifest is not written. */
    private Manifest take(String c, List<Node> nodes, Path folder) {
        String change = null;
        for (int attempt = 1; attempt <= 2; attempt++) {
            JsonNode info = qdrant.collectionInfo(c)
                    .orElseThrow(() -> new IllegalStateException("collection " + c + " no longer exists"));
            JsonNode config = info.path("config");
            ShardLayout before = ShardLayout.read(c, nodes, config.path("params"));
            List<ShardPlan.Piece> plan = ShardPlan.of(c, before, nodes);
            LOG.info(
                    "{}: cluster set of {} shard(s) from {} node(s) (attempt {})",
                    c,
                    plan.size(),
                    nodes.size(),
                    attempt);
            long countBefore = qdrant.countPoints(c);
            Map<String, String> aliases = step.aliasesOf(c);
            Instant started = clock.instant().truncatedTo(ChronoUnit.SECONDS);
            String setName = freeName(c, folder, started);
            List<ShardDownloads.Got> got;
            try {
                got = downloads.fetch(c, plan, folder, setName);
            } catch (RuntimeException e) {
                // a shard moved away between the read and its snapshot: the layout says so
                change = safeDifference(c, nodes, config, before);
                if (change == null) {
                    throw e;
                }
                LOG.warn(
                        "{}: the shard layout changed while the set was made ({}: {}); {}",
                        c,
                        change,
                        e.getMessage(),
                        attempt == 1 ? "making the set again" : "giving up");
                continue;
            }
            change = before.transfers().isEmpty()
                    ? before.differenceTo(ShardLayout.read(c, nodes, config.path("params")))
                    : "shard transfer(s) running: " + before.transfers();
            if (change == null) {
                long countAfter = qdrant.countPoints(c);
                Manifest m = manifest(c, nodes, got, before, config, aliases, started, countBefore, countAfter);
                m = m.withCluster(m.cluster().withPayloadSchema(payloadSchema(info)));
                // through qdrant.url: any node answers for every shard of the collection
                Fingerprinting fp = step.fingerprinting();
                return fp == null ? m : m.withFingerprint(fp.take(c, config, countBefore, countBefore != countAfter));
            }
            ShardDownloads.discard(got, folder);
            LOG.warn(
                    "{}: the shard layout changed while the set was made ({}); {}",
                    c,
                    change,
                    attempt == 1 ? "making the set again" : "giving up");
        }
        throw new IllegalStateException(c + ": the shard layout changed while the set was made, twice (" + change
                + "): no backup was kept, a set taken across a moving layout could miss or double points; the next"
                + " run tries again");
    }

    /**
     * The set's name from its start time, to the second. Two sets begun in the same second would share every
     * file name and the second would overwrite the first, so a taken second moves the name on to a free one.
     */
    static String freeName(String c, Path folder, Instant started) {
        for (Instant t = started; ; t = t.plusSeconds(1)) {
            String name = c + "-set-" + NAME_TIME.format(t.atOffset(ZoneOffset.UTC));
            if (!taken(folder, name + "-shard-")) {
                return name;
            }
        }
    }

    private static boolean taken(Path folder, String prefix) {
        if (!Files.isDirectory(folder)) {
            return false;
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.anyMatch(f -> f.getFileName().toString().startsWith(prefix));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }

    /** Each payload index of {@code payload_schema}: its type, and its params when it was created with some. */
    static Map<String, ClusterSet.PayloadIndex> payloadSchema(JsonNode info) {
        Map<String, ClusterSet.PayloadIndex> out = new TreeMap<>();
        info.path("payload_schema").properties().forEach(e -> {
            JsonNode params = e.getValue().path("params");
            out.put(
                    e.getKey(),
                    new ClusterSet.PayloadIndex(
                            e.getValue().path("data_type").asText(), params.isObject() ? params : null));
        });
        return out.isEmpty() ? null : out;
    }

    private static String safeDifference(String c, List<Node> nodes, JsonNode config, ShardLayout before) {
        try {
            return before.differenceTo(ShardLayout.read(c, nodes, config.path("params")));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private Manifest manifest(
            String c,
            List<Node> nodes,
            List<ShardDownloads.Got> got,
            ShardLayout layout,
            JsonNode config,
            Map<String, String> aliases,
            Instant started,
            long countBefore,
            long countAfter) {
        List<Manifest.DataFile> files = new ArrayList<>();
        List<ClusterSet.ShardFile> shards = new ArrayList<>();
        long shardPoints = 0;
        for (ShardDownloads.Got g : got) {
            files.add(new Manifest.DataFile(g.name(), g.size(), g.sha256()));
            shards.add(new ClusterSet.ShardFile(
                    g.name(),
                    g.piece().shardId(),
                    g.piece().shardKey(),
                    g.piece().node().peerId(),
                    g.size(),
                    g.sha256(),
                    g.piece().points()));
            shardPoints += g.piece().points();
        }
        List<ClusterSet.Node> described = new ArrayList<>();
        for (Node n : nodes) {
            described.add(new ClusterSet.Node(n.peerId(), n.url(), n.client().version()));
        }
        Manifest.DataFile first = files.get(0);
        return new Manifest(
                        c,
                        first.name(),
                        Manifest.COLLECTION,
                        first.size(),
                        first.sha256(),
                        started.toString(),
                        described.get(0).qdrantVersion(),
                        countBefore,
                        config,
                        aliases,
                        Tool.NAME_VERSION,
                        Manifest.FORMAT,
                        files)
                .withSnapshotFacts(countAfter, countBefore != countAfter, null)
                .withCluster(new ClusterSet(ClusterSet.SHARDS, described, shards, layout.describe(), shardPoints));
    }
}
