package qdrantbackup.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.health.HealthCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.health.QdrantReadiness;
import qdrantbackup.qdrant.QdrantClient;
import qdrantbackup.qdrant.QdrantSettings;
import qdrantbackup.testing.FakeCluster;
import qdrantbackup.testing.FakeQdrant;

/** Finding a cluster's nodes: from GET /cluster and qdrant.node-url, or from qdrant.nodes; a single node is none. */
class ClusterNodesTest {
    private static QdrantClient client(String url) {
        return new QdrantClient(new QdrantSettings(
                url,
                null,
                Duration.ofSeconds(2),
                Duration.ofSeconds(5),
                Duration.ofSeconds(5),
                1,
                Duration.ofMillis(10)));
    }

    @Test
    void aPeersP2pUriMapsToItsRestAddressByHost() {
        ClusterNodes byDefault = new ClusterNodes(client("http://localhost:6333"), "", "");
        assertThat(byDefault.restUrl("http://qdrant-1.qdrant-headless:6335/", "http://qdrant-0:6333"))
                .isEqualTo("http://qdrant-1.qdrant-headless:6333");
        assertThat(byDefault.restUrl("http://10.0.0.7:6335/", "https://user:pw@q.example.net"))
                .isEqualTo("https://user:pw@10.0.0.7:443");
        ClusterNodes templated =
                new ClusterNodes(client("http://localhost:6333"), "", "https://{host}.example.net:8443");
        assertThat(templated.restUrl("http://node-2:6335/", "http://x:6333"))
                .isEqualTo("https://node-2.example.net:8443");
    }

    @Test
    void nodesComeFromTheClusterStatusOrTheExplicitList() {
        try (FakeCluster cluster = FakeCluster.start(3)) {
            var found = new ClusterNodes(client(cluster.url(1)), "", "").discover();
            assertThat(found)
                    .extracting(Node::peerId)
                    .containsExactly(cluster.node(0).peerId, cluster.node(1).peerId, cluster.node(2).peerId);
            assertThat(found).extracting(Node::url).containsExactly(cluster.url(0), cluster.url(1), cluster.url(2));

            String list = cluster.url(2) + ", " + cluster.url(0);
            var listed = new ClusterNodes(client(cluster.url(1)), list, "").discover();
            assertThat(listed).extracting(Node::peerId).containsExactly(cluster.node(2).peerId, cluster.node(0).peerId);
        }
    }

    @Test
    void aSingleNodeWithTheClusterDisabledHasNoNodes(@TempDir Path dir) {
        try (FakeQdrant q = FakeQdrant.start(dir)) {
            assertThat(new ClusterNodes(client(q.url()), "", "").discover()).isEmpty();
        }
    }

    @Test
    void readinessNamesEachNodeThatDoesNotAnswer() {
        try (FakeCluster cluster = FakeCluster.start(3)) {
            QdrantClient root = client(cluster.url(0));
            QdrantReadiness ready =
                    new QdrantReadiness(root, Duration.ofSeconds(1)).withCluster(new ClusterNodes(root, "", ""));
            assertThat(ready.call(Map.of()).getState()).isEqualTo(HealthCheck.State.UP);
            cluster.down(2);
            HealthCheck.Result down = ready.call(Map.of());
            assertThat(down.getState()).isEqualTo(HealthCheck.State.DOWN);
            assertThat(down.getMessage().orElse(""))
                    .contains("1 of 3 cluster node(s) do not answer")
                    .contains("127.0.0.3:" + cluster.port()) // the health body drops the scheme
                    .contains(cluster.node(2).peerId);
        }
    }
}
