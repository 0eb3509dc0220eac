package qdrantbackup.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static qdrantbackup.restore.Inboxes.dropText;
import static qdrantbackup.restore.Inboxes.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.store.local.LocalStore;
import qdrantbackup.testing.Crashes;
import qdrantbackup.testing.FakeQdrant;
import qdrantbackup.testing.Members;

/**
 * Crash points of a restore: a daemon in a JVM of its own halts at a named point (or is killed with -9), a fresh
 * one starts on the same folders, and the collection ends either as it was or as restored, never missing.
 */
class RestoreCrashTest {
    static final String WIDE = "{\"size\":8,\"distance\":\"Dot\"}";

    @TempDir
    Path dir;

    FakeQdrant qdrant;
    Members members;

    @BeforeEach
    void start() {
        qdrant = FakeQdrant.start(dir.resolve("qdrant"))
                .collection("products", 1200)
                .alias("shop", "products");
        members = new Members();
    }

    @AfterEach
    void stop() {
        members.close();
        qdrant.close();
    }

    @RepeatedTest(3)
    void killedAfterTheTargetWasDeletedForAReplaceTheNextStartPutsTheOldCollectionBack() throws Exception {
        archived(WIDE, 10);
        Members.Instance first = daemon("restore.after-target-deleted");
        request(true);
        crashed(first);
        assertThat(qdrant.collectionExists("products"))
                .as("the crash came after the delete")
                .isFalse();

        Members.Instance second = daemon(null);
        JsonNode report = report(inbox(), "r.restore.json");
        assertThat(report.path("outcome").asText()).as(report.toString()).isEqualTo("FAILED");
        assertThat(report.path("rollback").asText())
                .contains("put back from the safety copy")
                .contains("1200 points");
        assertThat(report.toString()).contains("interrupted");
        assertThat(qdrant.points("products")).isEqualTo(1200);
        assertThat(qdrant.vectorsConfig("products")).isEqualTo(FakeQdrant.DEFAULT_VECTORS);
        assertThat(qdrant.aliases()).containsEntry("shop", "products");
        clean(second);
        assertThat(second.logText()).contains("was interrupted at step replacing");
    }

    @RepeatedTest(3)
    void killedAfterTheSafetyCopyTheDropRunsAgainAndRestores() throws Exception {
        archived(FakeQdrant.DEFAULT_VECTORS, 10);
        Members.Instance first = daemon("restore.after-safety-copy");
        request(false);
        crashed(first);
        assertThat(qdrant.points("products")).as("nothing changed yet").isEqualTo(1200);

        Members.Instance second = daemon(null);
        JsonNode report = report(inbox(), "r.restore.json");
        assertThat(report.path("outcome").asText()).as(report.toString()).isEqualTo("RESTORED");
        assertThat(qdrant.points("products")).isEqualTo(10);
        assertThat(qdrant.aliases()).containsEntry("shop", "products");
        clean(second);
        assertThat(second.logText()).contains("before anything in Qdrant changed; it runs again");
    }

    @RepeatedTest(3)
    void killedMidUploadTheNextStartRollsBackFromTheSafetyCopy() throws Exception {
        archived(FakeQdrant.DEFAULT_VECTORS, 10);
        // Qdrant takes the upload, the answer never reaches the tool: the worst moment to die
        qdrant.delayNext("POST", "/collections/products/snapshots/upload", Duration.ofSeconds(60), 1);
        Members.Instance first = daemon(null);
        request(false);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> qdrant.countRequests("POST", "/collections/products/snapshots/upload") == 1);
        first.process().destroyForcibly().waitFor();

        Members.Instance second = daemon(null);
        JsonNode report = report(inbox(), "r.restore.json");
        assertThat(report.path("outcome").asText()).as(report.toString()).isEqualTo("FAILED");
        assertThat(report.path("rollback").asText()).contains("put back from the safety copy");
        assertThat(qdrant.points("products")).isEqualTo(1200);
        assertThat(qdrant.aliases()).containsEntry("shop", "products");
        clean(second);
    }

    // ---- helpers ----

    private Path inbox() {
        return dir.resolve("inbox");
    }

    private Members.Instance daemon(String crashAt) throws IOException {
        Map<String, String> inbox = new LinkedHashMap<>(Inboxes.settings(dir));
        return members.start(
                "a", dir, Crashes.daemon(qdrant.url(), dir.resolve("archive"), inbox), Crashes.at(crashAt));
    }

    private void archived(String vectors, long points) {
        String name = Inboxes.name("products", 30);
        LocalStore archive = new LocalStore(dir.resolve("archive"));
        Path file = archive.folder("products").resolve(name);
        String sha = FakeQdrant.writeSnapshotTar(file, "products", points, vectors, 1, 64 * 1024);
        archive.put(
                Inboxes.manifest("products", name, file, sha, points, Map.of("shop", "products")),
                archive.folder("products"));
    }

    private void request(boolean replace) {
        dropText(
                inbox(),
                "r.restore.json",
                "{\"collection\": \"products\", \"snapshot\": \"latest\", \"replace\": " + replace + "}");
    }

    private static void crashed(Members.Instance member) throws Exception {
        Crashes.halted(member);
    }

    /** No journal, no partial file, nothing left on Qdrant's disk, the drop filed once. */
    private void clean(Members.Instance member) throws IOException {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !Files.exists(member.state().resolve(RestoreJournal.FILE)));
        try (Stream<Path> files = Files.walk(dir.resolve("archive"))) {
            assertThat(files.map(Path::toString).filter(n -> n.endsWith(".part")))
                    .isEmpty();
        }
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(qdrant.serverSnapshots("products"))
                        .as("snapshots left on Qdrant's disk")
                        .isEmpty());
        assertThat(inbox().resolve("r.restore.json")).doesNotExist();
    }
}
