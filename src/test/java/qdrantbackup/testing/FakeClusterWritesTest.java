package qdrantbackup.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The stand-in's writes: creation spread over the live nodes, shard keys, S7 with checksum, re-sync, aliases. */
class FakeClusterWritesTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private final FakeCluster cluster = FakeCluster.start(3);

    @AfterEach
    void stop() {
        cluster.close();
    }

    private HttpResponse<String> send(String method, String url, String json) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("content-type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> upload(String url, byte[] tar) throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--b1\r\nContent-Disposition: form-data; name=\"snapshot\"; filename=\"s.snapshot\"\r\n"
                        + "Content-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        body.write(tar);
        body.write("\r\n--b1--\r\n".getBytes(StandardCharsets.ISO_8859_1));
        return http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("content-type", "multipart/form-data; boundary=b1")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private byte[] shardTar(String collection, int shard, int node) throws Exception {
        JsonNode made = ClusterState.JSON
                .readTree(send(
                                "POST",
                                cluster.url(node) + "/collections/" + collection + "/shards/" + shard + "/snapshots",
                                "")
                        .body())
                .path("result");
        return http.send(
                        HttpRequest.newBuilder(URI.create(cluster.url(node) + "/collections/" + collection + "/shards/"
                                        + shard + "/snapshots/"
                                        + made.path("name").asText()))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray())
                .body();
    }

    @Test
    void createSpreadsReplicasUploadChecksTheSumAndTheOthersResync() throws Exception {
        cluster.collection("src", 6, 2).points("src", 60);
        byte[] tar = shardTar("src", 0, 0);
        cluster.down(2);
        String create = "{\"vectors\":{\"size\":4,\"distance\":\"Cosine\"},\"shard_number\":6,"
                + "\"replication_factor\":2,\"write_consistency_factor\":1}";
        assertThat(send("PUT", cluster.url(0) + "/collections/dst", create).statusCode())
                .isEqualTo(200);
        assertThat(send("PUT", cluster.url(1) + "/collections/dst", create).body())
                .contains("already exists");
        // only the live nodes get replicas: node 2 is down
        for (int s = 0; s < 6; s++) {
            assertThat(cluster.replicaStates("dst", s)).containsOnlyKeys(0, 1);
        }
        cluster.up(2);

        String wrong = "0".repeat(64);
        HttpResponse<String> refused = upload(
                cluster.url(1) + "/collections/dst/shards/0/snapshots/upload?priority=snapshot&checksum=" + wrong, tar);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("Checksum mismatch");
        assertThat(cluster.points("dst")).isZero();

        HttpResponse<String> ok = upload(
                cluster.url(1) + "/collections/dst/shards/0/snapshots/upload?priority=snapshot&checksum="
                        + FakeCluster.sha256(tar),
                tar);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(cluster.shardPoints("dst", 0)).isEqualTo(cluster.shardPoints("src", 0));
        assertThat(cluster.replicaStates("dst", 0)).isEqualTo(Map.of(0, "Dead", 1, "Active"));
        send("GET", cluster.url(0) + "/collections/dst/cluster", "");
        assertThat(cluster.replicaStates("dst", 0)).isEqualTo(Map.of(0, "Partial", 1, "Active"));
        send("GET", cluster.url(0) + "/collections/dst/cluster", "");
        send("GET", cluster.url(0) + "/collections/dst", "");
        assertThat(cluster.replicaStates("dst", 0)).isEqualTo(Map.of(0, "Active", 1, "Active"));

        cluster.refuseUploads(0, 1);
        assertThat(upload(cluster.url(0) + "/collections/dst/shards/1/snapshots/upload", tar)
                        .statusCode())
                .isEqualTo(500);

        String alias = "{\"actions\":[{\"create_alias\":{\"collection_name\":\"dst\",\"alias_name\":\"live\"}}]}";
        assertThat(send("POST", cluster.url(2) + "/collections/aliases", alias).statusCode())
                .isEqualTo(200);
        assertThat(cluster.aliases()).isEqualTo(Map.of("live", "dst"));
        assertThat(send("DELETE", cluster.url(2) + "/collections/dst", "").statusCode())
                .isEqualTo(200);
        assertThat(cluster.exists("dst")).isFalse();
        assertThat(cluster.aliases()).isEmpty();
    }

    @Test
    void customShardingGetsOneShardPerKeyCreated() throws Exception {
        String create = "{\"vectors\":{\"size\":4,\"distance\":\"Cosine\"},\"sharding_method\":\"custom\","
                + "\"replication_factor\":2}";
        assertThat(send("PUT", cluster.url(0) + "/collections/t", create).statusCode())
                .isEqualTo(200);
        assertThat(send("PUT", cluster.url(0) + "/collections/t/shards", "{\"shard_key\":\"eu\"}")
                        .statusCode())
                .isEqualTo(200);
        assertThat(send("PUT", cluster.url(1) + "/collections/t/shards", "{\"shard_key\":\"us\"}")
                        .statusCode())
                .isEqualTo(200);
        JsonNode info = ClusterState.JSON
                .readTree(send("GET", cluster.url(0) + "/collections/t/cluster", "")
                        .body())
                .path("result");
        assertThat(info.path("shard_count").asInt()).isEqualTo(2);
        assertThat(info.toString()).contains("\"shard_key\":\"eu\"").contains("\"shard_key\":\"us\"");
        assertThat(cluster.replicaStates("t", 1)).hasSize(2);
    }
}
