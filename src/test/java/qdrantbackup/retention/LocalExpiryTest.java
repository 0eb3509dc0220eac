package qdrantbackup.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.backup.BackupJob;
import qdrantbackup.backup.BackupRun;
import qdrantbackup.testing.Backups;
import qdrantbackup.testing.FakeQdrant;
import qdrantbackup.testing.LogCapture;
import qdrantbackup.testing.TestApp;

/** Expiry of the local archive through the real routes: what vanishes, and what never does. */
class LocalExpiryTest {
    private static final Instant JAN_1 = Instant.parse("2025-01-01T02:00:00Z");

    @TempDir
    Path dir;

    FakeQdrant qdrant;
    TestApp app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        if (qdrant != null) {
            qdrant.close();
        }
    }

    /** A year of nightly backups of {@code collection}, plus things that are not backups. */
    private void yearOfBackups(Path archive, String collection) throws Exception {
        for (int day = 0; day < 365; day++) {
            Backups.write(archive, collection, JAN_1.plus(Duration.ofDays(day)));
        }
        Files.writeString(archive.resolve(collection).resolve("NOTES.txt"), "operator's notes");
        Path preRestore = archive.resolve(collection).resolve("pre-restore");
        Files.createDirectories(preRestore);
        Files.writeString(preRestore.resolve(Backups.name(collection, JAN_1)), "safety copy");
        // a snapshot without manifest is not a complete backup: never counted, never touched
        Files.writeString(archive.resolve(collection).resolve(Backups.name(collection, JAN_1.minusSeconds(60))), "x");
    }

    private List<String> files(Path folder) throws Exception {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void theWorkedExampleKeepsFifteenOfAYearAndTouchesNothingElse() throws Exception {
        qdrant = FakeQdrant.start(dir.resolve("qdrant"));
        app = TestApp.start(dir, qdrant.url(), Map.of());
        yearOfBackups(app.archive, "products");

        try (LogCapture logs = new LogCapture()) {
            app.camel().createProducerTemplate().requestBody("direct:expire", false);
            assertThat(logs.lines())
                    .filteredOn(l -> l.contains("expired products-"))
                    .hasSize(350)
                    .allMatch(l -> l.contains("no rule keeps it") && l.contains("daily 7"));
        }

        List<String> snapshots = files(app.archive.resolve("products")).stream()
                .filter(f -> f.endsWith(".snapshot"))
                .toList();
        assertThat(snapshots).hasSize(16); // 15 kept + the one without manifest
        assertThat(snapshots)
                .contains(
                        Backups.name("products", Instant.parse("2025-12-07T02:00:00Z")),
                        Backups.name("products", Instant.parse("2025-07-31T02:00:00Z")),
                        Backups.name("products", Instant.parse("2025-12-25T02:00:00Z")));
        assertThat(snapshots).doesNotContain(Backups.name("products", Instant.parse("2025-06-30T02:00:00Z")));
        assertThat(files(app.archive.resolve("products")))
                .filteredOn(f -> f.endsWith(".snapshot.json"))
                .hasSize(15);
        assertThat(app.archive.resolve("products").resolve("NOTES.txt")).exists();
        assertThat(files(app.archive.resolve("products").resolve("pre-restore")))
                .hasSize(1);
    }

    @Test
    void aDryRunDeletesNothing() throws Exception {
        qdrant = FakeQdrant.start(dir.resolve("qdrant"));
        app = TestApp.start(dir, qdrant.url(), Map.of());
        yearOfBackups(app.archive, "products");
        int before = files(app.archive.resolve("products")).size();

        @SuppressWarnings("unchecked")
        List<Expire.Outcome> plan = app.camel().createProducerTemplate().requestBody("direct:expire", true, List.class);

        assertThat(plan).hasSize(1);
        assertThat(plan.get(0).plan().kept()).hasSize(15);
        assertThat(plan.get(0).plan().expired()).hasSize(350);
        assertThat(plan.get(0).deleted()).isEmpty();
        assertThat(files(app.archive.resolve("products"))).hasSize(before);
    }

    @Test
    void aFailedBackupExpiresNothingOfThatCollectionAndASuccessfulOneExpiresItsOwn() throws Exception {
        qdrant = FakeQdrant.start(dir.resolve("qdrant"))
                .collection("products", 5)
                .collection("users", 5);
        qdrant.failNext(
                "POST",
                "/collections/products/snapshots.*",
                500,
                "{\"status\":{\"error\":\"Service internal error: no space\"},\"time\":0.0}",
                100);
        app = TestApp.start(dir, qdrant.url(), Map.of());
        yearOfBackups(app.archive, "products");
        yearOfBackups(app.archive, "users");
        int productsBefore = files(app.archive.resolve("products")).size();

        BackupRun run = app.backupNow();

        assertThat(run.getJobs())
                .extracting(BackupJob::getResult)
                .containsExactly(BackupJob.Result.FAILED, BackupJob.Result.OK);
        assertThat(files(app.archive.resolve("products"))).hasSize(productsBefore);
        // users: today's backup is the newest, so the year-old ones fall out except by the monthly rule
        List<String> users = files(app.archive.resolve("users")).stream()
                .filter(f -> f.endsWith(".snapshot.json"))
                .toList();
        assertThat(users).contains(run.getJobs().get(1).getSnapshot() + ".json");
        assertThat(users.size()).isLessThan(20);
    }
}
