package qdrantbackup.ha;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import qdrantbackup.config.Settings;
import qdrantbackup.config.StartupChecks;

/** ha.cluster other than none: the cluster service, Camel's ClusteredRoutePolicy as leaderOnly, who leads. */
final class Election {
    private static final String NAMESPACE = Cluster.NAMESPACE;
    private static final String POLICY = Cluster.POLICY;

    private Election() {}

    static Leadership install(CamelContext camel, Settings settings, String kind) {
        String member = memberId(settings, kind);
        Duration interval = settings.duration("ha.check-interval");
        if (interval.toMillis() < 100) {
            throw Settings.invalid("ha.check-interval", interval.toMillis() + "ms", "give 100ms or more, e.g. 5s");
        }
        CamelClusterService service;
        Path memberFile = null;
        String group = NAMESPACE;
        if (kind.equals("file")) {
            Path root =
                    StartupChecks.folder(settings, required(settings, "ha.file.root", kind, "/shared/qdrant-backup"));
            service = FileCluster.service(root, interval);
            memberFile = root.resolve(NAMESPACE + ".member");
        } else if (kind.equals("kubernetes")) {
            service = KubernetesCluster.service(settings, member, interval, KubernetesCluster.POD_NAMESPACE);
            group = KubernetesCluster.GROUP;
        } else {
            service = ZooKeeperCluster.service(
                    settings, required(settings, "ha.zookeeper.nodes", kind, "zk1:2181,zk2:2181"));
        }
        service.setId(member);
        ClusterLeadership leadership = new ClusterLeadership(service, group, member, memberFile);
        try {
            camel.addService(service, true, true);
            ClusteredRoutePolicy policy = ClusteredRoutePolicy.forNamespace(service, group);
            policy.setCamelContext(camel);
            policy.setInitialDelay(Duration.ZERO);
            camel.getRegistry().bind(POLICY, policy);
            camel.addService(leadership, true, true);
        } catch (Exception e) {
            throw new IllegalStateException("cannot set up ha.cluster=" + kind + ": " + e.getMessage(), e);
        }
        return leadership;
    }

    /** The key, after checking that it is set (it is what ha.cluster={@code kind} needs). */
    private static String required(Settings settings, String key, String kind, String example) {
        if (!settings.isSet(key)) {
            throw new Settings.SettingException("setting " + key + " is not set: ha.cluster=" + kind
                    + " needs it (e.g. " + key + "=" + example + "), or set ha.cluster=none");
        }
        return key;
    }

    static String memberId(Settings settings, String kind) {
        // Kubernetes: the election knows members by pod name, which the container's host name is
        String id = settings.find("ha.member-id").orElseGet(() -> kind.equals("kubernetes") ? host() : hostAndPid());
        if (!id.matches("[A-Za-z0-9._-]{1,100}")) {
            throw Settings.invalid("ha.member-id", id, "use up to 100 letters, digits, '.', '_' or '-', e.g. backup-1");
        }
        return id;
    }

    private static String hostAndPid() {
        return host().replaceAll("[^A-Za-z0-9._-]", "-") + "-"
                + ProcessHandle.current().pid();
    }

    private static String host() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                host = "host";
            }
        }
        return host;
    }
}
