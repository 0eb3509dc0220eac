package qdrantbackup.management;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.drill.DrillReport;
import qdrantbackup.testing.FakeQdrant;
import qdrantbackup.testing.Prometheus;
import qdrantbackup.testing.TestApp;

/**
 * The proof metrics at /observe/metrics: a collection never proven restorable shows 0 as its last verified time
 * and, as its unproven-since time, when its first backup was seen, kept over a restart; a passed drill moves both
 * to the proven backup's creation time.
 */
class ProofMetricsTest {
    private static final String LAST_VERIFIED = "qdrant_backup_last_verified_timestamp_seconds";
    private static final String UNPROVEN_SINCE = "qdrant_backup_unproven_since_timestamp_seconds";

    @TempDir
    Path dir;

    FakeQdrant qdrant;
    TestApp app;
    int port;

    @BeforeEach
    void start() throws IOException {
        qdrant = FakeQdrant.start(dir.resolve("qdrant"))
                .collection("products", 120)
                .collection("users", 40);
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        qdrant.close();
    }

    private void app() throws Exception {
        app = TestApp.start(
                dir, qdrant.url(), Map.of("camel.management.enabled", "true", "camel.management.port", "" + port));
    }

    private static double value(String metrics, String name, String collection) {
        return Prometheus.value(metrics, name, "collection=\"" + collection + "\"");
    }

    @Test
    void aCollectionNeverProvenShowsSinceWhenItHasBackupsAndAPassedDrillShowsTheProvenBackup() throws Exception {
        app();
        long before = Instant.now().getEpochSecond();
        assertThat(app.backupNow().isOk()).isTrue();
        long after = Instant.now().getEpochSecond();

        String m = Prometheus.scrape(port);
        assertThat(value(m, LAST_VERIFIED, "products")).isZero();
        assertThat(value(m, LAST_VERIFIED, "users")).isZero();
        double usersSince = value(m, UNPROVEN_SINCE, "users");
        assertThat(usersSince).isBetween((double) before, (double) after);
        assertThat(value(m, UNPROVEN_SINCE, "products")).isBetween((double) before, (double) after);
        assertThat(m).as("no drill ran: no drill result").doesNotContain("qdrant_backup_drill_last_ok{");

        @SuppressWarnings("unchecked")
        List<DrillReport> reports = app.camel()
                .createProducerTemplate()
                .requestBodyAndHeader("direct:drill", null, "collection", "products", List.class);
        assertThat(reports.get(0).ok).as(reports.get(0).checks.toString()).isTrue();
        long created = Instant.parse(reports.get(0).backupCreated).getEpochSecond();

        m = Prometheus.scrape(port);
        assertThat(value(m, LAST_VERIFIED, "products")).isEqualTo(created);
        assertThat(value(m, UNPROVEN_SINCE, "products")).isEqualTo(created);
        assertThat(value(m, "qdrant_backup_drill_last_ok", "products")).isEqualTo(1.0);
        assertThat(value(m, LAST_VERIFIED, "users")).isZero();
        assertThat(value(m, UNPROVEN_SINCE, "users")).isEqualTo(usersSince);
        System.out.println("after the drill of products:\n"
                + m.lines()
                        .filter(l -> l.startsWith("qdrant_backup_unproven") || l.startsWith(LAST_VERIFIED))
                        .reduce("", (a, b) -> a + b + "\n"));

        // a restart neither resets the clock of the never-proven collection nor loses the proof
        app.close();
        app();
        m = Prometheus.scrape(port);
        assertThat(value(m, UNPROVEN_SINCE, "users")).isEqualTo(usersSince);
        assertThat(value(m, LAST_VERIFIED, "users")).isZero();
        assertThat(value(m, UNPROVEN_SINCE, "products")).isEqualTo(created);
        assertThat(value(m, LAST_VERIFIED, "products")).isEqualTo(created);
    }
}
