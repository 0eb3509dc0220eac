package qdrantbackup.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import qdrantbackup.testing.ClusterState.Coll;
import qdrantbackup.testing.ClusterState.Point;
import qdrantbackup.testing.ClusterState.Shard;

/**
 * A Qdrant v1.19 cluster in distributed mode for tests: N nodes sharing one {@link ClusterState}, node i on its
 * own loopback address {@code 127.0.0.(i+1)}, all on the same port, so a peer's p2p URI
 * ({@code http://127.0.0.(i+1):6335/}) maps to its REST address by host as in a real cluster. Answers
 * {@code /}, {@code /cluster}, {@code /collections[/{c}[/cluster|/exists|/points/count]]}, {@code /aliases},
 * collection snapshots (data only for the node's local shards), shard snapshots S1–S4, S6, S7, and the points
 * and payload index calls over every shard ({@link FakeClusterPoints}).
 */
public final class FakeCluster implements AutoCloseable {
    private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss");

    /** One node: its peer id, address, and the snapshot files on its disk (name to bytes, description). */
    public final class Node {
        public final int index;
        public final String peerId;
        final String host;
        final Map<String, byte[]> files = new LinkedHashMap<>();
        final Map<String, ObjectNode> descriptions = new LinkedHashMap<>();
        volatile WireMockServer server;
        final java.util.concurrent.atomic.AtomicInteger refuseUploads = new java.util.concurrent.atomic.AtomicInteger();

        Node(int index) {
            this.index = index;
            this.peerId = ClusterState.peerId(index);
            this.host = "127.0.0." + (index + 1);
        }

        public String url() {
            return "http://" + host + ":" + port;
        }

        public String p2pUri() {
            return "http://" + host + ":6335/";
        }
    }

    /** A request a node received. */
    public record Seen(int node, String method, String path) {}

    private final ClusterState state = new ClusterState();
    private final List<Node> nodes = new ArrayList<>();
    private final ConcurrentLinkedQueue<Seen> seen = new ConcurrentLinkedQueue<>();
    private final List<Consumer<String>> snapshotHooks = new CopyOnWriteArrayList<>();
    private int port;
    volatile int snapshotMillis;

    /** Starts {@code count} nodes. */
    public static FakeCluster start(int count) {
        FakeCluster c = new FakeCluster();
        for (int attempt = 0; ; attempt++) {
            try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
                c.port = probe.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            try {
                for (int i = 0; i < count; i++) {
                    Node n = c.new Node(i);
                    c.nodes.add(n);
                    c.state.peers.add(n.peerId);
                    c.up(i);
                }
                return c;
            } catch (RuntimeException e) { // the port was taken on another address meanwhile: try another
                c.close();
                c.nodes.clear();
                c.state.peers.clear();
                if (attempt > 5) {
                    throw e;
                }
            }
        }
    }

    public Node node(int i) {
        return nodes.get(i);
    }

    public List<Node> nodes() {
        return List.copyOf(nodes);
    }

    public String url(int i) {
        return nodes.get(i).url();
    }

    public int port() {
        return port;
    }

    /** Stops a node: connections to it are refused, as for a node that is down. */
    public void down(int i) {
        WireMockServer s = nodes.get(i).server;
        if (s != null) {
            s.stop();
            nodes.get(i).server = null;
        }
    }

