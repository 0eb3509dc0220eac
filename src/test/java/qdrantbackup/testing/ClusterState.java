package qdrantbackup.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The state a {@link FakeCluster}'s nodes share, as Qdrant's consensus keeps it: peers, collections with their
 * shard layout, replica placement and states, transfers, and the points each shard holds. Guarded by the
 * instance's own lock: every method is synchronized.
 */
public final class ClusterState {
    static final ObjectMapper JSON = new ObjectMapper();

    /** One point as the snapshot tars carry it. */
    public record Point(long id, double[] vector, Map<String, Object> payload) {}

    /** A shard: its key (custom sharding) and the peer of each replica with its state. */
    static final class Shard {
        final int id;
        final String key;
        final Map<String, String> replicas = new LinkedHashMap<>(); // peer id -> ReplicaState
        final TreeMap<Long, Point> points = new TreeMap<>();
        String resyncFrom; // after a recovery: the replica the others re-sync from
        int resyncPolls;

        Shard(int id, String key) {
            this.id = id;
            this.key = key;
        }
    }

    static final class Coll {
        final String name;
        final int replication;
        final int writeConsistency;
        final boolean custom;
        final TreeMap<Integer, Shard> shards = new TreeMap<>();
        final List<ObjectNode> transfers = new ArrayList<>();
        JsonNode created; // the CreateCollection body, when made over the API
        /** Payload indexes: field to its field_schema as created (a type name, or params with their type). */
        final Map<String, JsonNode> indexes = new TreeMap<>();

        Coll(String name, int replication, int writeConsistency, boolean custom) {
            this.name = name;
            this.replication = replication;
            this.writeConsistency = writeConsistency;
            this.custom = custom;
        }
    }

    final List<String> peers = new ArrayList<>();
    /** Random bytes added to every shard's data in a snapshot (benches: snapshots of a realistic size). */
    long padding;

    final Map<String, Coll> collections = new LinkedHashMap<>();
    final Map<String, String> aliases = new TreeMap<>();

    /** u64 peer ids beyond a Java long's range, as real clusters have. */
    static String peerId(int index) {
        return new BigInteger(FakeQdrant.PEER_ID)
                .add(BigInteger.valueOf(7919L * (index + 1)))
                .toString();
    }

    synchronized Coll coll(String name) {
        Coll c = collections.get(name);
        if (c == null && aliases.containsKey(name)) {
            c = collections.get(aliases.get(name));
        }
        return c;
    }

    /** The shards whose replica on {@code peer} exists, in shard order. */
    synchronized List<Shard> localShards(Coll c, String peer) {
        return c.shards.values().stream()
                .filter(s -> s.replicas.containsKey(peer))
                .toList();
    }

    synchronized long total(Coll c) {
        return c.shards.values().stream().mapToLong(s -> s.points.size()).sum();
    }

    /** {@code GET /collections/{c}/cluster} as {@code peer} answers it. */
    synchronized ObjectNode clusterInfo(Coll c, String peer) {
        ObjectNode r = JSON.createObjectNode();
        r.put("peer_id", new BigInteger(peer));
        r.put("shard_count", c.shards.size());
        ArrayNode local = r.putArray("local_shards");
        ArrayNode remote = r.putArray("remote_shards");
        for (Shard s : c.shards.values()) {
            for (Map.Entry<String, String> rep : s.replicas.entrySet()) {
                ObjectNode n = (rep.getKey().equals(peer) ? local : remote).addObject();
                n.put("shard_id", s.id);
                if (s.key != null) {
                    n.put("shard_key", s.key);
                }
                if (rep.getKey().equals(peer)) {
                    n.put("points_count", s.points.size());
                } else {
                    n.put("peer_id", new BigInteger(rep.getKey()));
                }
                n.put("state", rep.getValue());
            }
        }
        ArrayNode transfers = r.putArray("shard_transfers");
        c.transfers.forEach(transfers::add);
        return r;
    }

    /** {@code GET /collections/{c}}: CollectionInfo with the distributed params. */
    synchronized ObjectNode info(Coll c) {
        ObjectNode r = JSON.createObjectNode();
        r.put("status", "green").put("optimizer_status", "ok");
        r.put("indexed_vectors_count", 0).put("points_count", total(c)).put("segments_count", c.shards.size());
        r.set("config", config(c));
        r.set("payload_schema", FakeClusterPoints.payloadSchema(this, c));
        return r;
    }

