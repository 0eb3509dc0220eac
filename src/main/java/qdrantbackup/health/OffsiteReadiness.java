package qdrantbackup.health;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import qdrantbackup.store.BackupStore;

/**
 * Ready only while the bucket is reachable and writable (when offsite is on). Each check writes and
 * deletes a probe object, so a success is trusted for {@code recheck} before asking again; a failure
 * is checked again on every probe.
 */
public final class OffsiteReadiness extends AbstractHealthCheck {
    private final BackupStore offsite;
    private final Duration recheck;
    private volatile Instant lastOk = Instant.EPOCH;

    public OffsiteReadiness(BackupStore offsite, Duration recheck) {
        super("qdrant-backup", "offsite");
        this.offsite = offsite;
        this.recheck = recheck;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("target", offsite.describe());
        if (!offsite.enabled() || Instant.now().isBefore(lastOk.plus(recheck))) {
            builder.up();
            return;
        }
        try {
            offsite.checkWritable();
            lastOk = Instant.now();
            builder.up();
        } catch (RuntimeException e) {
            builder.message(Messages.safe(offsite.describe() + " is not writable: " + e.getMessage()))
                    .down();
        }
    }
}
