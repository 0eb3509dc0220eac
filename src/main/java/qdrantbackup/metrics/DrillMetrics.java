package qdrantbackup.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import qdrantbackup.drill.DrillHistory;
import qdrantbackup.drill.DrillReport;

/**
 * Drill metrics per collection: when the newest backup proven restorable was made, and the last drill's
 * success, recall and duration. Seeded from {@code state/drills/} at start, so an alert on the age of the last
 * verified backup stays right after a restart.
 */
public final class DrillMetrics {
    static final String LAST_VERIFIED = "qdrant_backup_last_verified_timestamp_seconds";
    static final String LAST_OK = "qdrant_backup_drill_last_ok";
    static final String LAST_RECALL = "qdrant_backup_drill_last_recall";
    static final String LAST_DURATION = "qdrant_backup_drill_last_duration_seconds";

    /** One collection's values; the gauges' suppliers hold it strongly (a weakly held one would read NaN). */
    private static final class Values {
        volatile double verified = Double.NaN;
        volatile double ok = Double.NaN;
        volatile double recall = Double.NaN;
        volatile double duration = Double.NaN;

        void last(boolean passed, double recall, double duration, String backupCreated) {
            this.ok = passed ? 1 : 0;
            this.recall = recall;
            this.duration = duration;
            double created = seconds(backupCreated);
            if (passed && !Double.isNaN(created)) {
                // Math.max(NaN, x) is NaN: the first proof must replace the unset value
                verified = Double.isNaN(verified) ? created : Math.max(verified, created);
            }
        }
    }

    private final MeterRegistry registry;
    private final Map<String, Values> values = new ConcurrentHashMap<>();

    public DrillMetrics(MeterRegistry registry, Path stateDir) {
        this.registry = registry;
        for (DrillHistory.Entry e : DrillHistory.read(stateDir)) { // oldest first: the last one wins
            of(e.collection()).last(e.ok(), e.recall(), e.durationSeconds(), e.backupCreated());
        }
    }

    /** A finished drill (a {@link qdrantbackup.drill.Drill#onFinish} listener). */
    public void record(DrillReport r) {
        of(r.collection)
                .last(
                        r.ok,
                        r.recall == null ? Double.NaN : r.recall,
                        r.durationSeconds == null ? Double.NaN : r.durationSeconds,
                        r.backupCreated);
    }

    private Values of(String collection) {
        return values.computeIfAbsent(collection, c -> {
            Values v = new Values();
            gauge(LAST_VERIFIED, c, v, x -> x.verified, "creation time of the newest backup a drill proved restorable");
            gauge(LAST_OK, c, v, x -> x.ok, "1 when the last drill of the collection proved its backup, else 0");
            gauge(LAST_RECALL, c, v, x -> x.recall, "recall@10 through the index in the last drill");
            gauge(LAST_DURATION, c, v, x -> x.duration, "how long the last drill of the collection took");
            return v;
        });
    }

    private void gauge(String name, String collection, Values v, ToDoubleFunction<Values> read, String help) {
        Gauge.builder(name, () -> read.applyAsDouble(v))
                .tag("collection", collection)
                .description(help)
                .register(registry);
    }

    private static double seconds(String instant) {
        if (instant == null) {
            return Double.NaN;
        }
        try {
            return Instant.parse(instant).getEpochSecond();
        } catch (DateTimeParseException e) {
            return Double.NaN;
        }
    }
}
