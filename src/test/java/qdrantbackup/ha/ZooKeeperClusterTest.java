package qdrantbackup.ha;

import java.util.Map;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** ha.cluster=zookeeper: Camel's ZooKeeperClusterService against a real ZooKeeper server. */
class ZooKeeperClusterTest extends ElectionTest {
    private TestingServer zookeeper;

    @BeforeEach
    void startZooKeeper() throws Exception {
        zookeeper = new TestingServer(true);
    }

    @AfterEach
    void stopZooKeeper() throws Exception {
        zookeeper.close();
    }

    @Override
    Map<String, String> cluster() {
        return Map.of(
                "ha.cluster",
                "zookeeper",
                "ha.zookeeper.nodes",
                zookeeper.getConnectString(),
                "ha.zookeeper.base-path",
                "/test/qdrant-backup");
    }
}
