package qdrantbackup.retention;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.backup.BackupJob;
import qdrantbackup.testing.Backups;
import qdrantbackup.testing.FakeQdrant;
import qdrantbackup.testing.LogCapture;
import qdrantbackup.testing.TestApp;
import qdrantbackup.transfer.SafeFiles;

/** Qdrant's clock a year ahead neither dates the backups nor decides what expires. */
class ClockSkewTest {
    private static final Duration YEAR = Duration.ofDays(365);

    @TempDir
    Path dir;

    FakeQdrant qdrant;
    TestApp app;

    @BeforeEach
    void qdrant() {
        qdrant = FakeQdrant.start(dir.resolve("qdrant")).collection("products", 10);
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        qdrant.close();
    }

    private long snapshots() throws Exception {
        try (Stream<Path> s = Files.list(app.archive.resolve("products"))) {
            return s.filter(p -> p.toString().endsWith(".snapshot")).count();
        }
    }

    @Test
    void aBackupIsDatedByThisMachineAndQdrantsTimeIsRecordedBesideIt() throws Exception {
        app = TestApp.start(dir, qdrant.url(), Map.of("retention.daily", "3", "retention.weekly", "0"));
        // whole seconds, as backups are dated: the backup three days back is then not inside daily 3
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        for (int day = 1; day <= 5; day++) {
            Backups.write(app.archive, "products", now.minus(Duration.ofDays(day)));
        }
        qdrant.withClock(Clock.offset(Clock.systemUTC(), YEAR));

        BackupJob job;
        try (LogCapture logs = new LogCapture()) {
            job = app.backupNow().getJobs().get(0);
            assertThat(logs.text())
                    .contains("products: Qdrant's clock is 36")
                    .contains("ahead of this machine's")
                    .contains("the backup is dated by this machine's clock");
        }
        assertThat(job.getResult()).isEqualTo(BackupJob.Result.OK);
        JsonNode manifest = SafeFiles.JSON.readTree(app.archive
                .resolve("products")
                .resolve(job.getSnapshot() + ".json")
                .toFile());
        assertThat(Instant.parse(manifest.path("created").asText())).isCloseTo(now, within());
        assertThat(Instant.parse(manifest.path("qdrantCreated").asText())).isCloseTo(now.plus(YEAR), within());
        // daily 3 from today: today, yesterday and the day before stay; the year-ahead name decided nothing
        assertThat(snapshots()).isEqualTo(3);
    }

    @Test
    void aNewestBackupInTheFutureExpiresNothing() throws Exception {
        app = TestApp.start(dir, qdrant.url(), Map.of("retention.daily", "3", "retention.weekly", "0"));
        // whole seconds, as backups are dated: the backup three days back is then not inside daily 3
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        for (int day = 1; day <= 5; day++) {
            Backups.write(app.archive, "products", now.minus(Duration.ofDays(day)));
        }
        // as an earlier version dated it: by a Qdrant clock a year ahead
        Backups.write(app.archive, "products", now.plus(YEAR));

        try (LogCapture logs = new LogCapture()) {
            app.camel().createProducerTemplate().requestBody("direct:expire", false);
            assertThat(logs.lines().stream().filter(l -> l.contains("expiring nothing")))
                    .hasSize(1)
                    .allMatch(l -> l.contains("in the future by this machine's clock (beyond backup.clock-tolerance)"));
        }
        assertThat(snapshots()).isEqualTo(6);
    }

    private static org.assertj.core.data.TemporalUnitOffset within() {
        return org.assertj.core.api.Assertions.within(2, ChronoUnit.MINUTES);
    }
}
