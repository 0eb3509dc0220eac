package qdrantbackup.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which node snapshots which shard: for every shard the collection must have, one Active replica, spread so
 * that no node makes more snapshots than it must. A shard with no Active replica (all Dead, Partial, …) means
 * no set: its data would be stale or missing.
 */
public final class ShardPlan {
    /** One shard to snapshot on one node. */
    public record Piece(int shardId, String shardKey, Node node, long points) {}

    private ShardPlan() {}

    public static List<Piece> of(String collection, ShardLayout layout, List<Node> nodes) {
        Map<String, Node> byPeer = new LinkedHashMap<>();
        nodes.forEach(n -> byPeer.put(n.peerId(), n));
        Map<String, Integer> load = new HashMap<>();
        List<Piece> pieces = new ArrayList<>();
        List<String> uncovered = new ArrayList<>();
        for (int id : layout.expectedShards()) {
            ShardLayout.Replica best = null;
            for (ShardLayout.Replica r : layout.replicas(id).values()) {
                if ("Active".equals(r.state())
                        && byPeer.containsKey(r.peerId())
                        && (best == null || load.getOrDefault(r.peerId(), 0) < load.getOrDefault(best.peerId(), 0))) {
                    best = r;
                }
            }
            if (best == null) {
                String key = layout.key(id);
                uncovered.add("shard " + id + (key == null ? "" : " (key " + key + ")") + " replicas "
                        + layout.replicas(id).values().stream()
                                .map(r -> "peer " + r.peerId() + " " + r.state())
                                .toList());
                continue;
            }
            load.merge(best.peerId(), 1, Integer::sum);
            pieces.add(new Piece(id, layout.key(id), byPeer.get(best.peerId()), best.points()));
        }
        if (!uncovered.isEmpty()) {
            throw new IllegalStateException(collection + ": no Active replica of " + String.join(", ", uncovered)
                    + ", so the set would miss data or hold stale data; wait until the cluster has recovered"
                    + " (GET /collections/" + collection + "/cluster shows every shard Active somewhere)");
        }
        return pieces;
    }
}
