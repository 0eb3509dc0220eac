package qdrantbackup.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.qdrant.PointHash;
import qdrantbackup.testing.FakePoints;
import qdrantbackup.testing.FakeQdrant;
import qdrantbackup.testing.TestApp;

/** The fingerprint a backup's manifest records, taken against the stand-in's real points. */
class FingerprintTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    FakeQdrant qdrant;
    TestApp app;

    @BeforeEach
    void start() throws Exception {
        qdrant = FakeQdrant.start(dir.resolve("qdrant")).collection("products", 150);
        app = TestApp.start(dir, qdrant.url(), Map.of());
    }

    @AfterEach
    void stop() {
        app.close();
        qdrant.close();
    }

    private JsonNode manifest() throws Exception {
        BackupRun run = app.backupNow("products");
        assertThat(run.isOk()).as(run.getJobs().toString()).isTrue();
        String snapshot = run.getJobs().get(0).getSnapshot();
        return JSON.readTree(
                app.archive.resolve("products").resolve(snapshot + ".json").toFile());
    }

    @Test
    void theManifestHoldsTheHashesOfAHundredSampledPointsAndTwentyExactSearches() throws Exception {
        JsonNode print = manifest().path("fingerprint");
        FakePoints data = qdrant.pointData("products");

        assertThat(print.path("points")).hasSize(100);
        for (JsonNode p : print.path("points")) {
            FakePoints.Point real = data.get(p.path("id").asLong());
            ObjectNode asRead = JSON.createObjectNode();
            asRead.set("payload", real.payload());
            asRead.set("vector", real.vector());
            assertThat(p.path("sha256").asText()).isEqualTo(PointHash.of(asRead));
        }
        assertThat(print.path("probes")).hasSize(20);
        for (JsonNode probe : print.path("probes")) {
            JsonNode top = probe.path("top");
            assertThat(top).hasSize(10);
            // a Cosine search with a point's own vector finds that point first, at 1.0
            assertThat(top.get(0).path("id")).isEqualTo(probe.path("id"));
            assertThat(top.get(0).path("score").asDouble()).isCloseTo(1.0, Offset.offset(1e-5));
        }
        assertThat(print.has("changedWhileBackedUp")).isFalse();
        assertThat(qdrant.countRequests("POST", ".*/points/query")).isEqualTo(21);
    }

    @Test
    void writesDuringTheSnapshotAreRecordedInTheFingerprint() throws Exception {
        qdrant.writesDuringSnapshot("products", 5);
        JsonNode print = manifest().path("fingerprint");
        assertThat(print.path("changedWhileBackedUp").asBoolean()).isTrue();
        assertThat(print.path("points")).hasSize(100);
    }

    @Test
    void aFingerprintQdrantRefusesLeavesTheBackupGoodWithoutOne() throws Exception {
        qdrant.failNext("POST", ".*/points/query", 500, "{\"status\":{\"error\":\"boom\"}}", 100);
        JsonNode manifest = manifest();
        assertThat(manifest.has("fingerprint")).isFalse();
        assertThat(manifest.path("pointCount").asLong()).isEqualTo(150);
    }
}
