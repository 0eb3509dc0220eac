package qdrantbackup.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import qdrantbackup.testing.ClusterState.Coll;
import qdrantbackup.testing.ClusterState.Shard;

/** What one node of a {@link FakeCluster} answers, per request: Qdrant v1.19's REST API in distributed mode. */
final class NodeApi {
    private final FakeCluster cluster;
    private final FakeCluster.Node node;
    private final ClusterState state;

    NodeApi(FakeCluster cluster, FakeCluster.Node node, ClusterState state) {
        this.cluster = cluster;
        this.node = node;
        this.state = state;
    }

    ResponseDefinition answer(String method, List<String> s, Request req) throws IOException {
        if (s.isEmpty() && method.equals("GET")) {
            return json(
                    200,
                    ClusterState.JSON
                            .createObjectNode()
                            .put("title", "qdrant - vector search engine")
                            .put("version", FakeQdrant.VERSION)
                            .put("commit", FakeQdrant.COMMIT));
        }
        if (s.size() == 1 && method.equals("GET")) {
            switch (s.get(0)) {
                case "cluster":
                    return ok(clusterStatus());
                case "collections":
                    ArrayNode list = FakeCluster.array();
                    synchronized (state) {
                        state.collections.keySet().forEach(n -> list.addObject().put("name", n));
                    }
                    ObjectNode r = ClusterState.JSON.createObjectNode();
                    r.set("collections", list);
                    return ok(r);
                case "aliases":
                    return ok(aliases(null));
                default:
                    return empty404();
            }
        }
        if (s.size() < 2 || !s.get(0).equals("collections")) {
            return empty404();
        }
        if (s.size() == 2 && s.get(1).equals("aliases") && method.equals("POST")) {
            synchronized (state) {
                return FakeClusterWrites.aliases(state, parse(req));
            }
        }
        if (s.size() == 2 && method.equals("PUT")) {
            synchronized (state) {
                return FakeClusterWrites.create(cluster, state, s.get(1), parse(req));
            }
        }
        synchronized (state) {
            Coll c = state.coll(s.get(1));
            if (c == null) {
                return error(404, "Not found: Collection `" + s.get(1) + "` doesn't exist!");
            }
            return collectionCall(method, s, c, req);
        }
    }

    private ResponseDefinition collectionCall(String method, List<String> s, Coll c, Request req) throws IOException {
        String sub = s.size() > 2 ? s.get(2) : "";
        if (s.size() == 2 && method.equals("DELETE")) {
            return FakeClusterWrites.delete(state, c);
        }
        if (s.size() == 3 && sub.equals("shards") && method.equals("PUT")) {
            return FakeClusterWrites.shardKey(cluster, c, parse(req));
        }
        if (method.equals("GET") && (s.size() == 2 || sub.equals("cluster"))) {
            FakeClusterWrites.advance(c);
        }
        if (s.size() == 2 && method.equals("GET")) {
            return ok(state.info(c));
        }
        if (s.size() == 3 && method.equals("GET")) {
            switch (sub) {
                case "cluster":
                    return ok(state.clusterInfo(c, node.peerId));
                case "exists":
                    return ok(ClusterState.JSON.createObjectNode().put("exists", true));
                case "aliases":
                    return ok(aliases(c.name));
                case "snapshots":
                    return ok(listing(c.name + "/"));
                default:
                    return empty404();
            }
        }
        if (sub.equals("points") && s.size() == 4 && s.get(3).equals("count") && method.equals("POST")) {
            return ok(ClusterState.JSON.createObjectNode().put("count", state.total(c)));
        }
        if ((sub.equals("points") && s.size() <= 4) || (sub.equals("index") && s.size() == 3)) {
            ResponseDefinition points =
                    FakeClusterPoints.answer(state, c, method, s.size() == 4 ? s.get(3) : sub, parse(req));
            return points == null ? empty404() : points;
        }
        if (sub.equals("snapshots")) {
            return snapshots(method, s.size() > 3 ? s.get(3) : null, c, null, c.name + "/");
        }
        if (sub.equals("shards") && s.size() >= 5 && s.get(4).equals("snapshots")) {
            int id;
            try {
                id = Integer.parseInt(s.get(3));
            } catch (NumberFormatException e) {
                return error(400, "Bad request: invalid shard id " + s.get(3));
            }
            Shard shard = c.shards.get(id);
            if (shard == null) {
                return error(404, "Not found: shard " + id + " does not exist");
            }
            String rest = s.size() > 5 ? s.get(5) : null;
            if ("upload".equals(rest) && method.equals("POST")) {
                // upload needs the shard only: adds a replica here
                var checksum = req.queryParameter("checksum");
                return FakeClusterWrites.upload(
                        state, node, c, shard, multipartFile(req), checksum.isPresent() ? checksum.firstValue() : null);
            }
            if (!shard.replicas.containsKey(node.peerId)) {
                return error(400, "Bad request: Shard " + id + " is not a local or queue proxy shard");
            }
            if ("recover".equals(rest) && method.equals("PUT")) {
                String location = parse(req).path("location").asText();
                byte[] tar = node.files.get(c.name + "/shards/" + id + "/" + location);
                if (tar == null) {
                    return error(404, "Not found: Snapshot " + location + " not found");
                }
                state.recover(shard, tar);
                return ok(ClusterState.JSON.getNodeFactory().booleanNode(true));
            }
            return snapshots(method, rest, c, shard, c.name + "/shards/" + id + "/");
        }
        return empty404();
    }

