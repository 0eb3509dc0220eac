package qdrantbackup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.testing.FakeCluster;
import qdrantbackup.testing.TestApp;

/**
 * A cluster set made on 3 nodes, restored through the inbox (a .restore.json request) into clusters of other
 * sizes and into one node; and a restore where one node refuses its shard, rolled back as a whole set.
 */
class ClusterRestoreTest {
    @TempDir
    Path dir;

    private List<Long> backUpThreeNodes() throws Exception {
        try (FakeCluster source = FakeCluster.start(3)) {
            source.collection("products", 6, 2).points("products", 630).alias("shop", "products");
            try (TestApp app = TestApp.start(dir, source.url(0), Inboxes.settings(dir))) {
                assertThat(app.backupNow("products").isOk()).isTrue();
            }
            return source.pointIds("products");
        }
    }

    private JsonNode request(FakeCluster target, String name, String json) throws Exception {
        try (TestApp app = TestApp.start(dir, target.url(0), Inboxes.settings(dir))) {
            Path inbox = dir.resolve("inbox");
            Inboxes.dropText(inbox, name, json);
            return Inboxes.report(inbox, name);
        }
    }

    private void restoredInto(int nodes) throws Exception {
        List<Long> ids = backUpThreeNodes();
        try (FakeCluster target = FakeCluster.start(nodes)) {
            JsonNode report =
                    request(target, "p.restore.json", "{\"collection\": \"products\", \"snapshot\": \"latest\"}");
            assertThat(report.path("outcome").asText()).as(report.toString()).isEqualTo("RESTORED");
            assertThat(target.points("products")).isEqualTo(630);
            assertThat(target.pointIds("products")).isEqualTo(ids);
            assertThat(target.aliases()).isEqualTo(Map.of("shop", "products"));
            for (int s = 0; s < 6; s++) {
                assertThat(target.replicaStates("products", s).values()).containsOnly("Active");
                assertThat(target.replicaStates("products", s)).hasSize(Math.min(2, nodes));
            }
            assertThat(target.requests("POST", "/collections/products/shards/\\d+/snapshots/upload"))
                    .hasSize(6);
            assertThat(target.requests("PUT", "/collections/products")).hasSize(1);
            assertThat(target.requests("POST", "/collections/aliases")).hasSize(1);
        }
    }

    @Test
    void aThreeNodeSetRestoresIntoThreeNodes() throws Exception {
        restoredInto(3);
    }

    @Test
    void aThreeNodeSetRestoresIntoFiveNodes() throws Exception {
        restoredInto(5);
    }

    @Test
    void aThreeNodeSetRestoresIntoOneNode() throws Exception {
        restoredInto(1);
    }

    @Test
    void oneNodeRefusingItsShardRollsBackTheWholeSet() throws Exception {
        backUpThreeNodes();
        try (FakeCluster target = FakeCluster.start(3)) {
            target.collection("products", 3, 2).points("products", 120).alias("shop", "products");
            List<Long> before = target.pointIds("products");
            target.refuseUploads(2, 1);
            JsonNode report = request(
                    target,
                    "p.restore.json",
                    "{\"collection\": \"products\", \"snapshot\": \"latest\", \"replace\": true}");
            assertThat(report.path("outcome").asText()).as(report.toString()).isEqualTo("FAILED");
            assertThat(report.toString()).contains("refused shard").contains("No space left on device");
            assertThat(report.toString()).contains("put back from the safety set");
            // the previous collection is back, exactly (a rollback onto the refusing node would fail too)
            assertThat(target.points("products")).isEqualTo(120);
            assertThat(target.pointIds("products")).isEqualTo(before);
            assertThat(target.aliases()).isEqualTo(Map.of("shop", "products"));
            try (var pre = Files.list(dir.resolve("archive").resolve("products").resolve("pre-restore"))) {
                assertThat(pre.filter(p -> p.toString().endsWith(".json"))).hasSize(1);
            }
        }
    }

    @Test
    void customShardingIsRestoredByShardKeyIntoAnotherSize() throws Exception {
        List<Long> us;
        List<Long> eu;
        try (FakeCluster source = FakeCluster.start(3)) {
            Map<String, int[]> keys = new java.util.LinkedHashMap<>();
            keys.put("us", new int[] {0, 1}); // shard 0 here; the restore creates the keys sorted: eu is 0 there
            keys.put("eu", new int[] {1, 2});
            source.customCollection("tenants", keys).points("tenants", 40);
            us = source.shardPoints("tenants", 0);
            eu = source.shardPoints("tenants", 1);
            try (TestApp app = TestApp.start(dir, source.url(0), Inboxes.settings(dir))) {
                assertThat(app.backupNow("tenants").isOk()).isTrue();
            }
        }
        try (FakeCluster target = FakeCluster.start(2)) {
            JsonNode report =
                    request(target, "t.restore.json", "{\"collection\": \"tenants\", \"snapshot\": \"latest\"}");
            assertThat(report.path("outcome").asText()).as(report.toString()).isEqualTo("RESTORED");
            assertThat(target.requests("PUT", "/collections/tenants/shards")).hasSize(2);
            assertThat(target.shardPoints("tenants", 0))
                    .as("key eu")
                    .isEqualTo(eu)
                    .hasSize(20);
            assertThat(target.shardPoints("tenants", 1))
                    .as("key us")
                    .isEqualTo(us)
                    .hasSize(20);
            assertThat(target.points("tenants")).isEqualTo(40);
        }
    }
}
