package qdrantbackup.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static qdrantbackup.restore.Inboxes.drop;
import static qdrantbackup.restore.Inboxes.dropText;
import static qdrantbackup.restore.Inboxes.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.store.local.LocalStore;
import qdrantbackup.testing.FakeQdrant;
import qdrantbackup.testing.TestApp;

/** A restore that goes wrong once Qdrant's data is touched leaves the collection as it was, or says how to get it back. */
class RestoreRollbackTest {
    static final String WIDE = "{\"size\":8,\"distance\":\"Dot\"}";

    @TempDir
    Path dir;

    FakeQdrant qdrant;
    TestApp app;
    Path inbox;

    @BeforeEach
    void qdrant() {
        qdrant = FakeQdrant.start(dir.resolve("qdrant"))
                .collection("products", 1200)
                .alias("shop", "products");
        inbox = dir.resolve("inbox");
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        qdrant.close();
    }

    private void app(Map<String, String> extra) throws Exception {
        Map<String, String> o = new HashMap<>(Inboxes.settings(dir));
        o.putAll(extra);
        app = TestApp.start(dir, qdrant.url(), o);
    }

    /** A backup in the local archive: {@code points} in the tar, {@code manifestPoints} in its manifest. */
    private String archived(String vectors, long points, long manifestPoints) {
        String name = Inboxes.name("products", 30);
        LocalStore archive = new LocalStore(app.archive);
        Path file = archive.folder("products").resolve(name);
        String sha = FakeQdrant.writeSnapshotTar(file, "products", points, vectors, 1, 64 * 1024);
        archive.put(
                Inboxes.manifest("products", name, file, sha, manifestPoints, Map.of("shop", "products")),
                archive.folder("products"));
        return name;
    }

    private void request(String file, boolean replace) {
        dropText(inbox, file, "{\"collection\": \"products\", \"snapshot\": \"latest\", \"replace\": " + replace + "}");
    }

    @Test
    void anIncompatibleSnapshotIsRefusedUnlessReplaceIsAsked() throws Exception {
        app(Map.of());
        archived(WIDE, 10, 10);
        request("plain.restore.json", false);

        JsonNode refused = report(inbox, "plain.restore.json");
        assertThat(refused.path("outcome").asText()).as(refused.toString()).isEqualTo("REFUSED");
        assertThat(refused.path("reason").asText())
                .contains("not compatible")
                .contains("\"replace\": true")
                .contains("unchanged");
        assertThat(qdrant.points("products")).isEqualTo(1200);
        assertThat(qdrant.vectorsConfig("products")).isEqualTo(FakeQdrant.DEFAULT_VECTORS);
        assertThat(qdrant.serverSnapshots("products"))
                .as("upload and safety snapshot cleaned")
                .isEmpty();

        request("replace.restore.json", true);
        JsonNode replaced = report(inbox, "replace.restore.json");
        assertThat(replaced.path("outcome").asText()).as(replaced.toString()).isEqualTo("RESTORED");
        assertThat(qdrant.vectorsConfig("products")).isEqualTo(WIDE.replace(" ", ""));
        assertThat(qdrant.points("products")).isEqualTo(10);
        assertThat(qdrant.aliases()).containsEntry("shop", "products");
        assertThat(RestoreInboxTest.check(replaced, "replace")).contains("deleted first");
        Path safety = Path.of(replaced.path("safetyCopy").asText());
        assertThat(LocalStore.readManifest(safety.resolveSibling(safety.getFileName() + ".json"))
                        .orElseThrow()
                        .pointCount())
                .isEqualTo(1200);
    }

    @Test
    void aFailedCheckPutsTheSafetyCopyBackAndChecksIt() throws Exception {
        app(Map.of());
        archived(FakeQdrant.DEFAULT_VECTORS, 10, 999);
        qdrant.alias("shop", "products");
        request("r.restore.json", false);

        JsonNode report = report(inbox, "r.restore.json");
        assertThat(report.path("outcome").asText()).as(report.toString()).isEqualTo("FAILED");
        assertThat(report.path("reason").asText()).contains("has 10 points, the manifest says 999");
        assertThat(report.path("rollback").asText())
                .contains("put back from the safety copy")
                .contains("1200 points");
        assertThat(qdrant.points("products")).isEqualTo(1200);
        assertThat(qdrant.aliases()).containsEntry("shop", "products");
        assertThat(qdrant.serverSnapshots("products")).isEmpty();
        assertThat(inbox.resolve("failed/r.restore.json")).exists();
    }

