package qdrantbackup.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.testing.LogCapture;

/** Pruning {@code state/drills/} in a real folder: old reports go, the ones the catalogue and metrics read stay. */
class DrillReportPruningTest {
    private static final Instant NOW = Instant.parse("2026-12-02T05:00:00Z");
    private static final Duration KEEP = Duration.ofDays(180);

    @TempDir
    Path state;

    private void report(String file, String collection, String snapshot, boolean ok, int daysAgo) throws IOException {
        report(
                file,
                collection,
                snapshot,
                ok,
                NOW.minus(Duration.ofDays(daysAgo)).toString());
    }

    private void report(String file, String collection, String snapshot, boolean ok, String finished)
            throws IOException {
        Files.createDirectories(state.resolve("drills"));
        Files.writeString(
                state.resolve("drills").resolve(file),
                "{\"collection\":\"" + collection + "\",\"snapshot\":\"" + snapshot
                        + "\",\"backupCreated\":\"2026-01-01T00:00:00Z\",\"ok\":" + ok + ",\"finished\":\"" + finished
                        + "\"}");
    }

    private String[] left() throws IOException {
        try (Stream<Path> files = Files.list(state.resolve("drills"))) {
            return files.map(p -> p.getFileName().toString()).sorted().toArray(String[]::new);
        }
    }

    @Test
    void oldReportsGoButEachCollectionsNewestAndNewestPassedStay() throws Exception {
        report("products-1.json", "products", "p1", true, 300);
        report("products-2.json", "products", "p2", true, 200); // newest passed: the VERIFIED column's
        report("products-3.json", "products", "p3", false, 190); // newest
        report("users-1.json", "users", "u1", false, 400);
        report("users-2.json", "users", "u2", false, 10);
        report("orders-1.json", "orders", "o1", false, 200);
        report("orders-2.json", "orders", "o2", true, 179);
        report("orders-3.json", "orders", "o3", true, 5);
        report("odd.json", "odd", "x1", false, "yesterday"); // time unreadable: left alone
        report("odd-2.json", "odd", "x2", false, 1);
        Files.writeString(state.resolve("drills/broken.json"), "{not json");

        int deleted = DrillReportPruning.prune(state, KEEP, NOW, Files::deleteIfExists);

        assertThat(deleted).isEqualTo(3);
        assertThat(left())
                .containsExactly(
                        "broken.json",
                        "odd-2.json",
                        "odd.json",
                        "orders-2.json",
                        "orders-3.json",
                        "products-2.json",
                        "products-3.json",
                        "users-2.json");
        // what list shows is unchanged for the backups it can still show
        assertThat(DrillVerdicts.read(state))
                .containsEntry(DrillVerdicts.key("products", "p2"), NOW.minus(Duration.ofDays(200)) + " ok")
                .containsEntry(DrillVerdicts.key("products", "p3"), NOW.minus(Duration.ofDays(190)) + " FAILED")
                .doesNotContainKey(DrillVerdicts.key("products", "p1"));

        assertThat(DrillReportPruning.prune(state, KEEP, NOW, Files::deleteIfExists))
                .as("a second run finds nothing")
                .isZero();
    }

    @Test
    void aFailedDeleteIsLoggedOnceAndTheDrillGoesOn() throws Exception {
        report("products-1.json", "products", "p1", true, 300);
        report("products-2.json", "products", "p2", true, 200);
        report("products-3.json", "products", "p3", true, 1);

        try (LogCapture logs = new LogCapture()) {
            assertThatCode(() -> DrillReportPruning.afterEachDrill(state, KEEP, Clock.fixed(NOW, ZoneOffset.UTC), f -> {
                                throw new IOException("Read-only file system: " + f.getFileName());
                            })
                            .accept(null))
                    .doesNotThrowAnyException();
            assertThat(logs.lines().stream().filter(l -> l.contains("could not remove old reports")))
                    .singleElement()
                    .satisfies(l -> assertThat(l)
                            .startsWith("WARN")
                            .contains(state.resolve("drills").toString())
                            .contains("Read-only file system: products-1.json"));
        }
        assertThat(left()).hasSize(3);

        DrillReportPruning.afterEachDrill(state, KEEP, Clock.fixed(NOW, ZoneOffset.UTC))
                .accept(null);
        assertThat(left()).containsExactly("products-3.json");
    }
}
