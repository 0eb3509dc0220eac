package qdrantbackup.health;

import java.time.Duration;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import qdrantbackup.qdrant.QdrantClient;

/** Ready only while Qdrant answers {@code GET /}: without it no backup can run. */
public final class QdrantReadiness extends AbstractHealthCheck {
    private final QdrantClient qdrant;
    private final Duration timeout;

    public QdrantReadiness(QdrantClient qdrant, Duration timeout) {
        super("qdrant-backup", "qdrant");
        this.qdrant = qdrant;
        this.timeout = timeout;
    }

    @Override
    public boolean isLiveness() {
        return false; // Qdrant being down is no reason to restart this tool
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try {
            String version = qdrant.ping(timeout);
            builder.detail("version", version).up();
        } catch (RuntimeException e) {
            builder.message(Messages.safe(e.getMessage())).down();
        }
    }
}
