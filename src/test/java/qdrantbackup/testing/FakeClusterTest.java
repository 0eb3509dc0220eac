package qdrantbackup.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster stand-in answers in the shapes of Qdrant v1.19's OpenAPI (ClusterStatus, CollectionClusterInfo). */
class FakeClusterTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private final FakeCluster cluster = FakeCluster.start(3);

    @AfterEach
    void stop() {
        cluster.close();
    }

    private HttpResponse<byte[]> send(String method, String url) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private JsonNode result(String method, String url) throws Exception {
        HttpResponse<byte[]> r = send(method, url);
        assertThat(r.statusCode()).as(method + " " + url).isEqualTo(200);
        return ClusterState.JSON.readTree(r.body()).path("result");
    }

    @Test
    void clusterStatusListsEveryPeerByItsP2pUri() throws Exception {
        JsonNode r = result("GET", cluster.url(1) + "/cluster");
        assertThat(r.path("status").asText()).isEqualTo("enabled");
        assertThat(r.path("peer_id").asText()).isEqualTo(cluster.node(1).peerId);
        assertThat(r.path("peer_id").isBigInteger()).isTrue(); // u64 beyond a Java long
        assertThat(r.path("peers").size()).isEqualTo(3);
        assertThat(r.path("peers").path(cluster.node(2).peerId).path("uri").asText())
                .isEqualTo("http://127.0.0.3:6335/");
        assertThat(r.path("raft_info").path("role").asText()).isEqualTo("Follower");
        assertThat(r.has("consensus_thread_status")).isTrue();
        assertThat(r.has("message_send_failures")).isTrue();
    }

    @Test
    void collectionClusterInfoSplitsLocalAndRemoteReplicas() throws Exception {
        cluster.collection("c", 6, 2).points("c", 630);
        JsonNode r = result("GET", cluster.url(0) + "/collections/c/cluster");
        assertThat(r.path("shard_count").asInt()).isEqualTo(6);
        // shard s lives on nodes s mod 3 and (s+1) mod 3: node 0 holds 0 and 3 (first), 2 and 5 (second)
        assertThat(r.path("local_shards").findValuesAsText("shard_id")).containsExactly("0", "2", "3", "5");
        assertThat(r.path("local_shards").get(0).path("points_count").asLong()).isEqualTo(105);
        assertThat(r.path("local_shards").get(0).path("state").asText()).isEqualTo("Active");
        assertThat(r.path("remote_shards").size()).isEqualTo(8);
        assertThat(r.path("remote_shards").get(0).has("peer_id")).isTrue();
        assertThat(r.path("shard_transfers").isArray()).isTrue();
        JsonNode info = result("GET", cluster.url(2) + "/collections/c");
        assertThat(info.path("config").path("params").path("shard_number").asInt())
                .isEqualTo(6);
        assertThat(info.path("config").path("params").path("replication_factor").asInt())
                .isEqualTo(2);
        assertThat(result("POST", cluster.url(2) + "/collections/c/points/count")
                        .path("count")
                        .asLong())
                .isEqualTo(630);
    }

    @Test
    void shardSnapshotsExistOnlyWhereTheShardIsLocalAndCarryItsPoints(@TempDir Path dir) throws Exception {
        cluster.collection("c", 3, 1).points("c", 30);
        HttpResponse<byte[]> refused = send("POST", cluster.url(0) + "/collections/c/shards/1/snapshots");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(new String(refused.body())).contains("Shard 1 is not a local or queue proxy shard");

        JsonNode made = result("POST", cluster.url(1) + "/collections/c/shards/1/snapshots?wait=true");
        String name = made.path("name").asText();
        assertThat(name).startsWith("c-shard-1-" + cluster.node(1).peerId + "-").endsWith(".snapshot");
        assertThat(result("GET", cluster.url(1) + "/collections/c/shards/1/snapshots")
                        .findValuesAsText("name"))
                .containsExactly(name);
        HttpResponse<byte[]> file = send("GET", cluster.url(1) + "/collections/c/shards/1/snapshots/" + name);
        assertThat(file.body().length).isEqualTo(made.path("size").asInt());
        assertThat(FakeQdrant.sha256(file.body()))
                .isEqualTo(made.path("checksum").asText());
        Path tar = Files.write(dir.resolve(name), file.body());
        assertThat(ClusterState.pointsIn(tar)).isEqualTo(Map.of("", cluster.shardPoints("c", 1)));
        assertThat(result("DELETE", cluster.url(1) + "/collections/c/shards/1/snapshots/" + name)
                        .asBoolean())
                .isTrue();
        assertThat(cluster.serverSnapshots(1)).isEmpty();
    }

    @Test
    void aCollectionSnapshotHoldsDataOnlyForTheNodesLocalShards(@TempDir Path dir) throws Exception {
        cluster.collection("c", 3, 1).points("c", 30).place("c", 0, 1).place("c", 2, 1);
        JsonNode made = result("POST", cluster.url(0) + "/collections/c/snapshots");
        HttpResponse<byte[]> file = send(
                "GET",
                cluster.url(0) + "/collections/c/snapshots/" + made.path("name").asText());
        Path tar = Files.write(dir.resolve("n0.snapshot"), file.body());
        assertThat(ClusterState.pointsIn(tar)).isEmpty(); // qdrant#2972: an empty snapshot
    }

    @Test
    void faultHooks() throws Exception {
        cluster.collection("c", 2, 2).points("c", 10);
        cluster.down(2);
        assertThat(org.junit.jupiter.api.Assertions.assertThrows(
                        java.io.IOException.class, () -> send("GET", cluster.url(2) + "/cluster")))
                .isNotNull();
        cluster.up(2);
        assertThat(result("GET", cluster.url(2) + "/cluster").path("status").asText())
                .isEqualTo("enabled");
        cluster.replicaState("c", 1, 1, "Dead");
        JsonNode r = result("GET", cluster.url(1) + "/collections/c/cluster");
        assertThat(r.path("local_shards").findValuesAsText("state")).containsExactly("Active", "Dead");
        cluster.onNextSnapshot(path -> cluster.move("c", 0, 0, 2));
        result("POST", cluster.url(0) + "/collections/c/shards/0/snapshots");
        assertThat(result("GET", cluster.url(0) + "/collections/c/cluster")
                        .path("local_shards")
                        .size())
                .isZero(); // the hook moved shard 0 away, as a transfer finishing meanwhile would
        assertThat(result("GET", cluster.url(2) + "/collections/c/cluster")
                        .path("local_shards")
                        .findValuesAsText("shard_id"))
                .containsExactly("0", "1");
        cluster.customCollection("t", Map.of("eu", new int[] {0, 1}));
        JsonNode t = result("GET", cluster.url(0) + "/collections/t/cluster");
        assertThat(t.path("local_shards").get(0).path("shard_key").asText()).isEqualTo("eu");
        assertThat(result("GET", cluster.url(0) + "/collections/t")
                        .path("config")
                        .path("params")
                        .path("sharding_method")
                        .asText())
                .isEqualTo("custom");
    }
}
