package qdrantbackup.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks that {@link FakeQdrant} speaks Qdrant v1.19's REST protocol, using plain java.net.http. */
class FakeQdrantTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VECTORS = "{\"size\":4,\"distance\":\"Cosine\"}";

    @TempDir
    Path tmp;

    private FakeQdrant q;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() throws IOException {
        q = FakeQdrant.start(Files.createDirectories(tmp.resolve("qdrant")));
    }

    @AfterEach
    void stop() {
        q.close();
    }

    // ------------------------------------------------------------------ helpers

    private HttpResponse<byte[]> send(String method, String path, byte[] body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(q.url() + path))
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<byte[]> get(String path, String... headers) throws IOException, InterruptedException {
        return send("GET", path, null, headers);
    }

    private HttpResponse<byte[]> postJson(String path, String json, String... headers)
            throws IOException, InterruptedException {
        String[] all = new String[headers.length + 2];
        all[0] = "Content-Type";
        all[1] = "application/json";
        System.arraycopy(headers, 0, all, 2, headers.length);
        return send("POST", path, json.getBytes(StandardCharsets.UTF_8), all);
    }

    private static JsonNode json(HttpResponse<byte[]> r) throws IOException {
        return JSON.readTree(r.body());
    }

    private static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    private HttpResponse<byte[]> upload(String collection, byte[] file, String fileName, String query)
            throws IOException, InterruptedException {
        String boundary = "----fakeqdrant" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"snapshot\"; filename=\"" + fileName
                        + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.write(file);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return send(
                "POST",
                "/collections/" + collection + "/snapshots/upload?" + query,
                body.toByteArray(),
                "Content-Type",
                "multipart/form-data; boundary=" + boundary);
    }

    private JsonNode createSnapshot(String collection) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = send("POST", "/collections/" + collection + "/snapshots?wait=true", null);
        assertThat(r.statusCode()).isEqualTo(200);
        return json(r).get("result");
    }

    // ------------------------------------------------------------------ service

    @Test
    void versionAndHealthEndpoints() throws Exception {
        HttpResponse<byte[]> root = get("/");
        assertThat(root.statusCode()).isEqualTo(200);
        JsonNode v = json(root);
        assertThat(v.get("title").asText()).isEqualTo("qdrant - vector search engine");
        assertThat(v.get("version").asText()).isEqualTo("1.19.0");
        assertThat(v.get("commit").asText()).matches("[0-9a-f]{40}");
        assertThat(v.has("result")).isFalse();

        for (String p : List.of("/healthz", "/livez", "/readyz")) {
            HttpResponse<byte[]> r = get(p);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("content-type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        }
    }

    @Test
    void collectionsInfoExistsAndCount() throws Exception {
        q.collection("books", 42).collection("films", 7, "{\"image\":{\"size\":8,\"distance\":\"Dot\"}}", 2);

        JsonNode list = json(get("/collections"));
        assertThat(list.get("status").asText()).isEqualTo("ok");
        assertThat(list.get("time").isNumber()).isTrue();
        assertThat(list.at("/result/collections").findValuesAsText("name")).containsExactly("books", "films");

        JsonNode info = json(get("/collections/films")).get("result");
        assertThat(info.get("status").asText()).isEqualTo("green");
        assertThat(info.get("optimizer_status").asText()).isEqualTo("ok");
        assertThat(info.get("points_count").asLong()).isEqualTo(7);
        assertThat(info.has("indexed_vectors_count")).isTrue();
        assertThat(info.has("segments_count")).isTrue();
        assertThat(info.at("/config/params/vectors/image/size").asInt()).isEqualTo(8);
        assertThat(info.at("/config/params/shard_number").asInt()).isEqualTo(2);
        assertThat(info.at("/config/params/replication_factor").asInt()).isEqualTo(1);

        assertThat(json(get("/collections/books/exists")).at("/result/exists").asBoolean())
                .isTrue();
        assertThat(json(get("/collections/nope/exists")).at("/result/exists").asBoolean())
                .isFalse();

        HttpResponse<byte[]> count = postJson("/collections/books/points/count", "{\"exact\":true}");
        assertThat(json(count).at("/result/count").asLong()).isEqualTo(42);
    }

    @Test
    void unknownCollectionAnswers404WithQdrantMessage() throws Exception {
        for (HttpResponse<byte[]> r : List.of(
                get("/collections/nope"),
                get("/collections/nope/snapshots"),
                send("POST", "/collections/nope/snapshots", null),
                postJson("/collections/nope/points/count", "{\"exact\":true}"))) {
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
            JsonNode body = json(r);
            assertThat(body.at("/status/error").asText()).isEqualTo("Not found: Collection `nope` doesn't exist!");
            assertThat(body.get("time").isNumber()).isTrue();
            assertThat(body.has("result")).isFalse();
        }
    }

    @Test
    void deleteCollectionRemovesItAndItsAliases() throws Exception {
        q.collection("books", 1).collection("films", 1).alias("b", "books").alias("f", "films");
        HttpResponse<byte[]> r = send("DELETE", "/collections/books", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("result").asBoolean()).isTrue();
        assertThat(q.collectionExists("books")).isFalse();
        assertThat(q.aliases()).containsExactly(Map.entry("f", "films"));
    }

    // ------------------------------------------------------------------ aliases

    @Test
    void aliasActionsAreAtomic() throws Exception {
        q.collection("books", 1).collection("films", 1).alias("old", "books");

        HttpResponse<byte[]> ok = postJson(
                "/collections/aliases",
                "{\"actions\":["
                        + "{\"create_alias\":{\"collection_name\":\"films\",\"alias_name\":\"movies\"}},"
                        + "{\"rename_alias\":{\"old_alias_name\":\"old\",\"new_alias_name\":\"library\"}}]}");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(q.aliases()).containsOnly(Map.entry("movies", "films"), Map.entry("library", "books"));

        JsonNode all = json(get("/aliases")).at("/result/aliases");
        assertThat(all).hasSize(2);
        JsonNode forBooks = json(get("/collections/books/aliases")).at("/result/aliases");
        assertThat(forBooks).hasSize(1);
        assertThat(forBooks.get(0).get("alias_name").asText()).isEqualTo("library");
        assertThat(forBooks.get(0).get("collection_name").asText()).isEqualTo("books");

        // second action fails: nothing of the request is applied
        HttpResponse<byte[]> bad = postJson(
                "/collections/aliases",
                "{\"actions\":["
                        + "{\"delete_alias\":{\"alias_name\":\"movies\"}},"
                        + "{\"create_alias\":{\"collection_name\":\"ghost\",\"alias_name\":\"g\"}}]}");
        assertThat(bad.statusCode()).isEqualTo(404);
        assertThat(json(bad).at("/status/error").asText()).isEqualTo("Not found: Collection `ghost` doesn't exist!");
        assertThat(q.aliases()).containsOnly(Map.entry("movies", "films"), Map.entry("library", "books"));
    }

    // ------------------------------------------------------------------ collection snapshots

    @Test
    void createListDownloadDelete() throws Exception {
        q.collection("books", 42).snapshotSize("books", 100_000);

        JsonNode created = createSnapshot("books");
        String name = created.get("name").asText();
        assertThat(name).matches("books-11532566549086892528-\\d{4}-\\d{2}-\\d{2}-\\d{2}-\\d{2}-\\d{2}\\.snapshot");
        assertThat(created.get("creation_time").asText()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}");
        assertThat(created.get("checksum").asText()).matches("[0-9a-f]{64}");
        long size = created.get("size").asLong();
        assertThat(size).isBetween(99_000L, 101_000L).isEqualTo(Files.size(q.snapshotFile("books", name)));

        JsonNode list = json(get("/collections/books/snapshots")).get("result");
        assertThat(list).hasSize(1);
        assertThat(list.get(0)).isEqualTo(created);
        assertThat(q.serverSnapshots("books")).containsExactly(name);

        HttpResponse<byte[]> dl = get("/collections/books/snapshots/" + name, "Accept-Encoding", "identity");
        assertThat(dl.statusCode()).isEqualTo(200);
        assertThat(dl.headers().firstValue("content-type")).hasValue("application/octet-stream");
        assertThat(dl.headers().firstValueAsLong("content-length")).hasValue(size);
        assertThat(FakeQdrant.sha256(dl.body()))
                .isEqualTo(created.get("checksum").asText());
        assertThat(dl.body()).isEqualTo(Files.readAllBytes(q.snapshotFile("books", name)));

        Map<String, byte[]> entries = SnapshotTars.read(dl.body(), 1 << 20);
        assertThat(entries)
                .containsKeys(
                        "version.info",
                        "config.json",
                        "payload_index.json",
                        "0/shard_config.json",
                        "0/replica_state.json",
                        "0/newest_clocks.json",
                        "0/fake_points.json");
        assertThat(entries.keySet()).anyMatch(k -> k.matches("0/segments/[0-9a-f-]{36}\\.tar"));
        JsonNode config = JSON.readTree(entries.get("config.json"));
        assertThat(config.at("/params/vectors")).isEqualTo(JSON.readTree(VECTORS));
        assertThat(config.at("/params/shard_number").asInt()).isEqualTo(1);
        assertThat(JSON.readTree(entries.get("0/fake_points.json"))
                        .get("points")
                        .asLong())
                .isEqualTo(42);

        HttpResponse<byte[]> del = send("DELETE", "/collections/books/snapshots/" + name, null);
        assertThat(del.statusCode()).isEqualTo(200);
        assertThat(json(del).get("result").asBoolean()).isTrue();
        assertThat(q.serverSnapshots("books")).isEmpty();
        assertThat(json(get("/collections/books/snapshots")).get("result")).isEmpty();

        for (HttpResponse<byte[]> r : List.of(
                send("DELETE", "/collections/books/snapshots/" + name, null),
                get("/collections/books/snapshots/" + name))) {
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(json(r).at("/status/error").asText()).isEqualTo("Not found: Snapshot " + name + " not found");
        }
    }

    @Test
    void peerIdInNameExceedsJavaLong() throws Exception {
        q.collection("c", 1);
        String name = createSnapshot("c").get("name").asText();
        String peer = name.split("-")[1];
        assertThatThrownBy(() -> Long.parseLong(peer)).isInstanceOf(NumberFormatException.class);
        assertThat(Long.parseUnsignedLong(peer)).isNotZero();
    }

    @Test
    void sameSecondCreatesReplaceTheSnapshot() throws Exception {
        q.withClock(Clock.fixed(Instant.parse("2025-01-01T02:00:00Z"), ZoneOffset.UTC))
                .collection("c", 1);
        JsonNode first = createSnapshot("c");
        JsonNode second = createSnapshot("c");
        assertThat(second.get("name").asText())
                .isEqualTo(first.get("name").asText())
                .isEqualTo("c-11532566549086892528-2025-01-01-02-00-00.snapshot");
        assertThat(second.get("checksum")).isNotEqualTo(first.get("checksum"));
        assertThat(q.serverSnapshots("c")).hasSize(1);
    }

    @Test
    void createWithoutWaitAnswers202Accepted() throws Exception {
        q.collection("c", 1);
        HttpResponse<byte[]> r = send("POST", "/collections/c/snapshots?wait=false", null);
        assertThat(r.statusCode()).isEqualTo(202);
        JsonNode body = json(r);
        assertThat(body.get("status").asText()).isEqualTo("accepted");
        assertThat(body.has("result")).isFalse();
        assertThat(json(get("/collections/c/snapshots")).get("result")).hasSize(1);
    }

    @Test
    void gzipWhenAskedIdentityOtherwise() throws Exception {
        q.collection("c", 1).snapshotSize("c", 200_000);
        JsonNode s = createSnapshot("c");
        String path = "/collections/c/snapshots/" + s.get("name").asText();

        HttpResponse<byte[]> gz = get(path, "Accept-Encoding", "gzip");
        assertThat(gz.statusCode()).isEqualTo(200);
        assertThat(gz.headers().firstValue("content-encoding")).hasValue("gzip");
        assertThat(gz.headers().firstValue("content-length")).isEmpty();
        // (java.net.http does not expose Transfer-Encoding; without a length the body is chunked)
        byte[] unzipped;
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gz.body()))) {
            unzipped = in.readAllBytes();
        }
        assertThat(FakeQdrant.sha256(unzipped)).isEqualTo(s.get("checksum").asText());

        HttpResponse<byte[]> plain = get(path, "Accept-Encoding", "identity");
        assertThat(plain.headers().firstValue("content-encoding")).isEmpty();
        assertThat(plain.headers().firstValueAsLong("content-length"))
                .hasValue(s.get("size").asLong());

        assertThat(q.requestHeaderValues("GET", "/collections/c/snapshots/.+", "Accept-Encoding"))
                .containsExactly("gzip", "identity");
    }

    @Test
    void rangeRequestsResume() throws Exception {
        q.collection("c", 1);
        JsonNode s = createSnapshot("c");
        byte[] file = Files.readAllBytes(q.snapshotFile("c", s.get("name").asText()));
        HttpResponse<byte[]> r = get(
                "/collections/c/snapshots/" + s.get("name").asText(),
                "Accept-Encoding",
                "identity",
                "Range",
                "bytes=1000-");
        assertThat(r.statusCode()).isEqualTo(206);
        assertThat(r.headers().firstValue("content-range"))
                .hasValue("bytes 1000-" + (file.length - 1) + "/" + file.length);
        assertThat(r.body()).isEqualTo(java.util.Arrays.copyOfRange(file, 1000, file.length));
    }

    @Test
    void rangeAnswersAsActixFiles() throws Exception {
        q.collection("c", 1);
        JsonNode s = createSnapshot("c");
        String path = "/collections/c/snapshots/" + s.get("name").asText();
        byte[] file = Files.readAllBytes(q.snapshotFile("c", s.get("name").asText()));

        HttpResponse<byte[]> slice = get(path, "Accept-Encoding", "identity", "Range", "bytes=10-19");
        assertThat(slice.statusCode()).isEqualTo(206);
        assertThat(slice.headers().firstValue("content-range")).hasValue("bytes 10-19/" + file.length);
        assertThat(slice.headers().firstValueAsLong("content-length")).hasValue(10);
        assertThat(slice.body()).isEqualTo(java.util.Arrays.copyOfRange(file, 10, 20));

        HttpResponse<byte[]> beyond = get(path, "Accept-Encoding", "identity", "Range", "bytes=" + file.length + "-");
        assertThat(beyond.statusCode()).isEqualTo(416);
        assertThat(beyond.headers().firstValue("content-range")).hasValue("bytes */" + file.length);
        assertThat(beyond.body()).isEmpty();
    }

    @Test
    void snapshotsOnS3IgnoreRangeAndSendTheWholeFile() throws Exception {
        q.collection("c", 1).snapshotsOnS3(true);
        JsonNode s = createSnapshot("c");
        byte[] file = Files.readAllBytes(q.snapshotFile("c", s.get("name").asText()));

        HttpResponse<byte[]> r = get(
                "/collections/c/snapshots/" + s.get("name").asText(),
                "Accept-Encoding",
                "identity",
                "Range",
                "bytes=1000-");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-range")).isEmpty();
        assertThat(r.headers().firstValue("accept-ranges")).isEmpty();
        assertThat(r.body()).isEqualTo(file);
    }

    @Test
    void aDroppedRangeDownloadSendsHalfOfTheRange() throws Exception {
        q.collection("c", 1);
        JsonNode s = createSnapshot("c");
        String path = "/collections/c/snapshots/" + s.get("name").asText();
        long size = s.get("size").asLong();
        q.dropConnectionOnDownload("c", 1);

        assertThatThrownBy(() -> get(path, "Accept-Encoding", "identity", "Range", "bytes=1000-"))
                .isInstanceOf(IOException.class);
        assertThat(q.downloadBytesSent()).isEqualTo((size - 1000) / 2);
    }

    // ------------------------------------------------------------------ auth

    @Test
    void apiKeyRequiredExceptOnHealthEndpoints() throws Exception {
        q.withApiKey("secret").withReadOnlyKey("reader").collection("c", 1);

        HttpResponse<byte[]> missing = get("/collections");
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.headers().firstValue("content-type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(text(missing)).isEqualTo("Must provide an API key or an Authorization bearer token");

        HttpResponse<byte[]> wrong = get("/collections", "api-key", "nope");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(text(wrong)).isEqualTo("Invalid API key or JWT");

        assertThat(get("/collections", "api-key", "secret").statusCode()).isEqualTo(200);
        assertThat(get("/collections", "Authorization", "Bearer secret").statusCode())
                .isEqualTo(200);
        for (String p : List.of("/", "/healthz", "/livez", "/readyz")) {
            assertThat(get(p).statusCode()).isEqualTo(200);
        }

        assertThat(get("/collections/c/snapshots", "api-key", "reader").statusCode())
                .isEqualTo(200);
        assertThat(postJson("/collections/c/points/count", "{\"exact\":true}", "api-key", "reader")
                        .statusCode())
                .isEqualTo(200);
        HttpResponse<byte[]> forbidden = send("POST", "/collections/c/snapshots", null, "api-key", "reader");
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(forbidden.headers().firstValue("content-type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(q.serverSnapshots("c")).isEmpty();
    }

    // ------------------------------------------------------------------ upload

    @Test
    void uploadRestoresCollectionAndKeepsTheFile() throws Exception {
        Path tar = tmp.resolve("in.snapshot");
        String sum = FakeQdrant.writeSnapshotTar(tar, "books", 1234, VECTORS, 1, 30_000);
        assertThat(sum).isEqualTo(FakeQdrant.sha256(tar));

        HttpResponse<byte[]> r = upload(
                "restored",
                Files.readAllBytes(tar),
                "books-backup.snapshot",
                "priority=snapshot&wait=true&checksum=" + sum);
        assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
        assertThat(json(r).get("result").asBoolean()).isTrue();
        assertThat(json(r).get("status").asText()).isEqualTo("ok");

        assertThat(q.collectionExists("restored")).isTrue();
        assertThat(q.points("restored")).isEqualTo(1234);
        assertThat(JSON.readTree(q.vectorsConfig("restored"))).isEqualTo(JSON.readTree(VECTORS));
        assertThat(json(get("/collections/restored")).at("/result/status").asText())
                .isEqualTo("yellow");
        JsonNode info = json(get("/collections/restored")).get("result");
        assertThat(info.get("status").asText()).isEqualTo("green");
        assertThat(info.get("optimizer_status").asText()).isEqualTo("ok");
        assertThat(json(postJson("/collections/restored/points/count", "{\"exact\":true}"))
                        .at("/result/count")
                        .asLong())
                .isEqualTo(1234);

        // the upload stays in the snapshots folder, listed without checksum, deletable
        assertThat(q.serverSnapshots("restored")).containsExactly("books-backup.snapshot");
        JsonNode listed =
                json(get("/collections/restored/snapshots")).get("result").get(0);
        assertThat(listed.get("name").asText()).isEqualTo("books-backup.snapshot");
        assertThat(listed.has("checksum")).isFalse();
        assertThat(send("DELETE", "/collections/restored/snapshots/books-backup.snapshot", null)
                        .statusCode())
                .isEqualTo(200);
        assertThat(q.serverSnapshots("restored")).isEmpty();

        // into an existing, compatible collection: points replaced
        FakeQdrant.writeSnapshotTar(tar, "books", 5, VECTORS, 1, 10_000);
        assertThat(upload("restored", Files.readAllBytes(tar), "again.snapshot", "priority=snapshot")
                        .statusCode())
                .isEqualTo(200);
        assertThat(q.points("restored")).isEqualTo(5);
    }

    @Test
    void uploadErrors() throws Exception {
        Path tar = tmp.resolve("in.snapshot");
        String sum = FakeQdrant.writeSnapshotTar(tar, "books", 3, VECTORS, 1, 10_000);
        byte[] bytes = Files.readAllBytes(tar);

        HttpResponse<byte[]> badName = upload("a%3Cb", bytes, "x.snapshot", "priority=snapshot");
        assertThat(badName.statusCode()).isEqualTo(422);
        assertThat(json(badName).at("/status/error").asText()).isNotBlank();
        assertThat(upload("x".repeat(256), bytes, "x.snapshot", "priority=snapshot")
                        .statusCode())
                .isEqualTo(422);

        HttpResponse<byte[]> badFormat = upload("c", bytes, "x.snapshot", "checksum=abc");
        assertThat(badFormat.statusCode()).isEqualTo(422);

        String other = "0".repeat(64);
        HttpResponse<byte[]> mismatch = upload("c", bytes, "x.snapshot", "checksum=" + other);
        assertThat(mismatch.statusCode()).isEqualTo(400);
        assertThat(json(mismatch).at("/status/error").asText())
                .isEqualTo("Checksum mismatch: expected " + sum + ", actual " + other);
        assertThat(q.collectionExists("c")).isFalse();

        HttpResponse<byte[]> notTar = upload(
                "c",
                "hello, not a tar".repeat(100).getBytes(StandardCharsets.UTF_8),
                "x.snapshot",
                "priority=snapshot");
        assertThat(notTar.statusCode()).isEqualTo(500);
        assertThat(json(notTar).at("/status/error").asText()).startsWith("Service internal error: ");

        ByteArrayOutputStream noConfig = new ByteArrayOutputStream();
        new SnapshotTars.Writer(noConfig, 0).add("version.info", "1.19.0").finish();
        HttpResponse<byte[]> missingConfig = upload("c", noConfig.toByteArray(), "x.snapshot", "priority=snapshot");
        assertThat(missingConfig.statusCode()).isEqualTo(500);
        assertThat(json(missingConfig).at("/status/error").asText()).startsWith("Service internal error: ");
        assertThat(q.collectionExists("c")).isFalse();

        q.collection("c", 9, "{\"size\":8,\"distance\":\"Dot\"}", 1);
        HttpResponse<byte[]> incompatible = upload("c", bytes, "x.snapshot", "priority=snapshot&checksum=" + sum);
        assertThat(incompatible.statusCode()).isEqualTo(400);
        assertThat(json(incompatible).at("/status/error").asText())
                .startsWith("Wrong input: Snapshot is not compatible with existing collection: ");
        assertThat(q.points("c")).isEqualTo(9);

        q.collection("d", 9, VECTORS, 2);
        assertThat(upload("d", bytes, "x.snapshot", "priority=snapshot").statusCode())
                .isEqualTo(400);
    }

    @Test
    void uploadWithoutWaitAnswers202EvenIfRecoveryFails() throws Exception {
        Path tar = tmp.resolve("in.snapshot");
        FakeQdrant.writeSnapshotTar(tar, "books", 3, VECTORS, 1, 10_000);
        HttpResponse<byte[]> r =
                upload("c", Files.readAllBytes(tar), "in.snapshot", "wait=false&checksum=" + "1".repeat(64));
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(json(r).get("status").asText()).isEqualTo("accepted");
        assertThat(q.collectionExists("c")).isFalse();
        assertThat(upload("c", Files.readAllBytes(tar), "in.snapshot", "wait=false")
                        .statusCode())
                .isEqualTo(202);
        assertThat(q.points("c")).isEqualTo(3);
    }

    @Test
    void readOnlyKeyCannotUpload() throws Exception {
        q.withApiKey("secret").withReadOnlyKey("reader");
        Path tar = tmp.resolve("in.snapshot");
        FakeQdrant.writeSnapshotTar(tar, "books", 3, VECTORS, 1, 10_000);
        HttpRequest req = HttpRequest.newBuilder(URI.create(q.url() + "/collections/c/snapshots/upload"))
                .header("api-key", "reader")
                .header("Content-Type", "multipart/form-data; boundary=x")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[10]))
                .build();
        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(q.collectionExists("c")).isFalse();
    }

    // ------------------------------------------------------------------ full snapshots

    @Test
    void fullSnapshotHoldsEveryCollectionAndTheAliases() throws Exception {
        q.collection("a", 1).collection("b", 2).alias("x", "a");
        HttpResponse<byte[]> r = send("POST", "/snapshots?wait=true", null);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode d = json(r).get("result");
        String name = d.get("name").asText();
        assertThat(name).matches("full-snapshot-\\d{4}-\\d{2}-\\d{2}-\\d{2}-\\d{2}-\\d{2}\\.snapshot");

        assertThat(json(get("/snapshots")).get("result")).hasSize(1);
        HttpResponse<byte[]> dl = get("/snapshots/" + name, "Accept-Encoding", "identity");
        assertThat(FakeQdrant.sha256(dl.body())).isEqualTo(d.get("checksum").asText());

        Map<String, byte[]> entries = SnapshotTars.read(dl.body(), 10 << 20);
        JsonNode config = JSON.readTree(entries.get("config.json"));
        String aSnap = config.at("/collections_mapping/a").asText();
        assertThat(aSnap).startsWith("a-11532566549086892528-");
        assertThat(config.at("/collections_mapping/b").asText()).startsWith("b-");
        assertThat(config.at("/collections_aliases/x").asText()).isEqualTo("a");
        assertThat(SnapshotTars.read(entries.get(aSnap), 1 << 20)).containsKey("config.json");
        assertThat(q.serverSnapshots("a")).isEmpty();

        assertThat(send("DELETE", "/snapshots/" + name, null).statusCode()).isEqualTo(200);
        assertThat(json(get("/snapshots")).get("result")).isEmpty();
        assertThat(get("/snapshots/" + name).statusCode()).isEqualTo(404);
    }

    // ------------------------------------------------------------------ faults

    @Test
    void failNextThenNormal() throws Exception {
        q.collection("c", 1);
        q.failNext("GET", "/collections", 503, "{\"status\":{\"error\":\"Service unavailable\"},\"time\":0.0}", 2);
        assertThat(get("/collections").statusCode()).isEqualTo(503);
        assertThat(get("/collections").statusCode()).isEqualTo(503);
        assertThat(get("/collections").statusCode()).isEqualTo(200);
        assertThat(get("/collections/c").statusCode()).isEqualTo(200);
        assertThat(q.countRequests("GET", "/collections")).isEqualTo(3);
        assertThat(q.countRequests("*", "/collections.*")).isEqualTo(4);
    }

    @Test
    void downThenUp() throws Exception {
        q.collection("c", 1);
        String url = q.url();
        q.down();
        assertThatThrownBy(() -> get("/collections")).isInstanceOf(ConnectException.class);
        q.up();
        assertThat(q.url()).isEqualTo(url);
        assertThat(json(get("/collections")).at("/result/collections/0/name").asText())
                .isEqualTo("c");
    }

    @Test
    void droppedAndCorruptDownloadsThenNormal() throws Exception {
        q.collection("c", 1).snapshotSize("c", 300_000);
        JsonNode s = createSnapshot("c");
        String path = "/collections/c/snapshots/" + s.get("name").asText();
        String sum = s.get("checksum").asText();

        q.dropConnectionOnDownload("c", 1);
        assertThatThrownBy(() -> get(path, "Accept-Encoding", "identity")).isInstanceOf(IOException.class);

        q.corruptDownload("c", 1);
        HttpResponse<byte[]> corrupt = get(path, "Accept-Encoding", "identity");
        assertThat(corrupt.statusCode()).isEqualTo(200);
        assertThat(corrupt.body()).hasSize(s.get("size").asInt());
        assertThat(FakeQdrant.sha256(corrupt.body())).isNotEqualTo(sum);

        assertThat(FakeQdrant.sha256(get(path, "Accept-Encoding", "identity").body()))
                .isEqualTo(sum);
    }

    @Test
    void delayNextSlowsOnlyTheMatchingCalls() throws Exception {
        q.delayNext("GET", "/collections", Duration.ofMillis(400), 1);
        long t0 = System.nanoTime();
        assertThat(get("/collections").statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(400));

        HttpRequest quick = HttpRequest.newBuilder(URI.create(q.url() + "/collections"))
                .timeout(Duration.ofMillis(300))
                .build();
        assertThat(http.send(quick, HttpResponse.BodyHandlers.discarding()).statusCode())
                .isEqualTo(200);
    }

    @Test
    void concurrentSnapshotsOfSeveralCollections() throws Exception {
        List<String> names = List.of("c1", "c2", "c3", "c4");
        names.forEach(n -> q.collection(n, 10));
        List<java.util.concurrent.CompletableFuture<HttpResponse<byte[]>>> futures = new ArrayList<>();
        for (String n : names) {
            futures.add(http.sendAsync(
                    HttpRequest.newBuilder(URI.create(q.url() + "/collections/" + n + "/snapshots"))
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray()));
        }
        for (var f : futures) {
            assertThat(f.get().statusCode()).isEqualTo(200);
        }
        names.forEach(n -> assertThat(q.serverSnapshots(n)).hasSize(1));
        assertThat(q.countRequests("POST", "/collections/[^/]+/snapshots")).isEqualTo(4);
    }
}
