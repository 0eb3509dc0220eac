package qdrantbackup.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.testing.Crashes;
import qdrantbackup.testing.FakeCluster;
import qdrantbackup.testing.Members;
import qdrantbackup.testing.TestApp;

/** A set drill killed with half its shards recovered: the next start deletes the scratch collection, and only it. */
class DrillSetCrashTest {
    @TempDir
    Path dir;

    @Test
    void aSetDrillKilledMidSetLeavesNoScratchCollectionAfterTheNextStart() throws Exception {
        try (FakeCluster source = FakeCluster.start(3);
                FakeCluster scratchNode = FakeCluster.start(1);
                Members members = new Members()) {
            source.collection("products", 6, 2).points("products", 630);
            try (TestApp app = TestApp.start(dir, source.url(0), Map.of())) {
                assertThat(app.backupNow("products").isOk()).isTrue();
            }
            Map<String, String> drilling = new LinkedHashMap<>();
            drilling.put("drill.qdrant.url", scratchNode.url(0));
            drilling.put("drill.schedule.enabled", "true");
            drilling.put("drill.schedule.cron", "0/1 * * * * ?");
            Members.Instance first = members.start(
                    "a",
                    dir,
                    Crashes.daemon(source.url(0), dir.resolve("archive"), drilling),
                    Crashes.at("restore.set.after-first-shard"));
            Crashes.halted(first);
            List<String> scratch = scratchNode.requests("PUT", "/collections/" + Drill.PREFIX + "[^/]+").stream()
                    .map(r -> r.path().substring("/collections/".length()))
                    .distinct()
                    .toList();
            assertThat(scratch)
                    .as("the kill came with the scratch collection made")
                    .hasSize(1);
            assertThat(scratchNode.exists(scratch.get(0))).isTrue();
            assertThat(scratchNode.requests("POST", ".*/snapshots/upload")).hasSize(1);
            assertThat(first.state().resolve(DrillJournal.FILE)).exists();

            Members.Instance second = members.start(
                    "a",
                    dir,
                    Crashes.daemon(
                            source.url(0), dir.resolve("archive"), Map.of("drill.qdrant.url", scratchNode.url(0))));
            await().atMost(Duration.ofSeconds(60)).until(() -> !scratchNode.exists(scratch.get(0)));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !Files.exists(second.state().resolve(DrillJournal.FILE)));
            assertThat(second.logText())
                    .contains("a drill was interrupted (the process ended): deleting its scratch collection "
                            + scratch.get(0));
            assertThat(source.points("products")).isEqualTo(630);
            assertThat(source.requests("DELETE", "/collections/[^/]+")).isEmpty();
        }
    }
}
