package qdrantbackup.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static qdrantbackup.restore.Inboxes.dropText;
import static qdrantbackup.restore.Inboxes.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.testing.FakeQdrant;
import qdrantbackup.testing.TestApp;

/** After a blue/green switch, restoring an old backup does not point the switched alias back at old data. */
class AliasSwitchTest {
    @TempDir
    Path dir;

    FakeQdrant qdrant;
    TestApp app;
    Path inbox;

    @BeforeEach
    void switched() throws Exception {
        qdrant = FakeQdrant.start(dir.resolve("qdrant"))
                .collection("products", 1200)
                .alias("prod", "products")
                .alias("shop", "products");
        app = TestApp.start(dir, qdrant.url(), new HashMap<>(Inboxes.settings(dir)));
        assertThat(app.backupNow().isOk()).isTrue();
        // the blue/green switch: prod now serves products_v2
        qdrant.collection("products_v2", 1500).alias("prod", "products_v2");
        inbox = dir.resolve("inbox");
    }

    @AfterEach
    void stop() {
        app.close();
        qdrant.close();
    }

    @Test
    void anAliasThatNowPointsAtAnotherCollectionIsLeftAlone() {
        dropText(inbox, "old.restore.json", "{\"collection\": \"products\", \"snapshot\": \"latest\"}");

        JsonNode r = report(inbox, "old.restore.json");
        assertThat(r.path("outcome").asText()).as(r.toString()).isEqualTo("RESTORED");
        assertThat(qdrant.aliases()).containsEntry("prod", "products_v2").containsEntry("shop", "products");
        assertThat(r.path("aliases").path("recreated").toString()).isEqualTo("[\"shop\"]");
        assertThat(r.path("aliases").path("leftAlone").path("prod").asText()).isEqualTo("products_v2");
    }

    @Test
    void forceMovesIt() {
        dropText(
                inbox,
                "old.restore.json",
                "{\"collection\": \"products\", \"snapshot\": \"latest\", \"aliases\": \"force\"}");

        JsonNode r = report(inbox, "old.restore.json");
        assertThat(r.path("outcome").asText()).as(r.toString()).isEqualTo("RESTORED");
        assertThat(qdrant.aliases()).containsEntry("prod", "products").containsEntry("shop", "products");
    }

    @Test
    void aTargetThatIsAnAliasIsRefused() {
        dropText(
                inbox,
                "alias.restore.json",
                "{\"collection\": \"products\", \"snapshot\": \"latest\", \"target\": \"prod\"}");

        JsonNode r = report(inbox, "alias.restore.json");
        assertThat(r.path("outcome").asText()).isEqualTo("REFUSED");
        assertThat(r.path("reason").asText()).contains("the target prod is an alias of collection products_v2");
        assertThat(qdrant.collectionNames()).doesNotContain("prod");
        assertThat(qdrant.points("products_v2")).isEqualTo(1500);
    }
}
