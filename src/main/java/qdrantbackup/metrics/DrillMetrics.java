package qdrantbackup.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qdrantbackup.backup.Backup;
import qdrantbackup.backup.BackupJob;
import qdrantbackup.drill.DrillHistory;
import qdrantbackup.drill.DrillReport;
import qdrantbackup.store.BackupStore;

/**
 * Drill metrics per collection: when the newest backup proven restorable was made (0: never), since when the
 * collection has gone without a newer proof, and the last drill's success, recall and duration. Seeded from
 * {@code state/drills/} at start, so an alert on the age of the last proof stays right after a restart. Every
 * collection with a backup has the first two, so a collection never proven alerts too.
 */
public final class DrillMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(DrillMetrics.class);
    static final String LAST_VERIFIED = "qdrant_backup_last_verified_timestamp_seconds";
    static final String UNPROVEN_SINCE = "qdrant_backup_unproven_since_timestamp_seconds";
    static final String LAST_OK = "qdrant_backup_drill_last_ok";
    static final String LAST_RECALL = "qdrant_backup_drill_last_recall";
    static final String LAST_DURATION = "qdrant_backup_drill_last_duration_seconds";

    /** One collection's values; the gauges' suppliers hold it strongly (a weakly held one would read NaN). */
    private static final class Values {
        volatile double verified;
        volatile double firstSeen = Double.NaN;
        volatile double ok = Double.NaN;
        volatile double recall = Double.NaN;
        volatile double duration = Double.NaN;
        boolean drilled;

        void last(boolean passed, double recall, double duration, String backupCreated) {
            this.ok = passed ? 1 : 0;
            this.recall = recall;
            this.duration = duration;
            double created = seconds(backupCreated);
            if (passed && !Double.isNaN(created)) {
                verified = Math.max(verified, created);
            }
        }

        double unprovenSince() {
            return verified > 0 ? verified : firstSeen;
        }
    }

    private final MeterRegistry registry;
    private final FirstSeen firstSeen;
    private final Clock clock;
    private final Map<String, Values> values = new ConcurrentHashMap<>();

    public DrillMetrics(MeterRegistry registry, Path stateDir) {
        this(registry, stateDir, Clock.systemUTC());
    }

    DrillMetrics(MeterRegistry registry, Path stateDir, Clock clock) {
        this.registry = registry;
        this.firstSeen = new FirstSeen(stateDir);
        this.clock = clock;
        for (DrillHistory.Entry e : DrillHistory.read(stateDir)) { // oldest first: the last one wins
            last(e.collection(), e.ok(), e.recall(), e.durationSeconds(), e.backupCreated());
        }
    }

    /** Watches every collection the archive holds a backup of now, and each one a backup run archives. */
    public DrillMetrics watching(BackupStore archive, Backup backup) {
        try {
            archive.collections().forEach(this::watch);
        } catch (RuntimeException e) {
            LOG.warn("metrics: could not list the collections of {}: {}", archive.describe(), e.getMessage());
        }
        backup.onFinish(run -> {
            run.getJobs().stream()
                    .filter(j -> j.archived() != null)
                    .map(BackupJob::getCollection)
                    .forEach(this::watch);
            firstSeen.save();
        });
        return this;
    }

    /**
     * A collection that has a backup: its proof metrics show from now on, 0 (never proven) until a drill passes.
     * A new sighting is saved with the next backup run or drill, so a read-only command (list) writes nothing.
     */
    public void watch(String collection) {
        Values v = of(collection);
        if (Double.isNaN(v.firstSeen)) {
            v.firstSeen = firstSeen.see(collection, clock.instant()).getEpochSecond();
        }
    }

    /** A finished drill (a {@link qdrantbackup.drill.Drill#onFinish} listener). */
    public void record(DrillReport r) {
        recorded(
                r.collection,
                r.ok,
                r.recall == null ? Double.NaN : r.recall,
                r.durationSeconds == null ? Double.NaN : r.durationSeconds,
                r.backupCreated);
    }

    private void recorded(String collection, boolean ok, double recall, double duration, String backupCreated) {
        last(collection, ok, recall, duration, backupCreated);
        firstSeen.save();
    }

    private void last(String collection, boolean ok, double recall, double duration, String backupCreated) {
        watch(collection); // a drilled collection had a backup
        Values v = of(collection);
        v.last(ok, recall, duration, backupCreated);
        synchronized (v) {
            if (!v.drilled) {
                v.drilled = true;
                String c = collection;
                gauge(LAST_OK, c, v, x -> x.ok, "1 when the last drill of the collection proved its backup, else 0");
                gauge(LAST_RECALL, c, v, x -> x.recall, "recall@10 through the index in the last drill");
                gauge(LAST_DURATION, c, v, x -> x.duration, "how long the last drill of the collection took");
            }
        }
    }

    private Values of(String collection) {
        return values.computeIfAbsent(collection, c -> {
            Values v = new Values();
            gauge(
                    LAST_VERIFIED,
                    c,
                    v,
                    x -> x.verified,
                    "creation time of the newest backup a drill proved restorable; 0: none yet");
            gauge(
                    UNPROVEN_SINCE,
                    c,
                    v,
                    Values::unprovenSince,
                    "creation time of the newest backup a drill proved"
                            + " restorable; while none is, when this tool first saw a backup of the collection");
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