    @Test
    void aNewCollectionThatNeverTurnsGreenIsRemovedAgain() throws Exception {
        qdrant.yellowPollsAfterRestore(1_000_000);
        app(Map.of("restore.health-timeout", "300ms"));
        archived(FakeQdrant.DEFAULT_VECTORS, 10, 10);
        dropText(
                inbox,
                "r.restore.json",
                "{\"collection\": \"products\", \"snapshot\": \"latest\", \"target\": \"fresh\"}");

        JsonNode report = report(inbox, "r.restore.json");
        assertThat(report.path("outcome").asText()).as(report.toString()).isEqualTo("FAILED");
        assertThat(report.path("reason").asText()).contains("still yellow").contains("restore.health-timeout");
        assertThat(report.path("rollback").asText()).contains("did not exist before");
        assertThat(qdrant.collectionExists("fresh")).isFalse();
        assertThat(qdrant.points("products")).isEqualTo(1200);
    }

    @Test
    void qdrantDownBeforeAnythingChangedFailsWithNothingToUndo() throws Exception {
        app(Map.of());
        archived(FakeQdrant.DEFAULT_VECTORS, 10, 10);
        qdrant.down();
        request("r.restore.json", false);

        JsonNode report = report(inbox, "r.restore.json");
        assertThat(report.path("outcome").asText()).as(report.toString()).isEqualTo("FAILED");
        assertThat(report.path("reason").asText()).contains("did not answer").contains("qdrant.url");
        assertThat(report.path("rollback").asText()).contains("nothing in Qdrant was changed");
        qdrant.up();
        assertThat(qdrant.points("products")).isEqualTo(1200);
    }

    @Test
    void anUploadRefusedForItsKeyChangedNothingAndSaysSo() throws Exception {
        qdrant.withApiKey("manage-key").withReadOnlyKey("read-key");
        app(Map.of("qdrant.api-key", "read-key"));
        archived(FakeQdrant.DEFAULT_VECTORS, 10, 10);
        dropText(
                inbox,
                "ro.restore.json",
                "{\"collection\": \"products\", \"snapshot\": \"latest\", \"target\": \"products_new\"}");

        JsonNode report = report(inbox, "ro.restore.json");
        assertThat(report.path("outcome").asText()).as(report.toString()).isEqualTo("FAILED");
        assertThat(report.path("reason").asText()).contains("403").contains("qdrant.api-key");
        assertThat(report.path("reason").asText()).doesNotContain("by hand").doesNotContain("read-key");
        assertThat(report.path("rollback").asText()).contains("nothing in Qdrant was changed");
        assertThat(qdrant.collectionExists("products_new")).isFalse();
        assertThat(qdrant.points("products")).isEqualTo(1200);
    }

    @Test
    void qdrantDownInTheMiddleKeepsTheSafetyCopyAndTheReportSaysHowToUseIt() throws Exception {
        // a server stopping mid-request can leave the upload's connection unanswered: the read timeout
        // (2m by default) is then what ends it, as it would with a real Qdrant host that dies
        app(Map.of("qdrant.read-timeout", "8s"));
        archived(FakeQdrant.DEFAULT_VECTORS, 10, 10);
        qdrant.delayNext("POST", "/collections/products/snapshots/upload", Duration.ofSeconds(3), 1);
        request("r.restore.json", false);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> qdrant.countRequests("POST", "/collections/products/snapshots/upload") == 1);
        qdrant.down();

        JsonNode report = report(inbox, "r.restore.json");
        assertThat(report.path("outcome").asText()).as(report.toString()).isEqualTo("ROLLBACK_FAILED");
        Path safety = Path.of(report.path("safetyCopy").asText());
        assertThat(report.path("reason").asText()).contains(safety.toString()).contains("copy both into the inbox");
        assertThat(FakeQdrant.sha256(safety))
                .isEqualTo(LocalStore.readManifest(safety.resolveSibling(safety.getFileName() + ".json"))
                        .orElseThrow()
                        .sha256());

        // the operator follows the report once Qdrant is back: the collection is as before
        qdrant.up();
        qdrant.collection("products", 3);
        drop(inbox, safety.resolveSibling(safety.getFileName() + ".json"), safety.getFileName() + ".json");
        drop(inbox, safety, safety.getFileName().toString());
        JsonNode back = report(inbox, safety.getFileName().toString());
        assertThat(back.path("outcome").asText()).as(back.toString()).isEqualTo("RESTORED");
        assertThat(qdrant.points("products")).isEqualTo(1200);
        assertThat(qdrant.aliases()).containsEntry("shop", "products");
        assertThat(Files.exists(safety))
                .as("the safety copy stays in the archive")
                .isTrue();
    }
}
