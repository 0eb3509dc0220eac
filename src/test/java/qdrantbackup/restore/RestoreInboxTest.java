package qdrantbackup.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static qdrantbackup.restore.Inboxes.drop;
import static qdrantbackup.restore.Inboxes.dropText;
import static qdrantbackup.restore.Inboxes.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.backup.BackupRun;
import qdrantbackup.store.Manifest;
import qdrantbackup.store.local.LocalStore;
import qdrantbackup.testing.FakeQdrant;
import qdrantbackup.testing.LogCapture;
import qdrantbackup.testing.TestApp;

/** Restores dropped into the inbox, through the real routes, against Qdrant's stand-in. */
class RestoreInboxTest {
    private static final String KEY = "s3cr3t-manage-key-0123456789";

    @TempDir
    Path dir;

    FakeQdrant qdrant;
    TestApp app;
    Path inbox;

    @BeforeEach
    void qdrant() {
        qdrant = FakeQdrant.start(dir.resolve("qdrant"))
                .withApiKey(KEY)
                .collection("products", 1200)
                .alias("shop", "products")
                .collection("users", 40);
        inbox = dir.resolve("inbox");
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        qdrant.close();
    }

    private TestApp app(Map<String, String> extra) throws Exception {
        Map<String, String> o = new HashMap<>(Inboxes.settings(dir));
        o.put("qdrant.api-key", KEY);
        o.putAll(extra);
        app = TestApp.start(dir, qdrant.url(), o);
        return app;
    }

    private Manifest backUp(String collection) {
        BackupRun run = app.backupNow(collection);
        assertThat(run.isOk()).as(String.valueOf(run.getError())).isTrue();
        return new LocalStore(app.archive).list(collection).get(0);
    }

    @Test
    void roundTripBackUpThenRestoreIntoANewNameFromARequest() throws Exception {
        try (LogCapture logs = new LogCapture()) {
            app(Map.of());
            Manifest backup = backUp("products");
            dropText(
                    inbox,
                    "try.restore.json",
                    "{\"collection\": \"products\", \"snapshot\": \"latest\", \"target\": \"products_restored\"}");

            JsonNode report = report(inbox, "try.restore.json");
            assertThat(report.path("outcome").asText()).as(report.toString()).isEqualTo("RESTORED");
            assertThat(report.path("source").asText()).isEqualTo("archive");
            assertThat(report.path("snapshot").asText()).isEqualTo(backup.snapshot());
            assertThat(report.path("sha256").asText()).isEqualTo(backup.sha256());
            assertThat(qdrant.points("products_restored")).isEqualTo(1200);
            assertThat(qdrant.points("products")).isEqualTo(1200);
            assertThat(check(report, "points")).contains("1200 = 1200");
            assertThat(check(report, "status")).contains("green");
            // a live alias is not taken away from the original by a restore into a new name
            assertThat(qdrant.aliases()).containsEntry("shop", "products");
            assertThat(check(report, "aliases")).contains("left alone").contains("shop=products");
            assertThat(report.path("aliases").path("leftAlone").path("shop").asText())
                    .isEqualTo("products");
            // Qdrant's kept copy of the upload is deleted
            assertThat(qdrant.serverSnapshots("products_restored")).isEmpty();
            assertThat(qdrant.requests("POST", "/collections/products_restored/snapshots/upload"))
                    .singleElement()
                    .satisfies(r -> assertThat(r.query())
                            .contains("priority=snapshot")
                            .contains("wait=true")
                            .contains("checksum=" + backup.sha256()));
            assertThat(inbox.resolve("done/try.restore.json")).exists();
            assertThat(inbox.resolve("try.restore.json")).doesNotExist();
            String everything = logs.text() + Files.readString(inbox.resolve("done/try.restore.json.report.json"));
            assertThat(everything).doesNotContain(KEY);
        }
    }

