package qdrantbackup.readback;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.command.CommandLine;
import qdrantbackup.command.ListCommand;
import qdrantbackup.drill.DrillReport;
import qdrantbackup.testing.Damage;
import qdrantbackup.testing.FakeQdrant;
import qdrantbackup.testing.Prometheus;
import qdrantbackup.testing.S3Server;
import qdrantbackup.testing.TestApp;

/**
 * What an operator sees of the read-back at /observe/metrics after verify runs over one good and one damaged
 * bucket object, and in {@code list} (READ BACK and VERIFIED) once one collection was drilled too.
 */
class ReadBackCountsTest {
    @TempDir
    Path dir;

    FakeQdrant qdrant;
    S3Server s3;
    TestApp app;
    int port;
    Map<String, String> offsite;

    @BeforeEach
    void start() throws Exception {
        qdrant = FakeQdrant.start(dir.resolve("qdrant")).collection("alpha", 30).collection("gamma", 30);
        s3 = S3Server.start("backups");
        offsite = new HashMap<>(s3.settings("qdrant-backup"));
        offsite.put("offsite.bucket", "backups");
        offsite.put("verify.schedule.enabled", "false");
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Map<String, String> settings = new HashMap<>(offsite);
        settings.put("camel.management.enabled", "true");
        settings.put("camel.management.port", String.valueOf(port));
        app = TestApp.start(dir, qdrant.url(), settings);
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        s3.close();
        qdrant.close();
    }

    @SuppressWarnings("unchecked")
    private List<ReadBack.Result> verifyAll() {
        Map<String, Object> headers = new HashMap<>();
        headers.put("all", true);
        return app.camel().createProducerTemplate().requestBodyAndHeaders("direct:verify", null, headers, List.class);
    }

    @Test
    void theCountsByOutcomeAndPerCollectionAreWhatVerifyFound() throws Exception {
        long before = Instant.now().getEpochSecond();
        assertThat(app.backupNow().isOk()).isTrue();
        String damaged = s3.storedFiles().stream()
                .filter(k -> k.contains("/gamma/") && k.endsWith(".snapshot"))
                .findFirst()
                .orElseThrow();
        Damage.flipMiddleByte(s3.bucketDir().resolve(damaged));
        assertThat(Prometheus.scrape(port)).as("nothing read back yet").doesNotContain("qdrant_backup_read_back_total");

        assertThat(verifyAll()).extracting(ReadBack.Result::outcome).containsExactlyInAnyOrder("OK", "DAMAGED");
        long after = Instant.now().getEpochSecond();

        String m = Prometheus.scrape(port);
        assertThat(Prometheus.value(m, "qdrant_backup_read_back_total", "outcome=\"OK\""))
                .isEqualTo(1.0);
        assertThat(Prometheus.value(m, "qdrant_backup_read_back_total", "outcome=\"DAMAGED\""))
                .isEqualTo(1.0);
        assertThat(m).doesNotContain("outcome=\"MISSING\"").doesNotContain("outcome=\"ERROR\"");
        assertThat(Prometheus.value(m, "qdrant_backup_read_back_failed", "collection=\"gamma\""))
                .isEqualTo(1.0);
        assertThat(Prometheus.value(m, "qdrant_backup_read_back_failed", "collection=\"alpha\""))
                .isZero();
        assertThat(Prometheus.value(m, "qdrant_backup_last_read_back_timestamp_seconds", "collection=\"alpha\""))
                .isBetween((double) before, (double) after);
        assertThat(Prometheus.value(m, "qdrant_backup_last_read_back_timestamp_seconds", "collection=\"gamma\""))
                .as("never matched")
                .isZero();

        // a second run counts on; the damaged backup is still one backup, not two
        verifyAll();
        m = Prometheus.scrape(port);
        assertThat(Prometheus.value(m, "qdrant_backup_read_back_total", "outcome=\"OK\""))
                .isEqualTo(2.0);
        assertThat(Prometheus.value(m, "qdrant_backup_read_back_total", "outcome=\"DAMAGED\""))
                .isEqualTo(2.0);
        assertThat(Prometheus.value(m, "qdrant_backup_read_back_failed", "collection=\"gamma\""))
                .isEqualTo(1.0);
        System.out.println("after two verify runs:\n"
                + String.join(
                        "\n",
                        m.lines()
                                .filter(l -> l.startsWith("qdrant_backup_read_back")
                                        || l.startsWith("qdrant_backup_last_read_back"))
                                .toList()));

        // list, as an operator runs it beside the daemon: the READ BACK and VERIFIED columns
        @SuppressWarnings("unchecked")
        List<DrillReport> drilled = app.camel()
                .createProducerTemplate()
                .requestBodyAndHeader("direct:drill", null, "collection", "alpha", List.class);
        assertThat(drilled.get(0).ok).as(drilled.get(0).checks.toString()).isTrue();
        Path config = TestApp.settingsFile(dir, qdrant.url(), offsite);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = new ListCommand()
                .run(
                        CommandLine.parse(new String[] {"list", "--config", config.toString(), "--routes", "routes"}),
                        new PrintStream(out, true, StandardCharsets.UTF_8));
        String table = out.toString(StandardCharsets.UTF_8);
        System.out.println("list:\n" + table);
        assertThat(code).isZero();
        List<String> lines = table.lines().toList();
        assertThat(lines.get(0)).containsPattern("WHERE +READ BACK +VERIFIED +RETENTION");
        assertThat(lines.get(1)).startsWith("alpha ").containsPattern(" both +\\S+Z ok +\\S+Z ok +keep \\(");
        // a failure's detail is --json's: in the table it would run into the next column
        assertThat(lines.get(2)).startsWith("gamma ").containsPattern(" both +\\S+Z FAILED +never +keep \\(");
        int verified = lines.get(0).indexOf("VERIFIED");
        assertThat(lines.get(1).substring(verified))
                .startsWith(drilled.get(0).finished.substring(0, 19) + "Z ok");
        assertThat(lines.get(2).substring(verified)).startsWith("never ");
    }
}
