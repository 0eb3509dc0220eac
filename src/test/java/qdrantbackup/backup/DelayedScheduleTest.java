package qdrantbackup.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.testing.FakeQdrant;
import qdrantbackup.testing.TestApp;

/** Real Quartz: a scheduled fire that finds an on-demand run going runs when it ends; fires meanwhile fold into it. */
class DelayedScheduleTest {
    @TempDir
    Path dir;

    FakeQdrant qdrant;
    TestApp app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        qdrant.close();
    }

    @Test
    void aFireDuringAnOnDemandRunRunsWhenItEndsAndOnDemandCannotJumpTheQueue() throws Exception {
        qdrant = FakeQdrant.start(dir.resolve("qdrant")).collection("products", 10);
        // the on-demand run's snapshot takes 6 s: the fires below fall inside it
        qdrant.delayNext("POST", "/collections/products/snapshots", Duration.ofSeconds(6), 1);
        // every second; the schedule route starts once the on-demand run is going
        app = TestApp.start(dir, qdrant.url(), Map.of("backup.schedule.cron", "* * * * * ?"));
        Backup backup = app.camel().getRegistry().lookupByNameAndType("backup", Backup.class);

        BackupRun onDemand = backup.claim("http");
        assertThat(onDemand).isNotNull();
        app.camel().createProducerTemplate().asyncRequestBodyAndHeader("direct:backup", onDemand, "trigger", "http");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> qdrant.countRequests("POST", "/collections/products/snapshots") == 1);
        app.camel().getRouteController().startRoute("backup-schedule");

        // the first fire waits, the next ones fold into it; then no more fires
        await().atMost(Duration.ofSeconds(20)).until(() -> backup.skippedRuns() >= 1);
        app.camel().getRouteController().stopRoute("backup-schedule");
        long skipped = backup.skippedRuns();
        assertThat(backup.delayedRuns()).isEqualTo(1);
        assertThat(backup.scheduledWaiting()).isTrue();
        // a loop of on-demand requests cannot take the waiting scheduled run's turn
        assertThat(backup.claim("http")).isNull();

        await().atMost(Duration.ofSeconds(30)).until(() -> runs().size() == 2 && backup.current() == null);
        List<String> triggers = runs().stream()
                .map(f -> {
                    try {
                        return FakeQdrantJson.trigger(f);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                })
                .toList();
        assertThat(triggers).containsExactly("http", "schedule");
        assertThat(qdrant.countRequests("POST", "/collections/products/snapshots"))
                .isEqualTo(2);
        assertThat(backup.delayedRuns()).isEqualTo(1);
        assertThat(backup.skippedRuns()).isEqualTo(skipped);
    }

    private List<Path> runs() throws Exception {
        Path folder = app.state.resolve("runs");
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.sorted().toList();
        }
    }

    /** Reads a run summary's trigger. */
    static final class FakeQdrantJson {
        static String trigger(Path file) throws java.io.IOException {
            return new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(file.toFile())
                    .path("trigger")
                    .asText();
        }
    }
}
