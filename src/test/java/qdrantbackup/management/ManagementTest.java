package qdrantbackup.management;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.backup.BackupRun;
import qdrantbackup.metrics.BackupMetrics;
import qdrantbackup.store.Manifest;
import qdrantbackup.store.local.LocalStore;
import qdrantbackup.testing.FakeQdrant;
import qdrantbackup.testing.TestApp;

/** The management port over real HTTP: health, metrics, POST /backup, GET /backups. */
class ManagementTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "mgmt-token-5e1f";
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    FakeQdrant qdrant;
    TestApp app;
    int port;

    @BeforeEach
    void qdrant() throws IOException {
        qdrant = FakeQdrant.start(dir.resolve("qdrant"))
                .collection("products", 120)
                .collection("users", 40);
        port = freePort();
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        qdrant.close();
    }

    private TestApp app() throws Exception {
        return app(Map.of());
    }

    private TestApp app(Map<String, String> extra) throws Exception {
        Map<String, String> settings = new HashMap<>(Map.of(
                "camel.management.enabled",
                "true",
                "camel.management.port",
                String.valueOf(port),
                "management.token",
                TOKEN));
        settings.putAll(extra);
        app = TestApp.start(dir, qdrant.url(), settings);
        return app;
    }

    @Test
    void readyWhileQdrantAnswersAndDownNamingQdrantAndWhyWhenNot() throws Exception {
        app();
        assertThat(get("/observe/health/live").statusCode()).isEqualTo(200);
        HttpResponse<String> ready = get("/observe/health/ready?exposureLevel=full");
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        assertThat(ready.body()).contains("\"qdrant\"").contains("\"offsite\"");

        qdrant.down();
        ready = get("/observe/health/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        JsonNode body = JSON.readTree(ready.body());
        assertThat(body.path("status").asText()).isEqualTo("DOWN");
        JsonNode check = body.path("checks").get(0);
        assertThat(check.path("name").asText()).isEqualTo("qdrant");
        // the scheme is left out: Camel 4.18 escapes the message twice, slashes would read \/
        assertThat(check.path("message").asText())
                .contains("Qdrant at " + qdrant.url().replace("http://", ""))
                .contains("did not answer")
                .contains("check qdrant.url");
        // Qdrant down is not a reason to restart this tool
        assertThat(get("/observe/health/live").statusCode()).isEqualTo(200);

        qdrant.up();
        assertThat(get("/observe/health/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void metricsAfterASuccessfulAndAFailedRun() throws Exception {
        BackupRun first = app().backupNow();
        assertThat(first.isOk()).isTrue();
        String metrics = get("/observe/metrics").body();
        double created = LocalStore.readManifest(manifest("users"))
                .orElseThrow()
                .createdAt()
                .getEpochSecond();
        assertThat(value(metrics, "qdrant_backup_last_success_timestamp_seconds", "collection=\"users\""))
                .isEqualTo(created);
        assertThat(value(metrics, "qdrant_backup_last_attempt_success", "collection=\"users\""))
                .isEqualTo(1.0);
        assertThat(value(metrics, "qdrant_backup_bytes", "collection=\"users\""))
                .isEqualTo((double) Files.size(app.archive
                        .resolve("users")
                        .resolve(first.getJobs().get(1).getSnapshot())));
        assertThat(value(metrics, "qdrant_backup_duration_seconds", "collection=\"users\""))
                .isGreaterThan(0);
        assertThat(value(metrics, "qdrant_backup_failures_total", "collection=\"users\""))
                .isEqualTo(0.0);
        assertThat(value(metrics, "qdrant_backup_kept_backups", "collection=\"users\",place=\"local\""))
                .isEqualTo(1.0);
        assertThat(value(metrics, "qdrant_backup_last_run_success", null)).isEqualTo(1.0);

        qdrant.failNext(
                "POST",
                "/collections/users/snapshots.*",
                500,
                "{\"status\":{\"error\":\"Service internal error: disk full\"},\"time\":0.001}",
                100);
        assertThat(app.backupNow().isOk()).isFalse();
        metrics = get("/observe/metrics").body();
        assertThat(value(metrics, "qdrant_backup_last_attempt_success", "collection=\"users\""))
                .isEqualTo(0.0);
        assertThat(value(metrics, "qdrant_backup_failures_total", "collection=\"users\""))
                .isEqualTo(1.0);
        assertThat(value(metrics, "qdrant_backup_last_success_timestamp_seconds", "collection=\"users\""))
                .as("a failure leaves the last success alone")
                .isEqualTo(created);
        assertThat(value(metrics, "qdrant_backup_last_attempt_success", "collection=\"products\""))
                .isEqualTo(1.0);
        assertThat(value(metrics, "qdrant_backup_last_run_success", null)).isEqualTo(0.0);
    }

    @Test
    void lastSuccessIsKeptPerPlaceAndAfterARestartABucketOutageStaysVisible() throws Exception {
        try (qdrantbackup.testing.S3Server s3 = qdrantbackup.testing.S3Server.start()) {
            app(s3.settings("q"));
            assertThat(app.backupNow().isOk()).isTrue();
            double created = LocalStore.readManifest(manifest("products"))
                    .orElseThrow()
                    .createdAt()
                    .getEpochSecond();
            String metrics = get("/observe/metrics").body();
            assertThat(value(
                            metrics,
                            "qdrant_backup_last_success_timestamp_seconds",
                            "collection=\"products\",place=\"local\""))
                    .isEqualTo(created);
            assertThat(value(
                            metrics,
                            "qdrant_backup_last_success_timestamp_seconds",
                            "collection=\"products\",place=\"offsite\""))
                    .isEqualTo(created);
            app.close();

            s3.stop();
            app(s3.settings("q"));
            metrics = get("/observe/metrics").body();
            assertThat(value(
                            metrics,
                            "qdrant_backup_last_success_timestamp_seconds",
                            "collection=\"products\",place=\"local\""))
                    .isEqualTo(created);
            // the archive's backups do not stand in for the bucket's: with the bucket down, offsite has no value
            assertThat(metrics).doesNotContain("place=\"offsite\"} " + created);
            // once the bucket's listing has failed, offsite says 0 (nothing known there): the alert fires
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(60))
                    .ignoreExceptions()
                    .until(() -> value(
                                    get("/observe/metrics").body(),
                                    "qdrant_backup_last_success_timestamp_seconds",
                                    "collection=\"products\",place=\"offsite\"")
                            == 0.0);
            assertThat(metrics)
                    .doesNotContainPattern("qdrant_backup_last_success_timestamp_seconds\\{collection=\"products\"\\}");
        }
    }

    @Test
    void lastSuccessSurvivesARestartSeededFromTheManifests() throws Exception {
        assertThat(app().backupNow().isOk()).isTrue();
        double created = LocalStore.readManifest(manifest("products"))
                .orElseThrow()
                .createdAt()
                .getEpochSecond();
        app.close();

        app();
        String metrics = get("/observe/metrics").body();
        assertThat(value(metrics, "qdrant_backup_last_success_timestamp_seconds", "collection=\"products\""))
                .isEqualTo(created);
        assertThat(value(metrics, "qdrant_backup_last_attempt_success", "collection=\"products\""))
                .isEqualTo(1.0);
        assertThat(value(metrics, "qdrant_backup_kept_backups", "collection=\"products\",place=\"local\""))
                .isEqualTo(1.0);
    }

    @Test
    void restoresReportTheirResultThroughTheMetricsBean() throws Exception {
        app().camel()
                .getRegistry()
                .lookupByNameAndType("metrics", BackupMetrics.class)
                .recordRestore("users", true, 12.5);
        String metrics = get("/observe/metrics").body();
        assertThat(value(metrics, "qdrant_restore_last_success", "collection=\"users\""))
                .isEqualTo(1.0);
        assertThat(value(metrics, "qdrant_restore_duration_seconds", "collection=\"users\""))
                .isEqualTo(12.5);
    }

    @Test
    void postBackupStartsARunAndRefusesASecondWhileItGoes() throws Exception {
        qdrant.delayNext("POST", "/collections/products/snapshots.*", Duration.ofSeconds(2), 1);
        app();
        HttpResponse<String> started = post("/backup");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        assertThat(JSON.readTree(started.body()).path("started").asBoolean()).isTrue();

        HttpResponse<String> refused = post("/backup?collection=users");
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(refused.body()).path("message").asText()).contains("already going");

        Path summary = app.state.resolve("last-backup.json");
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(summary));
        JsonNode run = JSON.readTree(summary.toFile());
        assertThat(run.path("trigger").asText()).isEqualTo("http");
        assertThat(run.path("jobs")).hasSize(2);

        // once it is over, the next request starts a run again, for one collection
        await().atMost(Duration.ofSeconds(10))
                .until(() -> post("/backup?collection=users").statusCode() == 202);
        await().atMost(Duration.ofSeconds(20)).until(() -> countRuns() == 2);
        assertThat(get("/backup").statusCode()).isEqualTo(405);
    }

    @Test
    void getBackupsListsTheCatalogueAsJson() throws Exception {
        assertThat(app().backupNow().isOk()).isTrue();
        HttpResponse<String> response = get("/backups");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).contains("json"));
        JsonNode list = JSON.readTree(response.body());
        assertThat(list).hasSize(2);
        Manifest products = new LocalStore(app.archive).list("products").get(0);
        JsonNode first = list.get(0);
        assertThat(first.path("collection").asText()).isEqualTo("products");
        assertThat(first.path("snapshot").asText()).isEqualTo(products.snapshot());
        assertThat(first.path("sha256").asText()).isEqualTo(products.sha256());
        assertThat(first.path("where").asText()).isEqualTo("local");
        assertThat(first.path("kept").asBoolean()).isTrue();
        assertThat(first.path("retention").path("local").asText()).contains("keep-last");

        JsonNode users = JSON.readTree(get("/backups?collection=users").body());
        assertThat(users).hasSize(1);
        assertThat(users.get(0).path("collection").asText()).isEqualTo("users");
    }

    private Path manifest(String collection) throws IOException {
        try (var files = Files.list(app.archive.resolve(collection))) {
            return files.filter(f -> f.toString().endsWith(".json")).findFirst().orElseThrow();
        }
    }

    private long countRuns() throws IOException {
        try (var files = Files.list(app.state.resolve("runs"))) {
            return files.count();
        }
    }

    /** The value of one sample of the Prometheus text, e.g. {@code name{collection="users"} 1.0}. */
    static double value(String metrics, String name, String labels) {
        return qdrantbackup.testing.Prometheus.value(metrics, name, labels);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                        .header("Authorization", "Bearer " + TOKEN)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                        .header("Authorization", "Bearer " + TOKEN)
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
