package qdrantbackup.retention;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qdrantbackup.backup.BackupJob;
import qdrantbackup.backup.BackupRun;
import qdrantbackup.store.BackupStore;

/**
 * Expiry for the local archive and the offsite target, each with its own policy; called by name
 * from routes/retention.camel.yaml. After a backup run a place is expired only for the collections
 * whose backup reached that place in this run: a failed backup never costs an old one.
 */
public final class Retention {
    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

    private final BackupStore local;
    private final RetentionPolicy localPolicy;
    private final BackupStore offsite;
    private final RetentionPolicy offsitePolicy;
    private volatile java.time.Duration clockTolerance;
    private volatile java.time.Clock clock = java.time.Clock.systemUTC();
    private volatile Housekeeping housekeeping;

    private final List<java.util.function.BiConsumer<String, String>> failureListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    /** {@code offsite} is null when offsite copies are off. */
    public Retention(
            BackupStore local, RetentionPolicy localPolicy, BackupStore offsite, RetentionPolicy offsitePolicy) {
        this.local = local;
        this.localPolicy = localPolicy;
        this.offsite = offsite;
        this.offsitePolicy = offsitePolicy;
    }

    /** A newest backup further than {@code tolerance} in the future stops expiry of its collection (a wrong clock). */
    public Retention clockTolerance(java.time.Duration tolerance, java.time.Clock now) {
        this.clockTolerance = tolerance;
        this.clock = now;
        return this;
    }

    private java.time.Instant future() {
        return clockTolerance == null ? null : clock.instant().plus(clockTolerance);
    }

    /** Told (collection or null, why) of each expiry failure: the failure webhook. */
    public void onFailure(java.util.function.BiConsumer<String, String> listener) {
        failureListeners.add(listener);
    }

    public RetentionPolicy localPolicy() {
        return localPolicy;
    }

    public RetentionPolicy offsitePolicy() {
        return offsitePolicy;
    }

    /** The places with their policies: local first, then offsite when on. */
    public List<BackupStore> places() {
        return offsite == null ? List.of(local) : List.of(local, offsite);
    }

    public RetentionPolicy policyOf(BackupStore place) {
        return place == local ? localPolicy : offsitePolicy;
    }

    /** Limits for run summaries, inbox/done/ and pre-restore/, applied after each run and each expiry. */
    public Retention housekeeping(Housekeeping housekeeping) {
        this.housekeeping = housekeeping;
        return this;
    }

    /** Expires, per place, the collections whose backup reached that place in this run. */
    public BackupRun afterBackup(BackupRun run) {
        if (run == null) {
            return null;
        }
        try {
            return expireAfter(run);
        } finally {
            housekeep();
        }
    }

    private void housekeep() {
        if (housekeeping != null) {
            housekeeping.run();
        }
    }

    private BackupRun expireAfter(BackupRun run) {
        Set<String> archived = collections(run, BackupJob.Result.OK, BackupJob.Result.LOCAL_ONLY);
        Set<String> shipped = collections(run, BackupJob.Result.OK);
        safely(() -> reportErrors(Expire.run(local, localPolicy, archived, false, future())));
        if (offsite != null && run.isOffsite()) {
            safely(() -> reportErrors(Expire.run(offsite, offsitePolicy, shipped, false, future())));
        }
        return run;
    }

    /** Expires every collection in every place (the retention schedule, or {@code expire} by hand). */
    public List<Expire.Outcome> expireAll(Boolean dryRun) {
        List<Expire.Outcome> outcomes = new ArrayList<>();
        try {
            for (BackupStore place : places()) {
                outcomes.addAll(Expire.run(place, policyOf(place), null, Boolean.TRUE.equals(dryRun), future()));
            }
        } catch (RuntimeException e) {
            failed(null, e.getMessage());
            throw e;
        } finally {
            if (!Boolean.TRUE.equals(dryRun)) {
                housekeep();
            }
        }
        return reportErrors(outcomes);
    }

    private static Set<String> collections(BackupRun run, BackupJob.Result... results) {
        Set<BackupJob.Result> wanted = Set.of(results);
        return run.getJobs().stream()
                .filter(j -> wanted.contains(j.getResult()))
                .map(BackupJob::getCollection)
                .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
    }

    private void safely(Runnable expiry) {
        try {
            expiry.run();
        } catch (RuntimeException e) {
            LOG.error("expiry failed, nothing more was deleted: {}", e.getMessage());
            failed(null, e.getMessage());
        }
    }

    private List<Expire.Outcome> reportErrors(List<Expire.Outcome> outcomes) {
        for (Expire.Outcome o : outcomes) {
            if (!o.errors().isEmpty()) {
                failed(
                        o.collection(),
                        o.place() + ": could not delete expired backup(s) " + String.join(", ", o.errors())
                                + " (the cause is in the log)");
            }
        }
        return outcomes;
    }

    private void failed(String collection, String why) {
        for (var listener : failureListeners) {
            try {
                listener.accept(collection, why);
            } catch (RuntimeException e) {
                LOG.warn("after-failure hook failed: {}", e.getMessage());
            }
        }
    }
}
