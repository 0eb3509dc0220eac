package qdrantbackup.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import qdrantbackup.qdrant.QdrantException;
import qdrantbackup.store.ClusterSet;

/**
 * Where a collection's shards are: {@code GET /collections/{c}/cluster} on every node (each tells its own
 * replicas' states and point counts) and {@code config.params} of the collection. Two layouts are the same when
 * every shard has the same replicas in the same states and no transfer runs in either.
 */
public final class ShardLayout {
    /** A replica: the peer holding it, its state, its point count as that peer reported it. */
    public record Replica(String peerId, String state, long points) {}

    private final JsonNode params;
    private final TreeMap<Integer, Map<String, Replica>> shards = new TreeMap<>();
    private final Map<Integer, String> keys = new TreeMap<>();
    private final List<String> transfers = new ArrayList<>();

    private ShardLayout(JsonNode params) {
        this.params = params;
    }

    /**
     * Reads the layout from every node; a node that does not answer fails the read, naming each such node.
     */
    public static ShardLayout read(String collection, List<Node> nodes, JsonNode params) {
        ShardLayout layout = new ShardLayout(params);
        List<String> silent = new ArrayList<>();
        for (Node node : nodes) {
            JsonNode info;
            try {
                info = node.client()
                        .get(
                                "read the shards of " + collection,
                                "/collections/" + qdrantbackup.qdrant.QdrantClient.seg(collection) + "/cluster");
            } catch (QdrantException e) {
                silent.add(node.label() + ": " + e.getMessage());
                continue;
            }
            for (JsonNode s : info.path("local_shards")) {
                int id = s.path("shard_id").asInt();
                layout.shards
                        .computeIfAbsent(id, k -> new TreeMap<>())
                        .put(
                                node.peerId(),
                                new Replica(
                                        node.peerId(),
                                        s.path("state").asText(),
                                        s.path("points_count").asLong()));
                if (s.hasNonNull("shard_key")) {
                    layout.keys.put(id, s.path("shard_key").asText());
                }
            }
            for (JsonNode s : info.path("remote_shards")) {
                // known from the others too: a shard all of whose replicas sit on silent nodes still shows
                layout.shards.computeIfAbsent(s.path("shard_id").asInt(), k -> new TreeMap<>());
                if (s.hasNonNull("shard_key")) {
                    layout.keys.put(
                            s.path("shard_id").asInt(), s.path("shard_key").asText());
                }
            }
            for (JsonNode t : info.path("shard_transfers")) {
                layout.transfers.add("shard " + t.path("shard_id").asText() + " from peer "
                        + t.path("from").asText() + " to peer " + t.path("to").asText());
            }
        }
        if (!silent.isEmpty()) {
            throw new IllegalStateException(collection + ": " + silent.size() + " node(s) of the cluster did not"
                    + " answer, so no complete set can be made: " + String.join("; ", silent)
                    + "; bring the node(s) back or remove them from the cluster");
        }
        return layout;
    }

    public boolean custom() {
        return "custom".equals(params.path("sharding_method").asText("auto"));
    }

    /** The shard ids the collection must have: 0..shard_number-1, or under custom sharding every shard listed. */
    public List<Integer> expectedShards() {
        if (custom()) {
            return List.copyOf(shards.keySet());
        }
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < params.path("shard_number").asInt(1); i++) {
            ids.add(i);
        }
        return ids;
    }

    public Map<String, Replica> replicas(int shard) {
        return shards.getOrDefault(shard, Map.of());
    }

    public String key(int shard) {
        return keys.get(shard);
    }

    public List<String> transfers() {
        return List.copyOf(transfers);
    }

    /** What differs from {@code later}, in words, or null when nothing does. */
    public String differenceTo(ShardLayout later) {
        List<String> diff = new ArrayList<>();
        if (!later.transfers.isEmpty()) {
            diff.add("shard transfer(s) running: " + later.transfers);
        }
        for (Integer id : union(shards.keySet(), later.shards.keySet())) {
            Map<String, String> a = states(replicas(id));
            Map<String, String> b = states(later.replicas(id));
            if (!a.equals(b)) {
                diff.add("shard " + id + " replicas " + a + " became " + b);
            }
        }
        return diff.isEmpty() ? null : String.join("; ", diff);
    }

    private static List<Integer> union(java.util.Set<Integer> a, java.util.Set<Integer> b) {
        java.util.TreeSet<Integer> all = new java.util.TreeSet<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }

    private static Map<String, String> states(Map<String, Replica> replicas) {
        Map<String, String> out = new TreeMap<>();
        replicas.forEach((peer, r) -> out.put(peer, r.state()));
        return out;
    }

    /** The layout as the manifest records it. */
    public ClusterSet.Layout describe() {
        List<ClusterSet.Shard> list = new ArrayList<>();
        shards.forEach(
                (id, reps) -> list.add(new ClusterSet.Shard(id, keys.get(id), new LinkedHashMap<>(states(reps)))));
        List<String> keyList = custom() ? List.copyOf(new java.util.TreeSet<>(keys.values())) : null;
        return new ClusterSet.Layout(
                params.path("shard_number").asInt(1),
                params.path("replication_factor").asInt(1),
                params.path("write_consistency_factor").asInt(1),
                params.path("sharding_method").asText("auto"),
                keyList,
                list);
    }
}