    @Test
    void aSnapshotWithItsManifestReplacesTheCollectionAfterASafetyCopy() throws Exception {
        app(Map.of());
        Manifest backup = backUp("products");
        // later: data changed and the alias was switched to another collection
        qdrant.collection("products", 5).removeCollection("nothing");
        qdrant.alias("shop", "users");
        LocalStore archive = new LocalStore(app.archive);
        drop(inbox, archive.manifestPath(backup), backup.fileName());
        drop(inbox, archive.firstFile(backup), backup.snapshot());

        JsonNode report = report(inbox, backup.snapshot());
        assertThat(report.path("outcome").asText()).as(report.toString()).isEqualTo("RESTORED");
        assertThat(qdrant.points("products")).isEqualTo(1200);
        // a switched alias is the operator's: left alone, and the report says so
        assertThat(qdrant.aliases()).containsEntry("shop", "users");
        assertThat(report.path("aliases").path("leftAlone").path("shop").asText())
                .isEqualTo("users");
        // the state before the restore is kept, with a manifest, where retention does not count it
        Path safety = Path.of(report.path("safetyCopy").asText());
        assertThat(safety.getParent()).isEqualTo(app.archive.resolve("products/pre-restore"));
        assertThat(LocalStore.readManifest(safety.resolveSibling(safety.getFileName() + ".json"))
                        .orElseThrow())
                .satisfies(m -> {
                    assertThat(m.pointCount()).isEqualTo(5);
                    assertThat(m.sha256()).isEqualTo(FakeQdrant.sha256(safety));
                });
        assertThat(new LocalStore(app.archive).list("products"))
                .extracting(Manifest::snapshot)
                .containsExactly(backup.snapshot());
        // the manifest travels with its snapshot; neither is a job of its own
        assertThat(inbox.resolve("done").resolve(backup.snapshot())).exists();
        assertThat(inbox.resolve("done").resolve(backup.snapshot() + ".json")).exists();
        assertThat(inbox.resolve("done").resolve(backup.snapshot() + ".json.report.json"))
                .doesNotExist();
        assertThat(qdrant.serverSnapshots("products")).isEmpty();
    }

    @Test
    void aBareSnapshotNamedTheQdrantWayGoesToTheCollectionItsNameStartsWith() throws Exception {
        Path tar = dir.resolve("x.snapshot");
        FakeQdrant.writeSnapshotTar(tar, "users", 77, FakeQdrant.DEFAULT_VECTORS, 1, 32 * 1024);
        app(Map.of());
        String name = Inboxes.name("users", 1);
        drop(inbox, tar, name);

        JsonNode report = report(inbox, name);
        assertThat(report.path("outcome").asText()).as(report.toString()).isEqualTo("RESTORED");
        assertThat(report.path("target").asText()).isEqualTo("users");
        assertThat(qdrant.points("users")).isEqualTo(77);
        assertThat(check(report, "points")).contains("no manifest");
    }

    @Test
    void fileNamesWithSpacesAndUnicodeWork() throws Exception {
        Path tar = dir.resolve("x.snapshot");
        FakeQdrant.writeSnapshotTar(tar, "produits été", 12, FakeQdrant.DEFAULT_VECTORS, 1, 16 * 1024);
        app(Map.of());
        String name = Inboxes.name("produits été", 2);
        drop(inbox, tar, name);

        JsonNode report = report(inbox, name);
        assertThat(report.path("outcome").asText()).as(report.toString()).isEqualTo("RESTORED");
        assertThat(qdrant.points("produits été")).isEqualTo(12);
        assertThat(qdrant.serverSnapshots("produits été")).isEmpty();
    }

    @Test
    void theSameFileDroppedTwiceIsRestoredTwiceAndBothOutcomesAreKept() throws Exception {
        Path tar = dir.resolve("x.snapshot");
        FakeQdrant.writeSnapshotTar(tar, "users", 9, FakeQdrant.DEFAULT_VECTORS, 1, 16 * 1024);
        app(Map.of());
        String name = Inboxes.name("users", 3);
        drop(inbox, tar, name);
        assertThat(report(inbox, name).path("outcome").asText()).isEqualTo("RESTORED");
        drop(inbox, tar, name);

        JsonNode second = report(inbox, name + ".2");
        assertThat(second.path("outcome").asText()).isEqualTo("RESTORED");
        assertThat(inbox.resolve("done").resolve(name)).exists();
        assertThat(inbox.resolve("done").resolve(name + ".2")).exists();
        assertThat(qdrant.countRequests("POST", "/collections/users/snapshots/upload"))
                .isEqualTo(2);
        assertThat(qdrant.points("users")).isEqualTo(9);
    }

    @Test
    void twoDropsForTheSameCollectionRunOneAfterTheOther() throws Exception {
        Path first = dir.resolve("a.snapshot");
        Path second = dir.resolve("b.snapshot");
        FakeQdrant.writeSnapshotTar(first, "users", 10, FakeQdrant.DEFAULT_VECTORS, 1, 256 * 1024);
        FakeQdrant.writeSnapshotTar(second, "users", 20, FakeQdrant.DEFAULT_VECTORS, 1, 256 * 1024);
        Files.createDirectories(inbox);
        drop(inbox, first, Inboxes.name("users", 4));
        drop(inbox, second, Inboxes.name("users", 5));
        Files.setLastModifiedTime(
                inbox.resolve(Inboxes.name("users", 4)),
                java.nio.file.attribute.FileTime.from(Instant.now().minusSeconds(5)));
        app(Map.of());

        JsonNode a = report(inbox, Inboxes.name("users", 4));
        JsonNode b = report(inbox, Inboxes.name("users", 5));
        assertThat(a.path("outcome").asText()).isEqualTo("RESTORED");
        assertThat(b.path("outcome").asText()).isEqualTo("RESTORED");
        assertThat(Instant.parse(b.path("started").asText()))
                .isAfterOrEqualTo(Instant.parse(a.path("finished").asText()));
        assertThat(qdrant.points("users")).isEqualTo(20);
        // each replaced the one before, so each saved it first
        assertThat(Files.list(app.archive.resolve("users/pre-restore"))
                        .filter(p -> p.toString().endsWith(".snapshot")))
                .hasSize(2);
    }

