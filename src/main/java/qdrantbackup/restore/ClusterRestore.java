package qdrantbackup.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qdrantbackup.cluster.ClusterNodes;
import qdrantbackup.cluster.Node;
import qdrantbackup.cluster.ShardLayout;
import qdrantbackup.qdrant.QdrantClient;
import qdrantbackup.qdrant.QdrantException;
import qdrantbackup.store.ClusterSet;
import qdrantbackup.store.Manifest;
import qdrantbackup.transfer.CrashPoint;
import qdrantbackup.transfer.SafeFiles;
import qdrantbackup.transfer.TransferLog;

/**
 * Puts a cluster set into a collection of any cluster (or of one node, where every shard is local): creates the
 * collection with the set's layout and config, recovers each shard file on a node holding a replica of that shard
 * ({@code priority=snapshot}, checked against its SHA-256) and re-creates the recorded payload indexes, then
 * waits until every replica of every shard is Active. A recover is never sent twice: after an error or a timeout
 * the state is polled, not asked again.
 */
final class ClusterRestore {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterRestore.class);

    private final QdrantClient root;
    private final ClusterNodes finder;
    private final Duration timeout;
    private final Duration poll;

    ClusterRestore(QdrantClient root, ClusterNodes finder, Duration timeout, Duration poll) {
        this.root = root;
        this.finder = finder;
        this.timeout = timeout;
        this.poll = poll;
    }

    /** The target's nodes; a single node (cluster disabled or one peer) is that node alone. */
    List<Node> nodes() {
        List<Node> found = finder.discover();
        if (!found.isEmpty()) {
            return found;
        }
        String peer = null;
        try {
            peer = root.get("read the cluster status", "/cluster")
                    .path("peer_id")
                    .asText(null);
        } catch (QdrantException e) {
            // a Qdrant without the cluster API: one node, every shard local
        }
        return List.of(new Node(peer == null ? "local" : peer, root.url(), root));
    }

    /** True when Qdrant runs as a cluster of several nodes (a safety copy must then be a set). */
    boolean clustered() {
        return !finder.discover().isEmpty();
    }

    /** Every data file of the set is beside {@code first}, whole, with the size the manifest recorded. */
    static void verify(Manifest m, Path first) {
        for (ClusterSet.ShardFile f : m.cluster().files()) {
            Path file = first.resolveSibling(f.name());
            if (!Files.isRegularFile(file)) {
                throw new RestoreRefused("the cluster set " + m.snapshot() + " lacks its file " + f.name() + " (shard "
                        + f.shardId() + ") beside " + first.getFileName() + "; nothing in Qdrant was changed; fetch the"
                        + " whole set again");
            }
            String problem = qdrantbackup.transfer.TarCheck.problem(file);
            // a shard snapshot has no config.json: only the collection-level check does not apply
            if (problem != null && !problem.contains("no config.json")) {
                throw new RestoreRefused("the file " + f.name() + " of the cluster set " + problem);
            }
            long size;
            try {
                size = Files.size(file);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
            if (size != f.size()) {
                throw RestoreInput.mismatch(file, "it has " + size + " bytes, the manifest says " + f.size());
            }
        }
    }

    /** Waits until every replica of every shard of {@code target} is Active (the layout of set {@code m}). */
    String waitActive(String target, Manifest m) {
        return waitActive(target, nodes(), params(m.cluster().layout()));
    }

    /** Creates {@code target} from the set and recovers every shard; returns what was recovered where. */
    String restore(String target, Manifest m, Path folder) {
        ClusterSet set = m.cluster();
        ClusterSet.Layout layout = set.layout();
        List<Node> nodes = nodes();
        boolean custom = "custom".equals(layout.shardingMethod());
        String path = "/collections/" + QdrantClient.seg(target);
        root.put("create collection " + target, path, createBody(m).toString());
        if (custom && layout.shardKeys() != null) {
            for (String key : layout.shardKeys()) {
                ObjectNode body = SafeFiles.JSON.createObjectNode().put("shard_key", key);
                root.put("create shard key " + key + " of " + target, path + "/shards", body.toString());
            }
        }
        JsonNode params = params(layout);
        ShardLayout now = ShardLayout.read(target, nodes, params);
        Map<String, Integer> byKey = new HashMap<>();
        for (int id : now.expectedShards()) {
            if (now.key(id) != null) {
                byKey.put(now.key(id), id);
            }
        }
        Map<String, Node> byPeer = new HashMap<>();
        nodes.forEach(n -> byPeer.put(n.peerId(), n));
        Map<String, Integer> load = new HashMap<>();
        for (ClusterSet.ShardFile f : set.files()) {
            Integer id = custom ? byKey.get(f.shardKey()) : Integer.valueOf(f.shardId());
            if (id == null) {
                throw new IllegalStateException(target + " has no shard for key " + f.shardKey() + " after creation");
            }
            Node on = holder(now, id, byPeer, load, nodes.size() == 1 ? nodes.get(0) : null);
            TransferLog log = new TransferLog("recover shard " + id + " of " + target + " on " + on.url());
            try {
                on.client()
                        .shard(id)
                        .uploadSnapshot(target, folder.resolve(f.name()), f.name(), f.sha256(), log::bytes);
            } catch (QdrantException e) {
                throw new IllegalStateException(
                        "node " + on.label() + " refused shard " + id + " (" + f.name() + "): " + e.getMessage(), e);
            }
            log.done(f.size());
            CrashPoint.reached("restore.set.after-first-shard"); // tests: a crash with the set half recovered
            LOG.info(
                    "restore: shard {} of {} recovered on {} ({} points in the set)",
                    id,
                    target,
                    on.label(),
                    f.points());
        }
        String indexes = payloadIndexes(target, set);
        return set.files().size() + " shard file(s) recovered on " + load.size() + " of " + nodes.size() + " node(s)"
                + indexes;
    }

    /**
     * Re-creates the recorded payload indexes: they belong to the collection, not to its shards, so a collection
     * made from the config and recovered shard by shard has none. Qdrant indexes the points already there.
     */
    private String payloadIndexes(String target, ClusterSet set) {
        if (set.payloadSchema() == null || set.payloadSchema().isEmpty()) {
            return "";
        }
        String path = "/collections/" + QdrantClient.seg(target) + "/index?wait=true";
        set.payloadSchema().forEach((field, index) -> {
            ObjectNode body = SafeFiles.JSON.createObjectNode().put("field_name", field);
            body.set("field_schema", index.fieldSchema());
            root.put("create the payload index " + field + " of " + target, path, body.toString());
        });
        LOG.info(
                "restore: {} payload index(es) of {} re-created: {}",
                set.payloadSchema().size(),
                target,
                set.payloadSchema().keySet());
        return ", " + set.payloadSchema().size() + " payload index(es) re-created";
    }

    /** Polls every node until every replica of every shard is Active and no transfer runs. */
    String waitActive(String target, List<Node> nodes, JsonNode params) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int polls = 1; ; polls++) {
            ShardLayout l = ShardLayout.read(target, nodes, params);
            List<String> waiting = new ArrayList<>();
            int replicas = 0;
            for (int id : l.expectedShards()) {
                for (ShardLayout.Replica r : l.replicas(id).values()) {
                    replicas++;
                    if (!"Active".equals(r.state())) {
                        waiting.add("shard " + id + " on peer " + r.peerId() + " " + r.state());
                    }
                }
            }
            if (waiting.isEmpty() && l.transfers().isEmpty()) {
                return l.expectedShards().size() + " shard(s), " + replicas + " replica(s) Active after " + polls
                        + " poll(s)";
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(target + ": replicas not Active after " + timeout.toSeconds() + "s: "
                        + waiting + "; raise restore.health-timeout for large collections");
            }
            try {
                Thread.sleep(poll.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the replicas of " + target, e);
            }
        }
    }

    /** A node with a replica of the shard, the least loaded; on one node, that node. */
    private static Node holder(
            ShardLayout now, int id, Map<String, Node> byPeer, Map<String, Integer> load, Node single) {
        Node best = single;
        for (String peer : now.replicas(id).keySet()) {
            Node n = byPeer.get(peer);
            if (n != null && (best == null || load.getOrDefault(peer, 0) < load.getOrDefault(best.peerId(), 0))) {
                best = n;
            }
        }
        if (best == null) {
            throw new IllegalStateException(
                    "shard " + id + " has no replica on a node that answers: " + now.replicas(id));
        }
        load.merge(best.peerId(), 1, Integer::sum);
        return best;
    }

    /** CreateCollection from the recorded config, with the recorded shard layout. */
    static ObjectNode createBody(Manifest m) {
        JsonNode config = m.config();
        ClusterSet.Layout layout = m.cluster().layout();
        ObjectNode body = config.path("params").deepCopy();
        body.put("replication_factor", layout.replicationFactor());
        body.put("write_consistency_factor", layout.writeConsistencyFactor());
        if ("custom".equals(layout.shardingMethod())) {
            body.put("sharding_method", "custom");
            body.remove("shard_number"); // custom: one shard per key, created with the keys
        } else {
            body.put("shard_number", layout.shardNumber());
        }
        copy(config, "hnsw_config", body, "hnsw_config");
        copy(config, "optimizer_config", body, "optimizers_config");
        copy(config, "wal_config", body, "wal_config");
        copy(config, "quantization_config", body, "quantization_config");
        return body;
    }

    private static void copy(JsonNode from, String field, ObjectNode to, String as) {
        if (from.hasNonNull(field)) {
            to.set(as, from.get(field));
        }
    }

    private static JsonNode params(ClusterSet.Layout layout) {
        return SafeFiles.JSON
                .createObjectNode()
                .put("shard_number", layout.shardNumber())
                .put("replication_factor", layout.replicationFactor())
                .put("sharding_method", layout.shardingMethod());
    }
}
