package qdrantbackup.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.lifecycle.ArchiveLock;
import qdrantbackup.testing.FakeQdrant;
import qdrantbackup.testing.LogCapture;
import qdrantbackup.testing.TestApp;

/** The backup chain through the real routes, against Qdrant's stand-in, without offsite. */
class BackupChainTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    FakeQdrant qdrant;
    TestApp app;

    @BeforeEach
    void qdrant() {
        qdrant = FakeQdrant.start(dir.resolve("qdrant"))
                .collection("products", 1200)
                .snapshotSize("products", 3 * 1024 * 1024)
                .collection("users", 40)
                .collection("logs", 7)
                .alias("shop", "products");
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        qdrant.close();
    }

    private TestApp app(Map<String, String> extra) throws Exception {
        app = TestApp.start(dir, qdrant.url(), extra);
        return app;
    }

    @Test
    void everyCollectionLandsVerifiedInTheArchiveWithItsManifest() throws Exception {
        BackupRun run = app(Map.of()).backupNow();

        assertThat(run.isOk()).as(run.getJobs().toString()).isTrue();
        assertThat(run.getJobs()).extracting(BackupJob::getCollection).containsExactly("logs", "products", "users");
        for (BackupJob job : run.getJobs()) {
            Path snapshot = app.archive.resolve(job.getCollection()).resolve(job.getSnapshot());
            assertThat(snapshot).exists();
            assertThat(FakeQdrant.sha256(snapshot)).isEqualTo(job.getSha256());
            JsonNode manifest = JSON.readTree(
                    snapshot.resolveSibling(job.getSnapshot() + ".json").toFile());
            assertThat(manifest.path("sha256").asText()).isEqualTo(FakeQdrant.sha256(snapshot));
            assertThat(manifest.path("size").asLong()).isEqualTo(Files.size(snapshot));
            assertThat(manifest.path("pointCount").asLong()).isEqualTo(qdrant.points(job.getCollection()));
            assertThat(manifest.path("qdrantVersion").asText()).isEqualTo(FakeQdrant.VERSION);
            assertThat(manifest.path("config").path("params").path("vectors").toString())
                    .isEqualTo(qdrant.vectorsConfig(job.getCollection()));
            assertThat(job.getSnapshot())
                    .matches(job.getCollection() + "-" + FakeQdrant.PEER_ID
                            + "-\\d{4}-\\d{2}-\\d{2}-\\d{2}-\\d{2}-\\d{2}\\.snapshot");
            // the server's disk is freed
            assertThat(qdrant.serverSnapshots(job.getCollection())).isEmpty();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(snapshot)))
                    .isEqualTo("rw-------");
        }
        JsonNode products = JSON.readTree(app.archive
                .resolve("products")
                .resolve(run.getJobs().get(1).getSnapshot() + ".json")
                .toFile());
        assertThat(products.path("aliases").path("shop").asText()).isEqualTo("products");
        // downloads ask for the raw bytes, never gzip
        assertThat(qdrant.requestHeaderValues("GET", ".*/snapshots/.*", "Accept-Encoding"))
                .containsOnly("identity");
        // the run summary is kept as JSON
        JsonNode summary = JSON.readTree(app.state.resolve("last-backup.json").toFile());
        assertThat(summary.path("ok").asBoolean()).isTrue();
        assertThat(summary.path("jobs")).hasSize(3);
        assertThat(summary.path("jobs").get(1).path("bytes").asLong()).isGreaterThan(3_000_000);
    }

    @Test
    void aDownloadCutOffMidStreamIsFetchedAgainAndNeverArchivedHalfWay() throws Exception {
        qdrant.dropConnectionOnDownload("products", 1);
        BackupRun run = app(Map.of()).backupNow("products");

        assertThat(run.isOk()).isTrue();
        assertThat(qdrant.countRequests("GET", "/collections/products/snapshots/.*"))
                .isEqualTo(2);
        // the second attempt asks only for what the first one did not get
        assertThat(qdrant.requestHeaderValues("GET", "/collections/products/snapshots/.*", "Range"))
                .hasSize(2)
                .first()
                .isNull();
        assertThat(qdrant.requestHeaderValues("GET", "/collections/products/snapshots/.*", "Range")
                        .get(1))
                .matches("bytes=[1-9]\\d*-");
        assertThat(qdrant.downloadBytesSent()).isLessThan(3 * 1024 * 1024 * 16 / 10);
        assertThat(archiveFiles("products")).allMatch(f -> !f.endsWith(".part")).hasSize(2);
        BackupJob products = job(run, "products");
        assertThat(FakeQdrant.sha256(app.archive.resolve("products").resolve(products.getSnapshot())))
                .isEqualTo(products.getSha256());
    }

    @Test
    void aBodyThatNeverMatchesTheChecksumFailsThatCollectionAndLeavesNoFile() throws Exception {
        qdrant.corruptDownload("products", 10);
        BackupRun run = app(Map.of()).backupNow();

        BackupJob products = job(run, "products");
        assertThat(products.getResult()).isEqualTo(BackupJob.Result.FAILED);
        assertThat(products.getError()).contains("not what Qdrant made").contains("SHA-256");
        assertThat(archiveFiles("products")).isEmpty();
        assertThat(job(run, "users").getResult()).isEqualTo(BackupJob.Result.OK);
        assertThat(job(run, "logs").getResult()).isEqualTo(BackupJob.Result.OK);
    }

    @Test
    void aServerErrorIsRetriedWithBackoffThenFailsOnlyThatCollection() throws Exception {
        qdrant.failNext(
                "POST",
                "/collections/users/snapshots.*",
                500,
                "{\"status\":{\"error\":\"Service internal error: disk full\"},\"time\":0.001}",
                100);
        try (LogCapture logs = new LogCapture()) {
            BackupRun run = app(Map.of()).backupNow();

            BackupJob users = job(run, "users");
            assertThat(users.getResult()).isEqualTo(BackupJob.Result.FAILED);
            assertThat(users.getError()).contains("HTTP 500").contains("disk full");
            assertThat(qdrant.countRequests("POST", "/collections/users/snapshots.*"))
                    .isEqualTo(3);
            assertThat(job(run, "products").getResult()).isEqualTo(BackupJob.Result.OK);
            assertThat(run.isOk()).isFalse();
            // the failure is logged once as an error
            assertThat(logs.lines())
                    .filteredOn(l -> l.startsWith("ERROR") && l.contains("disk full"))
                    .hasSize(1);
        }
    }

    @Test
    void aTransientErrorHeals() throws Exception {
        qdrant.failNext("GET", "/collections", 503, "{\"status\":{\"error\":\"busy\"},\"time\":0.0}", 1);
        BackupRun run = app(Map.of()).backupNow();
        assertThat(run.isOk()).isTrue();
    }

    @Test
    void qdrantUnreachableFailsTheRunClearly() throws Exception {
        qdrant.down();
        BackupRun run = app(Map.of()).backupNow();

        assertThat(run.isOk()).isFalse();
        assertThat(run.getError())
                .contains(qdrant.url())
                .contains("did not answer")
                .contains("qdrant.url");
        // nothing but the archive's lock, which the start takes before anything else
        try (Stream<Path> files = Files.list(app.archive)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(ArchiveLock.FILE);
        }
    }

    @Test
    void aMissingOrWrongApiKeyIsNamedAndTheKeyIsNeverLogged() throws Exception {
        qdrant.withApiKey("s3cr3t-qdrant-key-0123456789");
        try (LogCapture logs = new LogCapture()) {
            BackupRun run =
                    app(Map.of("qdrant.api-key", "wrong-key-0123456789")).backupNow();
            assertThat(run.getError())
                    .contains("401")
                    .contains("API key is missing or wrong")
                    .contains("qdrant.api-key");
            app.close();

            run = app(Map.of("qdrant.api-key", "s3cr3t-qdrant-key-0123456789")).backupNow();
            assertThat(run.isOk()).isTrue();
            assertThat(qdrant.requestHeaderValues("POST", ".*", "api-key")).contains("s3cr3t-qdrant-key-0123456789");
            assertThat(logs.text()).doesNotContain("s3cr3t-qdrant-key").doesNotContain("wrong-key-0123456789");
        }
    }

    @Test
    void aReadOnlyKeyIsToldItLacksRights() throws Exception {
        qdrant.withApiKey("rw-key-000000000000").withReadOnlyKey("ro-key-000000000000");
        BackupRun run = app(Map.of("qdrant.api-key", "ro-key-000000000000")).backupNow("users");
        assertThat(job(run, "users").getError()).contains("403").contains("lacks the rights");
    }

    @Test
    void httpsVerifiesTheServersCertificate() throws Exception {
        WireMockServer selfSigned = new WireMockServer(WireMockConfiguration.options()
                .dynamicHttpsPort()
                .httpDisabled(true)
                .bindAddress("127.0.0.1"));
        selfSigned.start();
        try {
            selfSigned.stubFor(WireMock.get("/collections")
                    .willReturn(WireMock.okJson("{\"result\":{\"collections\":[]},\"status\":\"ok\",\"time\":0.0}")));
            app = TestApp.start(dir, "https://127.0.0.1:" + selfSigned.httpsPort(), Map.of());
            BackupRun run = app.backupNow();

            assertThat(run.isOk()).isFalse();
            assertThat(run.getError()).contains("SSLHandshakeException").contains("trust store");
            assertThat(selfSigned.getAllServeEvents()).isEmpty();
        } finally {
            selfSigned.stop();
        }
    }

    @Test
    void includeAndExcludePatternsChooseTheCollections() throws Exception {
        BackupRun run = app(Map.of("backup.include", "p*,u*", "backup.exclude", "users"))
                .backupNow();
        assertThat(run.getJobs()).extracting(BackupJob::getCollection).containsExactly("products");
    }

    @Test
    void aCollectionNameThatWouldEscapeTheArchiveIsRefused() throws Exception {
        qdrant.collection("..", 1);
        BackupRun run = app(Map.of()).backupNow();

        BackupJob escaping = job(run, "..");
        assertThat(escaping.getResult()).isEqualTo(BackupJob.Result.FAILED);
        assertThat(escaping.getError()).contains("outside the archive");
        assertThat(qdrant.countRequests("POST", "/collections/\\.\\./snapshots.*"))
                .isZero();
        assertThat(job(run, "users").getResult()).isEqualTo(BackupJob.Result.OK);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("qdrant", "archive", "state");
        }
    }

    @Test
    void runsNeverOverlap() throws Exception {
        qdrant.delayNext("POST", "/collections/logs/snapshots.*", Duration.ofSeconds(2), 1);
        app(Map.of());
        CompletableFuture<BackupRun> first = CompletableFuture.supplyAsync(() -> app.backupNow());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> qdrant.countRequests("POST", "/collections/logs/snapshots.*") == 1);

        assertThat(app.backupNow()).as("second run while the first is going").isNull();
        assertThat(first.get().isOk()).isTrue();
        assertThat(qdrant.countRequests("POST", "/collections/.*/snapshots.*")).isEqualTo(3);
    }

    @Test
    void collectionsRunInParallelWhenAsked() throws Exception {
        BackupRun run = app(Map.of("backup.parallel", "3")).backupNow();
        assertThat(run.isOk()).isTrue();
        assertThat(run.getJobs()).hasSize(3);
    }

    @Test
    void theQuartzScheduleFiresABackupRun() throws Exception {
        app(Map.of("backup.schedule.enabled", "true", "backup.schedule.cron", "0/1 * * * * ?"));
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(app.state.resolve("last-backup.json")));
        JsonNode summary = JSON.readTree(app.state.resolve("last-backup.json").toFile());
        assertThat(summary.path("trigger").asText()).isEqualTo("schedule");
    }

    @Test
    void fullStorageSnapshotsAreArchivedToo() throws Exception {
        BackupRun run = app(Map.of("backup.full-storage", "true")).backupNow();
        BackupJob full = job(run, BackupJob.FULL_STORAGE);
        assertThat(full.getResult()).isEqualTo(BackupJob.Result.OK);
        assertThat(full.getSnapshot()).startsWith("full-snapshot-");
        assertThat(app.archive.resolve(BackupJob.FULL_STORAGE).resolve(full.getSnapshot()))
                .exists();
        assertThat(qdrant.serverFullSnapshots()).isEmpty();
    }

    private static BackupJob job(BackupRun run, String collection) {
        return run.getJobs().stream()
                .filter(j -> j.getCollection().equals(collection))
                .findFirst()
                .orElseThrow();
    }

    private List<String> archiveFiles(String collection) throws Exception {
        Path folder = app.archive.resolve(collection);
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }
}