    @Test
    void aFileStillBeingCopiedIsNotPickedUp() throws Exception {
        Path tar = dir.resolve("x.snapshot");
        FakeQdrant.writeSnapshotTar(tar, "users", 3, FakeQdrant.DEFAULT_VECTORS, 1, 16 * 1024);
        app(Map.of("restore.inbox.min-age", "1500ms"));
        String name = Inboxes.name("users", 6);
        Files.createDirectories(inbox);
        Files.copy(tar, inbox.resolve(name)); // written in place, as cp does

        await().during(Duration.ofMillis(800))
                .atMost(Duration.ofSeconds(2))
                .until(() -> qdrant.countRequests("POST", ".*/upload") == 0);
        assertThat(report(inbox, name).path("outcome").asText()).isEqualTo("RESTORED");
    }

    @Test
    void listenersHearEveryRestoreWithItsResultAndDuration() throws Exception {
        app(Map.of());
        List<RestoreReport> heard = new CopyOnWriteArrayList<>();
        app.camel().getRegistry().lookupByNameAndType("restore", Restore.class).onFinish(heard::add);
        dropText(inbox, "bad.restore.json", "{not json");

        await().atMost(Duration.ofSeconds(10)).until(() -> heard.size() == 1);
        assertThat(heard.get(0).getOutcome()).isEqualTo(RestoreReport.Outcome.REFUSED);
        assertThat(heard.get(0).duration()).isPositive();
    }

    @Test
    void theRestoreMetricsShowTheLastResultAndDuration() throws Exception {
        Path tar = dir.resolve("x.snapshot");
        FakeQdrant.writeSnapshotTar(tar, "users", 5, FakeQdrant.DEFAULT_VECTORS, 1, 16 * 1024);
        app(Map.of());
        drop(inbox, tar, Inboxes.name("users", 7));
        assertThat(report(inbox, Inboxes.name("users", 7)).path("outcome").asText())
                .isEqualTo("RESTORED");

        MeterRegistry meters = app.camel().getRegistry().lookupByNameAndType("metricsRegistry", MeterRegistry.class);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> meters.find("qdrant_restore_last_success")
                                .tag("collection", "users")
                                .gauge()
                        != null);
        assertThat(meters.find("qdrant_restore_last_success")
                        .tag("collection", "users")
                        .gauge()
                        .value())
                .isEqualTo(1.0);
        assertThat(meters.find("qdrant_restore_duration_seconds")
                        .tag("collection", "users")
                        .gauge()
                        .value())
                .isGreaterThan(0.0);
    }

    @Test
    void aBackupNowFileStartsABackupRunAndIsFiledWithItsReport() throws Exception {
        app(Map.of());
        dropText(inbox, "backup-now.users", "");

        JsonNode report = report(inbox, "backup-now.users");
        assertThat(report.path("result").asText()).isEqualTo("backup succeeded");
        assertThat(report.path("run").path("trigger").asText()).isEqualTo("inbox");
        assertThat(report.path("run").path("jobs")).hasSize(1);
        assertThat(new LocalStore(app.archive).list("users")).hasSize(1);
        assertThat(new LocalStore(app.archive).list("products")).isEmpty();
    }

    @Test
    void aBackupNowFileDuringARunIsSkippedAndSaysSo() throws Exception {
        qdrant.delayNext("POST", "/collections/products/snapshots", Duration.ofSeconds(2), 1);
        app(Map.of());
        CompletableFuture<BackupRun> running = CompletableFuture.supplyAsync(() -> app.backupNow());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> qdrant.countRequests("POST", "/collections/products/snapshots") == 1);
        dropText(inbox, "backup-now", "");

        JsonNode report = report(inbox, "backup-now");
        assertThat(report.path("result").asText()).startsWith("skipped").contains("still going");
        assertThat(running.get().isOk()).isTrue();
    }

    static String check(JsonNode report, String name) {
        for (JsonNode c : report.path("checks")) {
            if (c.path("name").asText().equals(name)) {
                assertThat(c.path("ok").asBoolean()).as(c.toString()).isTrue();
                return c.path("detail").asText();
            }
        }
        throw new AssertionError("no check " + name + " in " + report);
    }
}