    public void up(int i) {
        Node n = nodes.get(i);
        WireMockServer s = new WireMockServer(options()
                .bindAddress(n.host)
                .port(port)
                .http2PlainDisabled(true)
                .disableRequestJournal()
                .stubRequestLoggingDisabled(true)
                .extensions(new Handler(n)));
        s.start();
        s.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(404)));
        n.server = s;
    }

    @Override
    public void close() {
        for (int i = 0; i < nodes.size(); i++) {
            down(i);
        }
    }

    // ------------------------------------------------------------------ set-up and fault hooks

    /**
     * An auto-sharded collection: shard s has replicas on nodes (s + r) mod N for r below replication, all
     * Active.
     */
    public FakeCluster collection(String name, int shards, int replication) {
        synchronized (state) {
            Coll c = new Coll(name, replication, 1, false);
            for (int s = 0; s < shards; s++) {
                Shard shard = new Shard(s, null);
                for (int r = 0; r < replication; r++) {
                    shard.replicas.put(nodes.get((s + r) % nodes.size()).peerId, "Active");
                }
                c.shards.put(s, shard);
            }
            state.collections.put(name, c);
        }
        return this;
    }

    /** A collection with {@code sharding_method: custom}: one shard per key, placed on the nodes given. */
    public FakeCluster customCollection(String name, Map<String, int[]> keyToNodes) {
        synchronized (state) {
            Coll c = new Coll(name, keyToNodes.values().iterator().next().length, 1, true);
            int id = 0;
            for (Map.Entry<String, int[]> e : keyToNodes.entrySet()) {
                Shard shard = new Shard(id, e.getKey());
                for (int n : e.getValue()) {
                    shard.replicas.put(nodes.get(n).peerId, "Active");
                }
                c.shards.put(id++, shard);
            }
            state.collections.put(name, c);
        }
        return this;
    }

    /** Moves every replica of the collection onto the nodes given (e.g. one node, for "a node with no shard"). */
    public FakeCluster place(String collection, int shard, int... onNodes) {
        synchronized (state) {
            Shard s = state.coll(collection).shards.get(shard);
            s.replicas.clear();
            for (int n : onNodes) {
                s.replicas.put(nodes.get(n).peerId, "Active");
            }
        }
        return this;
    }

    /** Adds points 1..count (auto: shard id mod shard count; custom: spread over the keys). */
    public FakeCluster points(String collection, int count) {
        synchronized (state) {
            Coll c = state.coll(collection);
            long first = state.total(c) + 1;
            for (long id = first; id < first + count; id++) {
                Shard s = c.shards.get((int) (id % c.shards.size()));
                double[] v = {id % 7 / 7.0, id % 5 / 5.0, id % 3 / 3.0, 1.0};
                s.points.put(id, new Point(id, v, Map.of("n", id, "shard", s.id)));
            }
        }
        return this;
    }

    /** A payload index, as {@code PUT /collections/{c}/index} makes it: a type name, or params with their type. */
    public FakeCluster payloadIndex(String collection, String field, String fieldSchemaJson) {
        synchronized (state) {
            try {
                JsonNode schema = fieldSchemaJson.startsWith("{")
                        ? parse(fieldSchemaJson.getBytes(StandardCharsets.UTF_8))
                        : ClusterState.JSON.getNodeFactory().textNode(fieldSchemaJson);
                state.coll(collection).indexes.put(field, schema);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return this;
    }

    /** {@code payload_schema} of the collection's info, as a node answers it. */
    public JsonNode payloadSchema(String collection) {
        synchronized (state) {
            return FakeClusterPoints.payloadSchema(state, state.coll(collection));
        }
    }

    public FakeCluster alias(String alias, String collection) {
        synchronized (state) {
            state.aliases.put(alias, collection);
        }
        return this;
    }

    /** Sets the state of the replica of {@code shard} on node {@code node}. */
    public void replicaState(String collection, int shard, int node, String replicaState) {
        synchronized (state) {
            state.coll(collection).shards.get(shard).replicas.put(nodes.get(node).peerId, replicaState);
        }
    }

    /** Moves the replica of {@code shard} from one node to another (a finished shard transfer). */
    public void move(String collection, int shard, int from, int to) {
        synchronized (state) {
            Shard s = state.coll(collection).shards.get(shard);
            String st = s.replicas.remove(nodes.get(from).peerId);
            s.replicas.put(nodes.get(to).peerId, st == null ? "Active" : st);
        }
    }

    /** A shard transfer in progress (listed in shard_transfers, the target replica Partial). */
    public void transferring(String collection, int shard, int from, int to) {
        synchronized (state) {
            Coll c = state.coll(collection);
            ObjectNode t = ClusterState.JSON.createObjectNode();
            t.put("shard_id", shard)
                    .put("from", new BigInteger(nodes.get(from).peerId))
                    .put("to", new BigInteger(nodes.get(to).peerId))
                    .put("sync", false)
                    .put("method", "stream_records");
            c.transfers.add(t);
            c.shards.get(shard).replicas.put(nodes.get(to).peerId, "Partial");
        }
    }

    /** Node {@code i} answers its next {@code count} shard uploads with a 500 (its disk is full). */
    public void refuseUploads(int i, int count) {
        nodes.get(i).refuseUploads.set(count);
    }

    /** The state of each replica of {@code shard}, by node index. */
    public Map<Integer, String> replicaStates(String collection, int shard) {
        synchronized (state) {
            Map<Integer, String> out = new java.util.TreeMap<>();
            state.coll(collection).shards.get(shard).replicas.forEach((peer, st) -> {
                for (Node n : nodes) {
                    if (n.peerId.equals(peer)) {
                        out.put(n.index, st);
                    }
                }
            });
            return out;
        }
    }

    public boolean exists(String collection) {
        synchronized (state) {
            return state.collections.containsKey(collection);
        }
    }

    public Map<String, String> aliases() {
        synchronized (state) {
            return Map.copyOf(state.aliases);
        }
    }

    /** Every point id of the collection, sorted. */
    public List<Long> pointIds(String collection) {
        synchronized (state) {
            return state.coll(collection).shards.values().stream()
                    .flatMap(s -> s.points.keySet().stream())
                    .sorted()
                    .toList();
        }
    }

    /** Runs {@code hook} with the request path the next time any node is asked to create a snapshot. */
    public void onNextSnapshot(Consumer<String> hook) {
        snapshotHooks.add(hook);
    }

    /** Benches: each shard's data padded to about {@code bytes}, and each snapshot taking {@code millis} to make. */
    public FakeCluster realistic(long bytes, int millis) {
        synchronized (state) {
            state.padding = bytes;
        }
        snapshotMillis = millis;
        return this;
    }

    // ------------------------------------------------------------------ reading back

    public long points(String collection) {
        synchronized (state) {
            return state.total(state.coll(collection));
        }
    }

    public List<Long> shardPoints(String collection, int shard) {
        synchronized (state) {
            return List.copyOf(state.coll(collection).shards.get(shard).points.keySet());
        }
    }

    /** The snapshot files on a node's disk (collection and shard snapshots). */
    public List<String> serverSnapshots(int node) {
        synchronized (state) {
            return List.copyOf(nodes.get(node).files.keySet());
        }
    }

    public List<Seen> requests(String method, String pathRegex) {
        return seen.stream()
                .filter(s -> s.method().equals(method) && s.path().matches(pathRegex))
                .toList();
    }

    // ------------------------------------------------------------------ HTTP

    private final class Handler implements ResponseDefinitionTransformerV2 {
        private final Node node;

        Handler(Node node) {
            this.node = node;
        }

        @Override
        public String getName() {
            return "fake-cluster-node";
        }

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            var req = event.getRequest();
            String url = req.getUrl();
            String path = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
            seen.add(new Seen(node.index, req.getMethod().getName(), path));
            List<String> seg = new ArrayList<>();
            for (String p : path.split("/")) {
                if (!p.isEmpty()) {
                    seg.add(java.net.URLDecoder.decode(p, StandardCharsets.UTF_8));
                }
            }
            try {
                return new NodeApi(FakeCluster.this, node, state)
                        .answer(req.getMethod().getName(), seg, req);
            } catch (RuntimeException | IOException e) {
                return NodeApi.error(500, "Service internal error: " + e);
            }
        }
    }

    void snapshotRequested(String path) {
        List<Consumer<String>> hooks = List.copyOf(snapshotHooks);
        snapshotHooks.clear();
        hooks.forEach(h -> h.accept(path));
    }

    String snapshotName(String prefix, String peer) {
        return prefix + "-" + peer + "-" + NAME_TIME.format(Instant.now().atOffset(ZoneOffset.UTC)) + ".snapshot";
    }

    static String sha256(byte[] data) {
        return FakeQdrant.sha256(data);
    }

    /** Writes a file of this node's disk to {@code target} (tests that inspect what the server holds). */
    public void copyServerFile(int node, String name, Path target) throws IOException {
        synchronized (state) {
            Files.write(target, nodes.get(node).files.get(name));
        }
    }

    static JsonNode parse(byte[] body) throws IOException {
        return ClusterState.JSON.readTree(body);
    }

    static ArrayNode array() {
        return ClusterState.JSON.createArrayNode();
    }
}
