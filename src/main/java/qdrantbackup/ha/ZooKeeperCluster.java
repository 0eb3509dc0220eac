package qdrantbackup.ha;

import org.apache.camel.component.zookeeper.cluster.ZooKeeperClusterService;
import qdrantbackup.config.Settings;

/** ha.cluster=zookeeper: Camel's ZooKeeper (Curator) leader election under ha.zookeeper.base-path. */
final class ZooKeeperCluster {
    private ZooKeeperCluster() {}

    static ZooKeeperClusterService service(Settings settings, String nodesKey) {
        String nodes = settings.string(nodesKey);
        if (!nodes.matches("[A-Za-z0-9._-]+:\\d+(,[A-Za-z0-9._-]+:\\d+)*")) {
            throw Settings.invalid(nodesKey, nodes, "give host:port pairs separated by commas, e.g. zk1:2181,zk2:2181");
        }
        String base = settings.string("ha.zookeeper.base-path");
        if (!base.matches("(/[A-Za-z0-9._-]+)+")) {
            throw Settings.invalid(
                    "ha.zookeeper.base-path", base, "give an absolute ZooKeeper path such as /qdrant-backup");
        }
        ZooKeeperClusterService service = new ZooKeeperClusterService();
        service.setNodes(nodes);
        service.setBasePath(base);
        // a killed leader's session ends after this, and a follower takes over
        service.setSessionTimeout(15_000);
        service.setConnectTimeout(15_000);
        return service;
    }
}
