package qdrantbackup.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import qdrantbackup.testing.ClusterState.Coll;
import qdrantbackup.testing.ClusterState.Shard;

/**
 * The writes a {@link FakeCluster} node answers as Qdrant v1.19 in distributed mode: collection creation (replicas
 * spread over the live nodes), shard keys, deletion, aliases, and the S7 shard upload with its checksum, after
 * which the shard's other replicas go Dead, then Partial, then Active over a few polls (fact sheet §11).
 */
final class FakeClusterWrites {
    /** Polls of the collection after a recovery before the other replicas of its shard are Active again. */
    static final int RESYNC_POLLS = 3;

    private FakeClusterWrites() {}

    /** {@code PUT /collections/{c}}: CreateCollection; 409 when it exists. Caller holds the state lock. */
    static ResponseDefinition create(FakeCluster cluster, ClusterState state, String name, JsonNode body) {
        if (state.collections.containsKey(name)) {
            return NodeApi.error(409, "Wrong input: Collection `" + name + "` already exists!");
        }
        if (!body.has("vectors")) {
            return NodeApi.error(400, "Bad request: missing field `vectors`");
        }
        boolean custom = "custom".equals(body.path("sharding_method").asText("auto"));
        List<String> live = live(cluster);
        int replication = Math.min(body.path("replication_factor").asInt(1), live.size());
        Coll c = new Coll(
                name,
                body.path("replication_factor").asInt(1),
                body.path("write_consistency_factor").asInt(1),
                custom);
        c.created = body.deepCopy();
        if (!custom) {
            int shards = body.path("shard_number").asInt(live.size());
            for (int s = 0; s < shards; s++) {
                c.shards.put(s, place(new Shard(s, null), live, s, replication));
            }
        }
        state.collections.put(name, c);
        return ok(true);
    }

    /** {@code PUT /collections/{c}/shards}: CreateShardingKey, one shard per key, spread over the live nodes. */
    static ResponseDefinition shardKey(FakeCluster cluster, Coll c, JsonNode body) {
        if (!c.custom) {
            return NodeApi.error(400, "Bad request: Shard key can only be created for custom sharding");
        }
        String key = body.path("shard_key").asText();
        if (c.shards.values().stream().anyMatch(s -> key.equals(s.key))) {
            return NodeApi.error(400, "Bad request: Shard key " + key + " already exists");
        }
        List<String> live = live(cluster);
        int replication = Math.min(body.path("replication_factor").asInt(c.replication), live.size());
        int id = c.shards.isEmpty() ? 0 : c.shards.lastKey() + 1;
        c.shards.put(id, place(new Shard(id, key), live, id, replication));
        return ok(true);
    }

    /** {@code DELETE /collections/{c}}: the collection and its aliases go. */
    static ResponseDefinition delete(ClusterState state, Coll c) {
        state.collections.remove(c.name);
        state.aliases.values().removeIf(c.name::equals);
        return ok(true);
    }

    /** {@code POST /collections/aliases}: the actions in order, all or nothing. */
    static ResponseDefinition aliases(ClusterState state, JsonNode body) {
        Map<String, String> next = new java.util.TreeMap<>(state.aliases);
        for (JsonNode a : body.path("actions")) {
            if (a.has("delete_alias")) {
                String alias = a.path("delete_alias").path("alias_name").asText();
                if (next.remove(alias) == null) {
                    return NodeApi.error(404, "Not found: Alias " + alias + " does not exists!");
                }
            } else if (a.has("create_alias")) {
                String coll = a.path("create_alias").path("collection_name").asText();
                if (!state.collections.containsKey(coll)) {
                    return NodeApi.error(404, "Not found: Collection `" + coll + "` doesn't exist!");
                }
                next.put(a.path("create_alias").path("alias_name").asText(), coll);
            }
        }
        state.aliases.clear();
        state.aliases.putAll(next);
        return ok(true);
    }

    /** S7: checksum first (nothing touched on a mismatch), then the replica here Active, the others re-synced. */
    static ResponseDefinition upload(
            ClusterState state, FakeCluster.Node node, Coll c, Shard shard, byte[] tar, String checksum)
            throws IOException {
        String actual = FakeCluster.sha256(tar);
        if (checksum != null && !actual.equalsIgnoreCase(checksum.trim())) {
            // Qdrant passes the arguments swapped: "expected" is the file's hash
            return NodeApi.error(400, "Bad request: Checksum mismatch: expected " + actual + ", actual " + checksum);
        }
        if (node.refuseUploads.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return NodeApi.error(500, "Service internal error: No space left on device (os error 28)");
        }
        state.recover(shard, tar);
        shard.replicas.replaceAll((peer, st) -> "Dead");
        shard.replicas.put(node.peerId, "Active");
        shard.resyncFrom = node.peerId;
        shard.resyncPolls = RESYNC_POLLS;
        return ok(true);
    }

    /** One poll of the collection: re-syncing replicas move on, Dead → Partial → Active. */
    static void advance(Coll c) {
        for (Shard s : c.shards.values()) {
            if (s.resyncPolls <= 0) {
                continue;
            }
            s.resyncPolls--;
            String next = s.resyncPolls == 0 ? "Active" : "Partial";
            s.replicas.replaceAll((peer, st) -> peer.equals(s.resyncFrom) ? st : next);
        }
    }

    private static Shard place(Shard s, List<String> live, int index, int replication) {
        for (int r = 0; r < replication; r++) {
            s.replicas.put(live.get((index + r) % live.size()), "Active");
        }
        return s;
    }

    private static List<String> live(FakeCluster cluster) {
        List<String> out = new ArrayList<>();
        cluster.nodes().forEach(n -> {
            if (n.server != null) {
                out.add(n.peerId);
            }
        });
        return out;
    }

    private static ResponseDefinition ok(boolean b) {
        return NodeApi.okResult(ClusterState.JSON.getNodeFactory().booleanNode(b));
    }
}
