package qdrantbackup.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qdrantbackup.backup.Backup;
import qdrantbackup.backup.BackupJob;
import qdrantbackup.backup.BackupRun;
import qdrantbackup.store.BackupStore;
import qdrantbackup.store.Manifest;
import qdrantbackup.transfer.SafeFiles;

/**
 * The Prometheus metrics of backups and restores, per collection (label {@code collection}).
 * Last-success times are seeded from the archive's manifests at start, so the dead-man's switch
 * ({@code time() - qdrant_backup_last_success_timestamp_seconds}) is right straight after a restart.
 * A backup counts as successful only when it ended OK (archived and, when offsite is on, shipped);
 * its time is the snapshot's creation time, as in the manifest.
 */
public final class BackupMetrics implements RestoreMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(BackupMetrics.class);
    private static final Duration LOCAL_COUNT_MAX_AGE = Duration.ofSeconds(30);

    private final MeterRegistry registry;
    private final BackupStore archive;
    private final BackupStore offsite;
    private final Map<String, Value> values = new ConcurrentHashMap<>();
    private final Set<String> keptGauges = ConcurrentHashMap.newKeySet();
    private volatile Map<String, Integer> offsiteCounts = Map.of();
    private volatile Map<String, Integer> localCounts = Map.of();
    private volatile Instant localCounted = Instant.EPOCH;

    public BackupMetrics(MeterRegistry registry, BackupStore archive, BackupStore offsite, Backup backup) {
        this.registry = registry;
        this.archive = archive;
        this.offsite = offsite;
        Gauge.builder("qdrant_backup_running", () -> backup.current() == null ? 0 : 1)
                .description("1 while a backup run is going")
                .register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("qdrant_backup_runs_skipped", backup, Backup::skippedRuns)
                .description(
                        "scheduled fires folded into a waiting one, and on-demand triggers refused while a run went")
                .register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("qdrant_backup_runs_delayed", backup, Backup::delayedRuns)
                .description("scheduled fires that found a run going and ran once it ended")
                .register(registry);
    }

    /** Seeds the values from the archive (and the last run summary in {@code stateDir}); never fails. */
    public BackupMetrics seed(Path stateDir) {
        try {
            // each place from its own store: an S3 outage stays visible after a restart
            for (Manifest newest : newestPerCollection(archive.listAll())) {
                lastSuccess(newest.collection(), newest, "local");
            }
            seedLastRun(stateDir.resolve("last-backup.json"));
        } catch (RuntimeException e) {
            LOG.warn("metrics could not be seeded from the archive {}: {}", archive.describe(), e.getMessage());
        }
        // a listing of the bucket takes seconds for a big one, and the first one loads the AWS SDK:
        // it must not hold up the start
        Thread offsiteCount = new Thread(this::refreshOffsiteCounts, "metrics-offsite-count");
        offsiteCount.setDaemon(true);
        offsiteCount.start();
        return this;
    }

    /** Listener of every finished backup run. */
    public void recordRun(BackupRun run) {
        for (BackupJob job : run.getJobs()) {
            String c = job.getCollection();
            boolean ok = job.getResult() == BackupJob.Result.OK;
            set(
                    "qdrant_backup_last_attempt_success",
                    "1 when the last backup attempt succeeded, else 0",
                    c,
                    ok ? 1 : 0);
            if (job.getSeconds() != null) {
                set("qdrant_backup_duration_seconds", "duration of the last backup attempt", c, job.getSeconds());
            }
            Counter failures = Counter.builder("qdrant_backup_failures")
                    .description("failed backup attempts")
                    .tag("collection", c)
                    .register(registry);
            if (ok) {
                set("qdrant_backup_bytes", "size of the last successful backup", c, job.getBytes());
            } else {
                failures.increment();
            }
            if (job.archived() != null && (ok || job.getResult() == BackupJob.Result.LOCAL_ONLY)) {
                lastSuccess(c, job.archived(), "local");
            }
            if (ok && offsite.enabled() && job.archived() != null) {
                lastSuccess(c, job.archived(), "offsite");
            }
        }
        set(
                "qdrant_backup_last_run_success",
                "1 when the last backup run succeeded entirely, else 0",
                null,
                run.isOk() ? 1 : 0);
        localCounted = Instant.EPOCH; // retention ran: count again on the next scrape
        refreshOffsiteCounts();
    }

    @Override
    public void recordRestore(String collection, boolean ok, double seconds) {
        set("qdrant_restore_last_success", "1 when the last restore succeeded, else 0", collection, ok ? 1 : 0);
        set("qdrant_restore_duration_seconds", "duration of the last restore", collection, seconds);
        set(
                "qdrant_restore_last_timestamp_seconds",
                "when the last restore ended",
                collection,
                Instant.now().getEpochSecond());
    }

    /** Per place (local, offsite): the newest backup that place holds. */
    private void lastSuccess(String collection, Manifest manifest, String place) {
        lastSuccess(collection, manifest.createdAt().toEpochMilli() / 1000.0, place);
        if (!values.containsKey(key("qdrant_backup_bytes", collection))) {
            set("qdrant_backup_bytes", "size of the last successful backup", collection, manifest.size());
        }
        keptGauges(collection);
    }

    private void lastSuccess(String collection, double epochSeconds, String place) {
        values.computeIfAbsent(key("qdrant_backup_last_success_timestamp_seconds|" + place, collection), k -> {
                    Value v = new Value();
                    Gauge.builder("qdrant_backup_last_success_timestamp_seconds", v, Value::get)
                            .description("creation time of the newest successful backup in each place")
                            .tags(Tags.of("collection", collection, "place", place))
                            .register(registry);
                    return v;
                })
                .value = epochSeconds;
    }

    /** The last run's per-collection result and duration, so these too survive a restart. */
    private void seedLastRun(Path summary) {
        if (!Files.isReadable(summary)) {
            return;
        }
        try {
            JsonNode run = SafeFiles.JSON.readTree(summary.toFile());
            for (JsonNode job : run.path("jobs")) {
                String c = job.path("collection").asText();
                set(
                        "qdrant_backup_last_attempt_success",
                        "1 when the last backup attempt succeeded, else 0",
                        c,
                        "OK".equals(job.path("result").asText()) ? 1 : 0);
                if (job.hasNonNull("seconds")) {
                    set(
                            "qdrant_backup_duration_seconds",
                            "duration of the last backup attempt",
                            c,
                            job.path("seconds").asDouble());
                }
            }
        } catch (Exception e) {
            LOG.warn("metrics: could not read the last run summary {}: {}", summary, e.getMessage());
        }
    }

    private static List<Manifest> newestPerCollection(List<Manifest> backups) {
        Map<String, Manifest> newest = new HashMap<>();
        for (Manifest b : backups) {
            newest.merge(b.collection(), b, (x, y) -> x.createdAt().isAfter(y.createdAt()) ? x : y);
        }
        return List.copyOf(newest.values());
    }

    private void keptGauges(String collection) {
        if (!keptGauges.add(collection)) {
            return;
        }
        gauge(
                "qdrant_backup_kept_backups",
                "backups held",
                collection,
                Tags.of("place", "local"),
                () -> localCounts().getOrDefault(collection, 0));
        if (offsite.enabled()) {
            gauge(
                    "qdrant_backup_kept_backups",
                    "backups held",
                    collection,
                    Tags.of("place", "offsite"),
                    () -> offsiteCounts.getOrDefault(collection, 0));
        }
    }

    /** Counted from the archive at most every 30 s: cheap, and right after a scheduled expiry too. */
    private Map<String, Integer> localCounts() {
        if (Instant.now().isAfter(localCounted.plus(LOCAL_COUNT_MAX_AGE))) {
            Map<String, Integer> counts = new HashMap<>();
            try {
                archive.listAll().forEach(b -> counts.merge(b.collection(), 1, Integer::sum));
                localCounts = counts;
            } catch (RuntimeException e) {
                LOG.warn("metrics: could not count the archive's backups: {}", e.getMessage());
            }
            localCounted = Instant.now();
        }
        return localCounts;
    }

    /** Offsite listings cost requests: counted at start (in the background) and after each run only. */
    private synchronized void refreshOffsiteCounts() {
        if (!offsite.enabled()) {
            return;
        }
        try {
            Map<String, Integer> counts = new HashMap<>();
            List<Manifest> all = offsite.listAll();
            all.forEach(m -> counts.merge(m.collection(), 1, Integer::sum));
            newestPerCollection(all).forEach(m -> lastSuccess(m.collection(), m, "offsite"));
            offsiteCounts = counts;
            counts.keySet().forEach(this::keptGauges);
        } catch (RuntimeException e) {
            LOG.warn("metrics: could not count the backups at {}: {}", offsite.describe(), e.getMessage());
            // nothing known offsite yet: 0 (the epoch), so the missing-backup alert fires during the outage
            for (String c : archive.collections()) {
                if (!values.containsKey(key("qdrant_backup_last_success_timestamp_seconds|offsite", c))) {
                    lastSuccess(c, 0, "offsite");
                }
            }
        }
    }

    private void set(String name, String description, String collection, double value) {
        values.computeIfAbsent(key(name, collection), k -> {
                    Value v = new Value();
                    Gauge.builder(name, v, Value::get)
                            .description(description)
                            .tags(collection == null ? Tags.empty() : Tags.of("collection", collection))
                            .register(registry);
                    return v;
                })
                .value = value;
    }

    private void gauge(String name, String description, String collection, Tags tags, Supplier<Number> f) {
        Gauge.builder(name, f)
                .description(description)
                .tag("collection", collection)
                .tags(tags)
                .register(registry);
    }

    private static String key(String name, String collection) {
        return name + "|" + collection;
    }

    /** A gauge's current value (gauges hold their state weakly; this map holds it strongly). */
    private static final class Value {
        volatile double value;

        double get() {
            return value;
        }
    }
}
