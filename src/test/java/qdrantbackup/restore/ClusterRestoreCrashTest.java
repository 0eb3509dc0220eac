package qdrantbackup.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.testing.Crashes;
import qdrantbackup.testing.FakeCluster;
import qdrantbackup.testing.Members;
import qdrantbackup.testing.TestApp;

/** A daemon halted with a set half recovered: the next start puts the previous collection back, as a set. */
class ClusterRestoreCrashTest {
    @TempDir
    Path dir;

    private final Members members = new Members();

    @AfterEach
    void stop() {
        members.close();
    }

    @Test
    void killedWithTheSetHalfRecoveredTheNextStartRollsTheWholeSetBack() throws Exception {
        try (FakeCluster source = FakeCluster.start(3)) {
            source.collection("products", 6, 2).points("products", 630);
            try (TestApp app = TestApp.start(dir, source.url(0), Inboxes.settings(dir))) {
                assertThat(app.backupNow("products").isOk()).isTrue();
            }
        }
        try (FakeCluster target = FakeCluster.start(3)) {
            target.collection("products", 3, 2).points("products", 120).alias("shop", "products");
            List<Long> before = target.pointIds("products");
            Map<String, String> settings =
                    Crashes.daemon(target.url(0), dir.resolve("archive"), new LinkedHashMap<>(Inboxes.settings(dir)));
            Members.Instance first = members.start("a", dir, settings, Crashes.at("restore.set.after-first-shard"));
            Path inbox = dir.resolve("inbox");
            Inboxes.dropText(
                    inbox,
                    "r.restore.json",
                    "{\"collection\": \"products\", \"snapshot\": \"latest\", \"replace\": true}");
            Crashes.halted(first);
            assertThat(target.points("products"))
                    .as("half a set: one shard of six")
                    .isEqualTo(105);

            Members.Instance second = members.start("a", dir, settings, List.of());
            JsonNode report = Inboxes.report(inbox, "r.restore.json");
            assertThat(report.path("outcome").asText()).as(report.toString()).isEqualTo("FAILED");
            assertThat(report.path("rollback").asText())
                    .contains("put back from the safety set")
                    .contains("120 points");
            assertThat(target.pointIds("products")).isEqualTo(before);
            assertThat(target.aliases()).isEqualTo(Map.of("shop", "products"));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !Files.exists(second.state().resolve(RestoreJournal.FILE)));
            assertThat(second.logText()).contains("was interrupted at step uploading");
        }
    }
}
