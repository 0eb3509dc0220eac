package qdrantbackup.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FakePointsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path dir;

    private FakeQdrant q;

    @BeforeEach
    void start() {
        q = FakeQdrant.start(dir.resolve("q"));
    }

    @AfterEach
    void stop() {
        q.close();
    }

    private JsonNode call(String method, String path, String body) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(q.url() + path))
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json")
                .build();
        HttpResponse<String> res = http.send(r, HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(res.body());
    }

    @Test
    void pointsAreTheSameForTheSameSeedAndCountAgreesWithScroll() throws Exception {
        q.collection("books", 25);
        FakePoints again = FakePoints.generate("books", JSON.readTree(FakeQdrant.DEFAULT_VECTORS), 25);
        assertThat(q.pointData("books").toJson()).isEqualTo(again.toJson());

        JsonNode page = call("POST", "/collections/books/points/scroll", "{\"limit\":20,\"with_vector\":true}");
        assertThat(page.path("result").path("points")).hasSize(20);
        assertThat(page.path("result").path("next_page_offset").asLong()).isEqualTo(21);
        assertThat(page.path("result").path("points").get(0).path("vector")).hasSize(4);
        JsonNode rest = call("POST", "/collections/books/points/scroll", "{\"limit\":20,\"offset\":21}");
        assertThat(rest.path("result").path("points")).hasSize(5);
        assertThat(rest.path("result").path("next_page_offset").isNull()).isTrue();
        assertThat(call("POST", "/collections/books/points/count", "{\"exact\":true}")
                        .path("result")
                        .path("count")
                        .asLong())
                .isEqualTo(25);
        JsonNode got = call("POST", "/collections/books/points", "{\"ids\":[3,999]}");
        assertThat(got.path("result")).hasSize(1);
        assertThat(got.path("result").get(0).path("payload").path("title").asText())
                .isEqualTo("point 3");
    }

    @Test
    void exactSearchWithAPointsOwnVectorFindsItFirstWithCosineOne() throws Exception {
        q.collection("books", 50);
        JsonNode v = q.pointData("books").get(7).vector();
        JsonNode res = call(
                "POST",
                "/collections/books/points/query",
                "{\"query\":" + v + ",\"limit\":10,\"params\":{\"exact\":true}}");
        JsonNode pts = res.path("result").path("points");
        assertThat(pts).hasSize(10);
        assertThat(pts.get(0).path("id").asLong()).isEqualTo(7);
        assertThat(pts.get(0).path("score").floatValue()).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-5f));
        assertThat(pts.get(1).path("score").floatValue())
                .isLessThanOrEqualTo(pts.get(0).path("score").floatValue());

        JsonNode sample =
                call("POST", "/collections/books/points/query", "{\"query\":{\"sample\":\"random\"},\"limit\":5}");
        assertThat(sample.path("result").path("points")).hasSize(5);
    }

    @Test
    void euclidScoresAreDistancesNearestFirst() throws Exception {
        q.collection("e", 30, "{\"size\":3,\"distance\":\"Euclid\"}", 1);
        JsonNode v = q.pointData("e").get(4).vector();
        JsonNode pts = call("POST", "/collections/e/points/query", "{\"query\":{\"nearest\":" + v + "}}")
                .path("result")
                .path("points");
        assertThat(pts.get(0).path("id").asLong()).isEqualTo(4);
        assertThat(pts.get(0).path("score").floatValue()).isEqualTo(0f);
        assertThat(pts.get(1).path("score").floatValue()).isGreaterThan(0f);
    }

    @Test
    void aSnapshotCarriesThePointsAndADoctoredOneRestoresTheChangedPoint() throws Exception {
        q.collection("books", 12).payloadIndex("books", "tag", "keyword");
        JsonNode created = call("POST", "/collections/books/snapshots", "");
        String name = created.path("result").path("name").asText();
        Path snap = q.snapshotFile("books", name);
        Map<String, byte[]> entries = SnapshotTars.read(snap, 1 << 20);
        JsonNode doc = JSON.readTree(entries.get(FakePoints.ENTRY));
        ((com.fasterxml.jackson.databind.node.ArrayNode)
                        doc.path("points").get(4).path("vector"))
                .set(0, 0.5f);

        Path doctored = dir.resolve("doctored.snapshot");
        try (var out = Files.newOutputStream(doctored)) {
            SnapshotTars.Writer w = new SnapshotTars.Writer(out, 0);
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                w.add(e.getKey(), e.getKey().equals(FakePoints.ENTRY) ? JSON.writeValueAsBytes(doc) : e.getValue());
            }
            w.finish();
        }
        HttpRequest up = HttpRequest.newBuilder(URI.create(q.url() + "/collections/copy/snapshots/upload"))
                .header("Content-Type", "multipart/form-data; boundary=XX")
                .POST(HttpRequest.BodyPublishers.ofByteArray(multipart(Files.readAllBytes(doctored))))
                .build();
        assertThat(http.send(up, HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(200);

        FakePoints copy = q.pointData("copy");
        assertThat(copy.count()).isEqualTo(12);
        assertThat(copy.get(5).vector().get(0).floatValue()).isEqualTo(0.5f);
        assertThat(copy.get(6).vector()).isEqualTo(q.pointData("books").get(6).vector());
        assertThat(copy.get(5).vector())
                .isNotEqualTo(q.pointData("books").get(5).vector());
        JsonNode info = call("GET", "/collections/copy", "");
        assertThat(info.path("result")
                        .path("payload_schema")
                        .path("tag")
                        .path("data_type")
                        .asText())
                .isEqualTo("keyword");
        assertThat(info.path("result")
                        .path("payload_schema")
                        .path("tag")
                        .path("points")
                        .asLong())
                .isEqualTo(12);
    }

    private static byte[] multipart(byte[] data) {
        var out = new java.io.ByteArrayOutputStream();
        out.writeBytes(("--XX\r\nContent-Disposition: form-data; name=\"snapshot\"; filename=\"d.snapshot\"\r\n"
                        + "Content-Type: application/octet-stream\r\n\r\n")
                .getBytes());
        out.writeBytes(data);
        out.writeBytes("\r\n--XX--\r\n".getBytes());
        return out.toByteArray();
    }
}
