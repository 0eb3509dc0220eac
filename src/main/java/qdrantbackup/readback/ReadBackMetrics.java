package qdrantbackup.readback;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The read-back's meters: a counter of backups read back by outcome, and per collection the time of the last
 * read-back that matched and how many backups failed their last one (alert on either).
 */
public final class ReadBackMetrics {
    private ReadBackMetrics() {}

    public static void register(MeterRegistry meters, ReadBack readBack) {
        ReadBackState state = readBack.state();
        state.collections().forEach(c -> gauges(meters, state, c));
        readBack.onResult(r -> {
            Counter.builder("qdrant_backup_read_back")
                    .description("backups read back from the bucket, by outcome (OK, DAMAGED, MISSING, ERROR)")
                    .tag("outcome", r.outcome())
                    .register(meters)
                    .increment();
            gauges(meters, state, r.collection());
        });
    }

    private static void gauges(MeterRegistry meters, ReadBackState state, String collection) {
        // registering again returns the existing gauge
        Gauge.builder("qdrant_backup_last_read_back_timestamp_seconds", () -> state.lastOkSeconds(collection))
                .description("when a bucket backup of the collection was last read back and matched its manifest")
                .tag("collection", collection)
                .register(meters);
        Gauge.builder("qdrant_backup_read_back_failed", () -> state.failed(collection))
                .description("bucket backups of the collection whose last read-back found them damaged or missing")
                .tag("collection", collection)
                .register(meters);
    }
}
