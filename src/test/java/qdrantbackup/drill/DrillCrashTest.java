package qdrantbackup.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.store.Manifest;
import qdrantbackup.store.local.LocalStore;
import qdrantbackup.testing.Crashes;
import qdrantbackup.testing.FakeQdrant;
import qdrantbackup.testing.Members;

/** A drill killed with its scratch collection restored: the next start deletes it, and only it. */
class DrillCrashTest {
    @TempDir
    Path dir;

    FakeQdrant qdrant;
    Members members;

    @BeforeEach
    void start() {
        qdrant = FakeQdrant.start(dir.resolve("qdrant")).collection("products", 40);
        members = new Members();
    }

    @AfterEach
    void stop() {
        members.close();
        qdrant.close();
    }

    @Test
    void aDrillKilledAfterItsUploadLeavesNoScratchCollectionAfterTheNextStart() throws Exception {
        archived();
        Map<String, String> drilling = new LinkedHashMap<>();
        drilling.put("drill.schedule.enabled", "true");
        drilling.put("drill.schedule.cron", "0/1 * * * * ?");
        Members.Instance first = members.start(
                "a", dir, Crashes.daemon(qdrant.url(), dir.resolve("archive"), drilling), Crashes.at("drill-uploaded"));
        Crashes.halted(first);
        List<String> scratch = qdrant.collectionNames().stream()
                .filter(n -> n.startsWith(Drill.PREFIX))
                .toList();
        assertThat(scratch).as("the kill came after the upload").hasSize(1);
        assertThat(first.state().resolve(DrillJournal.FILE)).exists();

        Members.Instance second =
                members.start("a", dir, Crashes.daemon(qdrant.url(), dir.resolve("archive"), Map.of()));
        await().atMost(Duration.ofSeconds(60)).until(() -> !qdrant.collectionExists(scratch.get(0)));
        assertThat(qdrant.collectionNames()).containsExactly("products");
        assertThat(qdrant.points("products")).isEqualTo(40);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !Files.exists(second.state().resolve(DrillJournal.FILE)));
        assertThat(second.logText())
                .contains("a drill was interrupted (the process ended): deleting its scratch collection "
                        + scratch.get(0));
    }

    private void archived() {
        String name = "products-" + FakeQdrant.PEER_ID + "-2026-01-01-00-00-00.snapshot";
        LocalStore archive = new LocalStore(dir.resolve("archive"));
        Path file = archive.folder("products").resolve(name);
        String sha = FakeQdrant.writeSnapshotTar(file, "products", 40, FakeQdrant.DEFAULT_VECTORS, 1, 64 * 1024);
        try {
            archive.put(
                    new Manifest(
                            "products",
                            name,
                            Manifest.COLLECTION,
                            Files.size(file),
                            sha,
                            "2026-01-01T00:00:00Z",
                            FakeQdrant.VERSION,
                            40L,
                            null,
                            Map.of(),
                            "test"),
                    archive.folder("products"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
