package qdrantbackup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.store.ClusterSet;
import qdrantbackup.testing.FakeCluster;
import qdrantbackup.testing.TestApp;

/**
 * Payload indexes belong to the collection, not to its shards: a set records them and its restore re-creates
 * them, with their params, into a cluster of the same size and into one node.
 */
class ClusterPayloadIndexTest {
    private static final String INTEGER = "{\"type\":\"integer\",\"lookup\":true,\"range\":false}";

    @TempDir
    Path dir;

    private JsonNode backUp() throws Exception {
        try (FakeCluster source = FakeCluster.start(3)) {
            source.collection("products", 6, 2)
                    .points("products", 630)
                    .payloadIndex("products", "shard", "keyword")
                    .payloadIndex("products", "n", INTEGER);
            try (TestApp app = TestApp.start(dir, source.url(0), Inboxes.settings(dir))) {
                assertThat(app.backupNow("products").isOk()).isTrue();
            }
            return source.payloadSchema("products");
        }
    }

    private void restoredInto(int nodes) throws Exception {
        JsonNode before = backUp();
        assertThat(before.path("n").path("params").path("range").asBoolean(true))
                .isFalse();
        try (FakeCluster target = FakeCluster.start(nodes);
                TestApp app = TestApp.start(dir, target.url(0), Inboxes.settings(dir))) {
            Path inbox = dir.resolve("inbox");
            Inboxes.dropText(inbox, "p.restore.json", "{\"collection\": \"products\", \"snapshot\": \"latest\"}");
            JsonNode report = Inboxes.report(inbox, "p.restore.json");
            assertThat(report.path("outcome").asText()).as(report.toString()).isEqualTo("RESTORED");
            assertThat(report.toString()).contains("2 payload index(es) re-created");
            assertThat(target.points("products")).isEqualTo(630);
            // the same fields, types and params, and every point indexed
            assertThat(target.payloadSchema("products")).isEqualTo(before);
            assertThat(target.requests("PUT", "/collections/products/index")).hasSize(2);
        }
    }

    @Test
    void payloadIndexesSurviveASetRestoreIntoThreeNodes() throws Exception {
        restoredInto(3);
    }

    @Test
    void payloadIndexesSurviveASetRestoreIntoOneNode() throws Exception {
        restoredInto(1);
    }

    @Test
    void aSetManifestWithoutPayloadSchemaReadsAsNoneAndOneWithItRoundTrips() throws Exception {
        String old = "{\"method\":\"shards\",\"nodes\":[],\"files\":[],\"pointCount\":3}";
        assertThat(Inboxes.JSON.readValue(old, ClusterSet.class).payloadSchema())
                .isNull();
        ClusterSet set = Inboxes.JSON
                .readValue(old, ClusterSet.class)
                .withPayloadSchema(Map.of(
                        "tag",
                        new ClusterSet.PayloadIndex("keyword", null),
                        "n",
                        new ClusterSet.PayloadIndex("integer", Inboxes.JSON.readTree(INTEGER))));
        String json = Inboxes.JSON.writeValueAsString(set);
        ClusterSet back = Inboxes.JSON.readValue(json, ClusterSet.class);
        assertThat(back.payloadSchema()).isEqualTo(set.payloadSchema());
        assertThat(back.payloadSchema().get("tag").fieldSchema().asText()).isEqualTo("keyword");
        assertThat(back.payloadSchema().get("n").fieldSchema()).isEqualTo(Inboxes.JSON.readTree(INTEGER));
        assertThat(json).doesNotContain("fieldSchema");
    }
}
