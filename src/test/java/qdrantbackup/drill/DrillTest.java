package qdrantbackup.drill;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.backup.BackupRun;
import qdrantbackup.testing.Damage;
import qdrantbackup.testing.FakePoints;
import qdrantbackup.testing.FakeQdrant;
import qdrantbackup.testing.SnapshotTars;
import qdrantbackup.testing.TestApp;

/** Restore drills through the real routes against the stand-in's real points. */
class DrillTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    FakeQdrant qdrant;
    TestApp app;

    @BeforeEach
    void start() throws Exception {
        qdrant = FakeQdrant.start(dir.resolve("qdrant"))
                .collection("products", 150)
                .payloadIndex("products", "tag", "keyword");
        app = TestApp.start(dir, qdrant.url(), Map.of());
    }

    @AfterEach
    void stop() {
        app.close();
        qdrant.close();
    }

    private String backup() {
        BackupRun run = app.backupNow("products");
        assertThat(run.isOk()).as(run.getJobs().toString()).isTrue();
        return run.getJobs().get(0).getSnapshot();
    }

    @SuppressWarnings("unchecked")
    private DrillReport drill() {
        List<DrillReport> reports = app.camel()
                .createProducerTemplate()
                .requestBodyAndHeader("direct:drill", null, "collection", "products", List.class);
        assertThat(reports).hasSize(1);
        assertThat(qdrant.collectionNames()).as("no scratch collection left").containsExactly("products");
        assertThat(app.state.resolve(DrillJournal.FILE)).doesNotExist();
        return reports.get(0);
    }

    private static DrillReport.Check check(DrillReport r, String name) {
        return r.checks.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aGoodBackupIsProvenRestorable() throws Exception {
        String snapshot = backup();
        DrillReport r = drill();

        assertThat(r.ok).as(r.checks.toString()).isTrue();
        assertThat(r.snapshot).isEqualTo(snapshot);
        assertThat(r.source).isEqualTo("archive");
        assertThat(r.scratch).startsWith(Drill.PREFIX + "products-");
        assertThat(r.checks)
                .extracting(DrillReport.Check::name)
                .containsExactly("health", "count", "config", "payload indexes", "points", "search", "recall");
        assertThat(r.checks).allMatch(c -> c.result() == DrillReport.Result.OK);
        assertThat(check(r, "points").detail()).startsWith("100 sampled points");
        assertThat(r.recall).isEqualTo(1.0);
        try (Stream<Path> files = Files.list(app.state.resolve("drills"))) {
            List<Path> reports = files.toList();
            assertThat(reports).hasSize(1);
            JsonNode json = JSON.readTree(reports.get(0).toFile());
            assertThat(json.path("ok").asBoolean()).isTrue();
            assertThat(json.path("checks")).hasSize(7);
        }
        assertThat(qdrant.requests("POST", ".*/snapshots/upload.*"))
                .allMatch(q -> q.path().contains(Drill.PREFIX));
    }

    private double gauge(String name) {
        io.micrometer.core.instrument.MeterRegistry meters = app.camel()
                .getRegistry()
                .lookupByNameAndType("metricsRegistry", io.micrometer.core.instrument.MeterRegistry.class);
        return meters.get(name).tag("collection", "products").gauge().value();
    }

    @Test
    void theMetricsShowTheLastProofAndARestartKeepsThem() throws Exception {
        String snapshot = backup();
        DrillReport r = drill();
        assertThat(r.ok).as(r.checks.toString()).isTrue();
        long created = java.time.Instant.parse(r.backupCreated).getEpochSecond();

        assertThat(gauge("qdrant_backup_last_verified_timestamp_seconds")).isEqualTo(created);
        assertThat(gauge("qdrant_backup_drill_last_ok")).isEqualTo(1);
        assertThat(gauge("qdrant_backup_drill_last_recall")).isEqualTo(1.0);
        assertThat(gauge("qdrant_backup_drill_last_duration_seconds")).isEqualTo(r.durationSeconds);

        // the next backup is damaged: the drill fails, the last proven backup stays the first one
        String second = backup();
        assertThat(second).isNotEqualTo(snapshot);
        damage(second);
        assertThat(drill().ok).isFalse();
        assertThat(gauge("qdrant_backup_drill_last_ok")).isZero();
        assertThat(gauge("qdrant_backup_last_verified_timestamp_seconds")).isEqualTo(created);

        app.close();
        app = TestApp.start(dir, qdrant.url(), Map.of());
        assertThat(gauge("qdrant_backup_last_verified_timestamp_seconds")).isEqualTo(created);
        assertThat(gauge("qdrant_backup_drill_last_ok")).isZero();
    }

    @Test
    void aBackupWithOneVectorChangedFailsNamingThePoint() throws Exception {
        String snapshot = backup();
        long victim = damage(snapshot);

        DrillReport r = drill();

        assertThat(r.ok).isFalse();
        assertThat(check(r, "count").result()).isEqualTo(DrillReport.Result.OK);
        assertThat(check(r, "points").result()).isEqualTo(DrillReport.Result.FAILED);
        assertThat(check(r, "points").detail()).contains("point(s) " + victim + " differ");
        assertThat(r.reason).contains("points: point(s) " + victim + " differ from the backup's hash");
    }

    @Test
    void anArchivedCopyDamagedOnDiskFailsTheDrillAndTheCollectionIsUntouched() throws Exception {
        String snapshot = backup();
        Path file = app.archive.resolve("products").resolve(snapshot);
        Damage.flipMiddleByte(file);

        DrillReport r = drill();

        assertThat(r.ok).isFalse();
        assertThat(check(r, "restore").result()).isEqualTo(DrillReport.Result.FAILED);
        assertThat(r.reason).containsIgnoringCase("checksum");
        assertThat(qdrant.points("products")).isEqualTo(150);
    }

    @Test
    void aCollectionTakingWritesDuringTheBackupIsReportedAsChangedNotDamaged() throws Exception {
        qdrant.writesDuringSnapshot("products", 30);
        backup();
        DrillReport r = drill();

        assertThat(r.ok).as(r.checks.toString()).isTrue();
        assertThat(check(r, "count").result()).isEqualTo(DrillReport.Result.CHANGED_WHILE_BACKED_UP);
        assertThat(check(r, "count").detail()).contains("between 150 and 180");
        assertThat(check(r, "points").result()).isEqualTo(DrillReport.Result.CHANGED_WHILE_BACKED_UP);
        assertThat(check(r, "points").detail()).contains("missing");
        assertThat(r.checks).noneMatch(c -> c.result() == DrillReport.Result.FAILED);
    }

    @Test
    void aCollectionWithoutBackupFailsWithOneSentence() {
        qdrant.collection("empty", 3);
        @SuppressWarnings("unchecked")
        List<DrillReport> reports = app.camel()
                .createProducerTemplate()
                .requestBodyAndHeader("direct:drill", null, "collection", "empty", List.class);
        assertThat(reports.get(0).ok).isFalse();
        assertThat(reports.get(0).reason)
                .isEqualTo("collection empty has no backup in the archive nor offsite (none"
                        + " (no offsite.bucket set))");
    }

    /** Changes one sampled point's vector in the archived backup, with a manifest doctored to match; its id. */
    private long damage(String snapshot) throws Exception {
        return damage(app.archive, "products", snapshot);
    }

    /** The same in any archive (used by the command tests). */
    static long damage(Path archive, String collection, String snapshot) throws Exception {
        Path file = archive.resolve(collection).resolve(snapshot);
        Path manifestFile = file.resolveSibling(snapshot + ".json");
        ObjectNode manifest = (ObjectNode) JSON.readTree(manifestFile.toFile());
        long victim =
                manifest.path("fingerprint").path("points").get(0).path("id").asLong();
        SnapshotTars.changeVector(file, FakePoints.ENTRY, victim);
        String sha = FakeQdrant.sha256(file);
        manifest.put("sha256", sha).put("size", Files.size(file));
        ((ObjectNode) manifest.path("files").get(0)).put("sha256", sha).put("size", Files.size(file));
        Files.writeString(manifestFile, manifest.toString());
        return victim;
    }

    /** Rewrites the archived tar with one component of one point's vector changed (a valid tar still). */
}
