package qdrantbackup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import qdrantbackup.store.ClusterSet;
import qdrantbackup.store.Manifest;

/** The CreateCollection body a set restore sends: the recorded config, the recorded layout. */
class ClusterRestoreBodyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Manifest set(String method, int shards, List<String> keys) throws Exception {
        JsonNode config = JSON.readTree("{\"params\":{\"vectors\":{\"size\":4,\"distance\":\"Cosine\"},"
                + "\"shard_number\":" + shards + ",\"replication_factor\":2,\"write_consistency_factor\":1,"
                + "\"on_disk_payload\":true},\"hnsw_config\":{\"m\":32},\"optimizer_config\":{\"indexing_threshold\":5},"
                + "\"wal_config\":{\"wal_capacity_mb\":64},\"quantization_config\":null}");
        ClusterSet cs = new ClusterSet(
                ClusterSet.SHARDS,
                List.of(),
                List.of(),
                new ClusterSet.Layout(shards, 3, 2, method, keys, List.of(new ClusterSet.Shard(0, null, Map.of()))),
                10L);
        return new Manifest(
                        "c",
                        "c-set.snapshot",
                        Manifest.COLLECTION,
                        1,
                        "ab",
                        "2026-01-01T00:00:00Z",
                        "1.19.0",
                        10L,
                        config,
                        Map.of(),
                        "test")
                .withCluster(cs);
    }

    @Test
    void autoShardingCarriesTheLayoutAndTheConfigUnderQdrantsCreateNames() throws Exception {
        ObjectNode body = ClusterRestore.createBody(set("auto", 6, null));
        assertThat(body.path("shard_number").asInt()).isEqualTo(6);
        assertThat(body.path("replication_factor").asInt())
                .as("the layout's, not config.params'")
                .isEqualTo(3);
        assertThat(body.path("write_consistency_factor").asInt()).isEqualTo(2);
        assertThat(body.path("vectors").path("size").asInt()).isEqualTo(4);
        assertThat(body.path("on_disk_payload").asBoolean()).isTrue();
        assertThat(body.path("hnsw_config").path("m").asInt()).isEqualTo(32);
        assertThat(body.path("optimizers_config").path("indexing_threshold").asInt())
                .isEqualTo(5);
        assertThat(body.path("wal_config").path("wal_capacity_mb").asInt()).isEqualTo(64);
        assertThat(body.has("quantization_config")).as("null is left out").isFalse();
        assertThat(body.has("sharding_method")).isFalse();
    }

    @Test
    void customShardingSendsNoShardNumber() throws Exception {
        ObjectNode body = ClusterRestore.createBody(set("custom", 1, List.of("eu", "us")));
        assertThat(body.path("sharding_method").asText()).isEqualTo("custom");
        assertThat(body.has("shard_number")).isFalse();
    }
}
