package qdrantbackup.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.testing.FakeQdrant;
import qdrantbackup.testing.Members;
import qdrantbackup.testing.Members.Instance;
import qdrantbackup.testing.TestApp;

/**
 * Two instances as separate JVMs on one cluster service, one Qdrant, a backup every second: every fire is
 * taken by one instance only (counted as snapshot creations in Qdrant), also when the leader is killed
 * (kill -9) in the middle of a run. The subclasses choose the service.
 */
abstract class ElectionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CREATE = "/collections/docs/snapshots";

    @TempDir
    Path dir;

    private FakeQdrant qdrant;
    private final Members members = new Members();
    private final List<Instance> started = new ArrayList<>();

    @BeforeEach
    void start() {
        qdrant = FakeQdrant.start(dir.resolve("qdrant")).collection("docs", 10);
    }

    @AfterEach
    void stop() throws IOException {
        members.close();
        keepLogs(started.toArray(Instance[]::new)); // also when the test failed
        qdrant.close();
    }

    /** The ha.* settings of the cluster service under test. */
    abstract Map<String, String> cluster();

    /** Environment of the instances (none unless the service needs some). */
    Map<String, String> environment() {
        return Map.of();
    }

    /** What the platform does when an instance's process dies (nothing, unless the service watches for it). */
    void died(Instance instance) throws Exception {}

    /** Checks of the service's own record of the leader, while {@code leader} leads. */
    void recordNames(Instance leader) throws Exception {}

    @Test
    void everyFireRunsOnceAndTheFollowerTakesOverWhenTheLeaderIsKilledMidRun() throws Exception {
        Instance a = members.start("backup-a", dir, settings(), environment());
        started.add(a);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> a.ready().contains("\"role\",\"status\":\"UP\",\"message\":\"leader:"));
        Instance b = members.start("backup-b", dir, settings(), environment());
        started.add(b);
        await().atMost(Duration.ofSeconds(60)).until(() -> b.ready().startsWith("200 "));

        // while both run: only the leader backs up; the follower says who leads and runs nothing
        await().atMost(Duration.ofSeconds(30)).until(() -> runs(a).size() >= 3);
        // the follower learns the leader on its first look at the service (a few seconds on a loaded machine)
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(b.ready())
                        .startsWith("200 ")
                        .contains("\"message\":\"follower: the leader is backup-a;"));
        assertThat(b.post("/backup")).startsWith("409 ").contains("\"leader\":\"backup-a\"");
        assertThat(b.get("/backups")).startsWith("200 ").contains("docs");
        assertThat(a.get("/observe/metrics")).contains("qdrant_backup_leader 1.0");
        assertThat(b.get("/observe/metrics")).contains("qdrant_backup_leader 0.0");
        assertThat(runs(b)).isEmpty();
        recordNames(a);

        // kill -9 the leader while a snapshot is coming down
        int downloads = qdrant.countRequests("GET", CREATE + "/.+");
        qdrant.slowDownload("docs", Duration.ofSeconds(20), 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> qdrant.countRequests("GET", CREATE + "/.+") > downloads);
        a.process().destroyForcibly().waitFor();
        Instant killed = Instant.now();
        died(a);
        assertThat(Files.exists(a.state().resolve("backup-running.json")))
                .as("the leader died mid-run")
                .isTrue();

        await().atMost(Duration.ofSeconds(30))
                .until(() -> b.ready().contains("\"role\",\"status\":\"UP\",\"message\":\"leader:"));
        await().atMost(Duration.ofSeconds(30)).until(() -> runs(b).size() >= 3);
        b.process().destroy(); // SIGTERM: the run going finishes first
        b.process().waitFor();

        List<JsonNode> runsA = runs(a);
        List<JsonNode> runsB = runs(b);
        assertThat(runsA)
                .allSatisfy(r ->
                        assertThat(Instant.parse(r.get("finished").asText())).isBefore(killed));
        assertThat(runsB)
                .allSatisfy(r ->
                        assertThat(Instant.parse(r.get("started").asText())).isAfter(killed));
        assertThat(Stream.concat(runsA.stream(), runsB.stream()))
                .allSatisfy(r -> assertThat(r.get("trigger").asText()).isEqualTo("schedule"));
        // each run created one snapshot; the killed run's creation is the one without a summary
        assertThat(qdrant.countRequests("POST", CREATE)).isEqualTo(runsA.size() + 1 + runsB.size());
        assertThat(b.logText()).contains("member backup-b now leads");
        recordNames(b);
    }

    /** The instances' logs stay under target/ha-logs/ for a reader of the test run. */
    private void keepLogs(Instance... instances) throws IOException {
        Path logs = Files.createDirectories(Path.of("target", "ha-logs"));
        for (Instance i : instances) {
            Files.copy(
                    i.log(),
                    logs.resolve(getClass().getSimpleName() + "-" + i.id() + ".log"),
                    StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private Map<String, String> settings() {
        Map<String, String> s = TestApp.defaults(dir, qdrant.url());
        s.put("archive.dir", dir.resolve("shared-archive").toString());
        s.put("backup.schedule.enabled", "true");
        s.put("backup.schedule.cron", "* * * * * ?");
        s.put("ha.check-interval", "500ms");
        s.putAll(cluster());
        s.put("camel.main.shutdown-timeout", "30");
        return s;
    }

    private static List<JsonNode> runs(Instance i) throws IOException {
        Path folder = i.state().resolve("runs");
        List<JsonNode> runs = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return runs;
        }
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                runs.add(JSON.readTree(f.toFile()));
            }
        }
        return runs;
    }
}