    /** Create (POST), list (GET), download (GET name), delete (DELETE name), collection or shard level. */
    private ResponseDefinition snapshots(String method, String name, Coll c, Shard shard, String dir) {
        if (name == null && method.equals("POST")) {
            cluster.snapshotRequested(dir);
            long now = Instant.now().getEpochSecond();
            String file = cluster.snapshotName(shard == null ? c.name : c.name + "-shard-" + shard.id, node.peerId);
            byte[] tar = shard == null
                    ? state.collectionTar(c, node.peerId, now)
                    : state.shardTar(c, shard, node.peerId, now);
            node.files.put(dir + file, tar);
            ObjectNode d = ClusterState.JSON.createObjectNode();
            d.put("name", file);
            d.put(
                    "creation_time",
                    LocalDateTime.ofEpochSecond(now, 0, ZoneOffset.UTC).toString());
            d.put("size", tar.length);
            d.put("checksum", FakeCluster.sha256(tar));
            node.descriptions.put(dir + file, d);
            ResponseDefinition made = ok(d);
            // Qdrant takes a while to build a snapshot: the answer waits (benches)
            return cluster.snapshotMillis == 0
                    ? made
                    : ResponseDefinitionBuilder.like(made)
                            .withFixedDelay(cluster.snapshotMillis)
                            .build();
        }
        if (name == null && method.equals("GET")) {
            return ok(listing(dir));
        }
        if (name == null) {
            return empty404();
        }
        byte[] tar = node.files.get(dir + name);
        if (tar == null) {
            // the download handlers answer plain text; the others the JSON envelope
            return method.equals("GET")
                    ? plain(404, "Not found: Snapshot " + name + " not found")
                    : error(404, "Not found: Snapshot " + name + " not found");
        }
        if (method.equals("GET")) {
            return aResponse()
                    .withStatus(200)
                    .withHeader("content-type", "application/octet-stream")
                    .withHeader("Content-Length", String.valueOf(tar.length))
                    .withBody(tar)
                    .build();
        }
        if (method.equals("DELETE")) {
            node.files.remove(dir + name);
            node.descriptions.remove(dir + name);
            return ok(ClusterState.JSON.getNodeFactory().booleanNode(true));
        }
        return empty404();
    }

    private ArrayNode listing(String dir) {
        ArrayNode out = FakeCluster.array();
        node.descriptions.forEach((k, d) -> {
            if (k.startsWith(dir) && k.indexOf('/', dir.length()) < 0) {
                out.add(d);
            }
        });
        return out;
    }

    private ObjectNode clusterStatus() {
        ObjectNode r = ClusterState.JSON.createObjectNode();
        r.put("status", "enabled");
        r.put("peer_id", new BigInteger(node.peerId));
        ObjectNode peers = r.putObject("peers");
        for (FakeCluster.Node n : cluster.nodes()) {
            peers.putObject(n.peerId).put("uri", n.p2pUri());
        }
        String leader = cluster.node(0).peerId;
        r.putObject("raft_info")
                .put("term", 3)
                .put("commit", 42)
                .put("pending_operations", 0)
                .put("leader", new BigInteger(leader))
                .put("role", node.peerId.equals(leader) ? "Leader" : "Follower")
                .put("is_voter", true);
        r.putObject("consensus_thread_status")
                .put("consensus_thread_status", "working")
                .put("last_update", Instant.now().toString());
        r.putObject("message_send_failures");
        return r;
    }

    private ObjectNode aliases(String collection) {
        ObjectNode r = ClusterState.JSON.createObjectNode();
        ArrayNode list = r.putArray("aliases");
        synchronized (state) {
            state.aliases.forEach((a, c) -> {
                if (collection == null || collection.equals(c)) {
                    list.addObject().put("alias_name", a).put("collection_name", c);
                }
            });
        }
        return r;
    }

    private static JsonNode parse(Request req) throws IOException {
        byte[] body = req.getBody();
        return body == null || body.length == 0 ? ClusterState.JSON.createObjectNode() : FakeCluster.parse(body);
    }

    /** The bytes of the multipart field {@code snapshot}. */
    private static byte[] multipartFile(Request req) throws IOException {
        String type = req.getHeader("Content-Type");
        if (type == null || !type.contains("boundary=")) {
            throw new IOException("not a multipart upload");
        }
        String boundary = "--" + type.substring(type.indexOf("boundary=") + 9).replace("\"", "");
        byte[] body = req.getBody();
        String latin = new String(body, StandardCharsets.ISO_8859_1);
        int start = latin.indexOf("\r\n\r\n", latin.indexOf("name=\"snapshot\"")) + 4;
        int end = latin.indexOf("\r\n" + boundary, start);
        return java.util.Arrays.copyOfRange(body, start, end);
    }

    static ResponseDefinition okResult(JsonNode result) {
        return ok(result);
    }

    private static ResponseDefinition ok(JsonNode result) {
        ObjectNode env = ClusterState.JSON.createObjectNode();
        env.set("result", result);
        env.put("status", "ok");
        env.put("time", 0.000123);
        return json(200, env);
    }

    static ResponseDefinition error(int status, String message) {
        ObjectNode env = ClusterState.JSON.createObjectNode();
        env.putObject("status").put("error", message);
        env.put("time", 0.000123);
        return json(status, env);
    }

    private static ResponseDefinition json(int status, JsonNode body) {
        return aResponse()
                .withStatus(status)
                .withHeader("content-type", "application/json")
                .withBody(body.toString())
                .build();
    }

    private static ResponseDefinition plain(int status, String text) {
        return aResponse()
                .withStatus(status)
                .withHeader("content-type", "text/plain; charset=utf-8")
                .withBody(text)
                .build();
    }

    private static ResponseDefinition empty404() {
        return aResponse().withStatus(404).build();
    }
}