    synchronized ObjectNode config(Coll c) {
        ObjectNode cfg = JSON.createObjectNode();
        ObjectNode p = cfg.putObject("params");
        p.set(
                "vectors",
                c.created != null
                        ? c.created.path("vectors")
                        : JSON.createObjectNode().put("size", 4).put("distance", "Cosine"));
        p.put("shard_number", c.custom ? 1 : c.shards.size());
        if (c.custom) {
            p.put("sharding_method", "custom");
        }
        p.put("replication_factor", c.replication);
        p.put("write_consistency_factor", c.writeConsistency);
        p.put("on_disk_payload", true);
        cfg.putObject("hnsw_config").put("m", 16).put("ef_construct", 100).put("full_scan_threshold", 10000);
        cfg.putObject("optimizer_config").put("deleted_threshold", 0.2).put("indexing_threshold", 10000);
        cfg.putObject("wal_config").put("wal_capacity_mb", 32).put("wal_segments_ahead", 0);
        cfg.putNull("quantization_config");
        return cfg;
    }

    /** The tar of one shard's replica: its state files and its points. */
    synchronized byte[] shardTar(Coll c, Shard s, String peer, long mtime) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("shard_config.json", "{\"type\":\"Local\"}");
        files.put("replica_state.json", replicaState(s, peer));
        files.put("newest_clocks.json", "{\"clocks\":[]}");
        files.put("fake_points.json", pointsJson(s));
        return tar(files, mtime, padding);
    }

    /** A node's collection snapshot: every shard's state files, data only for the node's local shards. */
    synchronized byte[] collectionTar(Coll c, String peer, long mtime) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("version.info", FakeQdrant.VERSION);
        files.put("config.json", config(c).toString());
        for (Shard s : c.shards.values()) {
            boolean local = s.replicas.containsKey(peer);
            files.put(s.id + "/shard_config.json", local ? "{\"type\":\"Local\"}" : "{\"type\":\"Remote\"}");
            files.put(s.id + "/replica_state.json", replicaState(s, peer));
            if (local) {
                files.put(s.id + "/fake_points.json", pointsJson(s));
            }
        }
        return tar(files, mtime, 0);
    }

    private static String replicaState(Shard s, String peer) {
        ObjectNode n = JSON.createObjectNode();
        n.put("this_peer_id", new BigInteger(peer));
        ObjectNode peers = n.putObject("peers");
        s.replicas.forEach(peers::put);
        if (s.key == null) {
            n.putNull("shard_key");
        } else {
            n.put("shard_key", s.key);
        }
        return n.toString();
    }

    private static String pointsJson(Shard s) {
        ArrayNode arr = JSON.createArrayNode();
        for (Point p : s.points.values()) {
            ObjectNode n = arr.addObject();
            n.put("id", p.id());
            ArrayNode v = n.putArray("vector");
            for (double d : p.vector()) {
                v.add(d);
            }
            n.set("payload", JSON.valueToTree(p.payload()));
        }
        return JSON.createObjectNode().set("points", arr).toString();
    }

    private static byte[] tar(Map<String, String> files, long mtime, long padding) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            SnapshotTars.Writer w = new SnapshotTars.Writer(out, mtime);
            for (Map.Entry<String, String> e : files.entrySet()) {
                w.add(e.getKey(), e.getValue());
            }
            if (padding > 0) {
                w.addRandom("segments/padding.bin", padding, new java.util.Random());
            }
            w.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The points a snapshot tar (shard or collection) carries, by shard ("" for a shard tar). */
    public static Map<String, List<Long>> pointsIn(Path tar) {
        try {
            Map<String, List<Long>> out = new TreeMap<>();
            for (Map.Entry<String, byte[]> e : SnapshotTars.read(tar, 1 << 24).entrySet()) {
                if (e.getKey().endsWith("fake_points.json")) {
                    String shard = e.getKey().contains("/")
                            ? e.getKey().substring(0, e.getKey().indexOf('/'))
                            : "";
                    List<Long> ids = new ArrayList<>();
                    JsonNode n = JSON.readTree(new String(e.getValue(), StandardCharsets.UTF_8));
                    n.path("points").forEach(p -> ids.add(p.path("id").asLong()));
                    out.put(shard, ids);
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Replaces a shard replica's points with those a shard tar carries (shard recovery). */
    synchronized void recover(Shard s, byte[] tar) throws IOException {
        Map<String, byte[]> files = SnapshotTars.read(tar, 1 << 24);
        byte[] pts = files.get("fake_points.json");
        if (pts == null) {
            throw new IOException("not a shard snapshot: no fake_points.json");
        }
        s.points.clear();
        for (JsonNode p : JSON.readTree(pts).path("points")) {
            double[] v = new double[p.path("vector").size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = p.path("vector").get(i).asDouble();
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> payload = JSON.convertValue(p.path("payload"), Map.class);
            long id = p.path("id").asLong();
            s.points.put(id, new Point(id, v, payload));
        }
    }
}
