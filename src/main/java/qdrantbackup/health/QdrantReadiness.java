package qdrantbackup.health;

import java.time.Duration;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import qdrantbackup.qdrant.QdrantClient;

/**
 * Ready only while Qdrant answers {@code GET /}: without it no backup can run. Of a cluster, every node must
 * answer too (a set needs them all): the message names each node that does not.
 */
public final class QdrantReadiness extends AbstractHealthCheck {
    private final QdrantClient qdrant;
    private final Duration timeout;
    private volatile qdrantbackup.cluster.ClusterNodes cluster;

    public QdrantReadiness(QdrantClient qdrant, Duration timeout) {
        super("qdrant-backup", "qdrant");
        this.qdrant = qdrant;
        this.timeout = timeout;
    }

    /** Also asks every node of the cluster these find. */
    public QdrantReadiness withCluster(qdrantbackup.cluster.ClusterNodes nodes) {
        this.cluster = nodes;
        return this;
    }

    @Override
    public boolean isLiveness() {
        return false; // Qdrant being down is no reason to restart this tool
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try {
            String version = qdrant.ping(timeout);
            builder.detail("version", version);
            String silent = cluster == null ? null : silentNodes();
            if (silent != null) {
                builder.message(Messages.safe(silent)).down();
                return;
            }
            builder.up();
        } catch (RuntimeException e) {
            builder.message(Messages.safe(e.getMessage())).down();
        }
    }

    private String silentNodes() {
        java.util.List<String> silent = new java.util.ArrayList<>();
        java.util.List<qdrantbackup.cluster.Node> nodes = cluster.discover();
        for (qdrantbackup.cluster.Node n : nodes) {
            try {
                n.client().ping(timeout);
            } catch (RuntimeException e) {
                silent.add(n.label());
            }
        }
        return silent.isEmpty()
                ? null
                : silent.size() + " of " + nodes.size() + " cluster node(s) do not answer: " + String.join(", ", silent)
                        + "; no backup of the cluster's collections can be complete until they do";
    }
}
