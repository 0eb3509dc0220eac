package qdrantbackup.backup;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qdrantbackup.qdrant.QdrantClient;
import qdrantbackup.qdrant.SnapshotInfo;
import qdrantbackup.store.BackupStore;
import qdrantbackup.store.FollowingPut;
import qdrantbackup.store.Manifest;
import qdrantbackup.store.Names;
import qdrantbackup.store.local.LocalStore;
import qdrantbackup.transfer.CrashPoint;

/**
 * The steps of a backup run, called by name from routes/backup.camel.yaml. Each step takes the
 * job (or run) it works on and returns it, so the route reads as the list of steps.
 */
public final class Backup {
    private static final Logger LOG = LoggerFactory.getLogger(Backup.class);

    private final QdrantClient qdrant;
    private final LocalStore archive;
    private final CollectionSnapshot step;
    private final BackupStore offsite;
    private final BackupOptions options;
    private final RunLog runLog;
    private final AtomicReference<BackupRun> current = new AtomicReference<>();
    private final List<Consumer<BackupRun>> listeners = new ArrayList<>();
    private final Object handoff = new Object();
    private boolean scheduledWaiting; // guarded by handoff
    private final java.util.concurrent.atomic.AtomicLong skipped = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong delayed = new java.util.concurrent.atomic.AtomicLong();
    private volatile Consumer<BackupRun> relauncher;
    private volatile java.util.function.BooleanSupplier stopping = () -> false;
    private volatile java.util.function.Function<List<Manifest>, java.util.Set<String>> offsiteKeeps;

    public Backup(
            QdrantClient qdrant,
            LocalStore archive,
            CollectionSnapshot step,
            BackupStore offsite,
            BackupOptions options,
            RunLog runLog) {
        this.qdrant = qdrant;
        this.archive = archive;
        this.step = step;
        this.offsite = offsite;
        this.options = options;
        this.runLog = runLog;
    }

    /** Called with every finished run (metrics, notifications). */
    public void onFinish(Consumer<BackupRun> listener) {
        listeners.add(listener);
    }

    /**
     * The ids the bucket's retention policy keeps of a collection's backups: catch-up uploads only those,
     * so a stricter bucket policy does not re-upload every night what its expiry deletes again.
     */
    public Backup offsiteKeeps(java.util.function.Function<List<Manifest>, java.util.Set<String>> keeps) {
        this.offsiteKeeps = keeps;
        return this;
    }

    /** The run in progress, if any. */
    public BackupRun current() {
        return current.get();
    }

    /** Called with a delayed scheduled run once the run it waited for ended: it sends it on its way. */
    public void relaunchWith(Consumer<BackupRun> launcher, java.util.function.BooleanSupplier stopping) {
        this.relauncher = launcher;
        this.stopping = stopping; // while the application stops, no run starts (it would be cut off)
    }

    /** Scheduled fires folded into one already waiting, and on-demand triggers refused while a run went. */
    public long skippedRuns() {
        return skipped.get();
    }

    /** Scheduled fires that found a run going and ran once it ended. */
    public long delayedRuns() {
        return delayed.get();
    }

    /**
     * Claims the next run for an on-demand trigger, or returns null when a run is going or a delayed scheduled
     * run waits (it goes first: on-demand runs can never starve the schedule). The caller passes the claimed run
     * to {@link #start(String, Object)}.
     */
    public BackupRun claim(String trigger) {
        synchronized (handoff) {
            if (scheduledWaiting) {
                return null;
            }
            BackupRun run = new BackupRun(trigger);
            return current.compareAndSet(null, run) ? run : null;
        }
    }

    /** Whether a scheduled run waits for the current one to end. */
    public boolean scheduledWaiting() {
        return scheduledWaiting;
    }

    public BackupRun start(String trigger) {
        return start(trigger, null);
    }

    /**
     * Begins a run (or goes on with one {@code claimed} before), or returns null (and logs why) when one is
     * still going: runs never overlap. A scheduled fire then waits and runs when the current run ends; more
     * fires meanwhile fold into that one.
     */
    public BackupRun start(String trigger, Object claimed) {
        BackupRun run;
        synchronized (handoff) {
            if (stopping.getAsBoolean() && !(claimed instanceof BackupRun c && current.get() == c)) {
                LOG.info("backup run ({}) not started: the application is stopping", trigger);
                return null;
            }
            if (claimed instanceof BackupRun c && current.get() == c) {
                run = c;
            } else {
                run = new BackupRun(trigger == null ? "schedule" : trigger);
                if (!current.compareAndSet(null, run)) {
                    refused(run);
                    return null;
                }
            }
        }
        run.offsite(offsite.enabled());
        LOG.info("backup run started ({}), offsite: {}", run.getTrigger(), offsite.describe());
        if (!offsite.enabled()) {
            LOG.warn("offsite is off (no offsite.bucket set): backups are kept on this machine only");
        } else {
            // A tiny probe first: a refusal then reads as what it is, not as a pipe broken mid-upload.
            try {
                offsite.checkWritable();
            } catch (RuntimeException e) {
                run.offsiteRefused(e.getMessage());
                LOG.error(
                        "{} cannot be written, this run keeps its backups local (the next run uploads them): {}",
                        offsite.describe(),
                        e.getMessage());
            }
        }
        return run;
    }

    private void refused(BackupRun run) {
        BackupRun going = current.get();
        if ("schedule".equals(run.getTrigger()) && relauncher != null) {
            if (scheduledWaiting) {
                skipped.incrementAndGet();
                LOG.warn("scheduled backup fire folded into the scheduled run already waiting for the current one");
            } else {
                scheduledWaiting = true;
                delayed.incrementAndGet();
                LOG.warn(
                        "scheduled backup run delayed: the run started at {} ({}) is still going; it runs when that ends",
                        going.getStarted(),
                        going.getTrigger());
            }
            return;
        }
        skipped.incrementAndGet();
        LOG.warn("backup run ({}) skipped: the run started at {} is still going", run.getTrigger(), going.getStarted());
    }

    /** Lists the collections to back up: include/exclude patterns, or the one asked for. */
    public BackupRun plan(BackupRun run, String only) {
        List<String> names = qdrant.collections();
        if (only != null && !only.isBlank()) {
            if (!names.contains(only)) {
                throw new IllegalArgumentException("collection " + only + " does not exist on " + qdrant.url());
            }
            names = List.of(only);
        } else {
            names = names.stream().filter(options::selects).sorted().toList();
        }
        for (String name : names) {
            BackupJob job = BackupJob.collection(name);
            String problem = Names.collectionProblem(name);
            if (problem != null) {
                job.end(BackupJob.Result.FAILED, "collection name '" + name + "' is refused: " + problem);
            }
            run.getJobs().add(job);
        }
        if (options.fullStorage() && (only == null || only.isBlank())) {
            run.getJobs().add(BackupJob.fullStorage());
        }
        LOG.info(
                "backing up {} item(s): {}",
                run.getJobs().size(),
                run.getJobs().stream().map(BackupJob::getCollection).toList());
        return run;
    }

    /** Jobs still to do (a refused name has already ended). */
    public List<BackupJob> pending(BackupRun run) {
        return run.getJobs().stream()
                .filter(j -> j.getResult() == BackupJob.Result.RUNNING)
                .toList();
    }

    /** {@code POST /collections/{c}/snapshots?wait=true} (or {@code POST /snapshots}). */
    public BackupJob snapshot(BackupJob job) {
        job.start();
        LOG.info("{}: creating snapshot", job.getCollection());
        job.snapshot(step.createOrResume(job.isFull() ? null : job.getCollection()));
        CrashPoint.reached("backup.after-snapshot-created");
        LOG.info(
                "{}: snapshot {} ready on the server ({} bytes)",
                job.getCollection(),
                job.getSnapshot(),
                job.snapshotInfo().size());
        return job;
    }

    /** Streams the snapshot into the archive, verified, then writes its manifest. */
    public BackupJob download(BackupJob job) {
        SnapshotInfo snapshot = job.snapshotInfo();
        Path folder = archive.folder(job.getCollection());
        // recorded first: a crash mid-download leaves the next run a part file to resume
        step.journal()
                .downloading(
                        job.isFull() ? null : job.getCollection(),
                        job.taken(),
                        SnapshotDownloader.partOf(folder, snapshot.name()));
        // Offsite parts go up while the download arrives; the object is completed in ship(), after verification.
        CollectionSnapshot.Downloaded got = step.download(
                job.isFull() ? null : job.getCollection(),
                job.getCollection(),
                job.taken(),
                folder,
                snapshot.name(),
                offsite.enabled()
                        ? file -> offsite.follow(
                                job.getCollection(), file, archive.incoming(job.getCollection(), file.name()))
                        : null);
        job.upload(got.file().upload());
        CrashPoint.reached("backup.before-manifest");
        archive.put(got.manifest(), folder);
        job.archived(got.manifest());
        LOG.info(
                "{}: archived {} ({} bytes, sha256 {})",
                job.getCollection(),
                got.file().file(),
                got.file().size(),
                got.file().sha256());
        return job;
    }

    /** Uploads snapshot and manifest offsite. A refusal keeps the archive and marks the job local-only. */
    public BackupJob ship(BackupJob job, BackupRun run) {
        if (!offsite.enabled()) {
            job.end(BackupJob.Result.OK, null);
            return job;
        }
        FollowingPut early = job.takeUpload();
        if (run.offsiteRefusal() != null) {
            if (early != null) {
                early.abort();
            }
            job.end(BackupJob.Result.LOCAL_ONLY, run.offsiteRefusal());
            return job;
        }
        if (early != null) {
            try {
                early.complete(job.archived().sha256());
            } catch (RuntimeException e) {
                LOG.warn(
                        "{}: the upload sent during the download could not be completed ({}); uploading the"
                                + " archived file",
                        job.getCollection(),
                        e.getMessage());
            }
        }
        try {
            offsite.put(job.archived(), archive.folder(job.getCollection()));
            job.end(BackupJob.Result.OK, null);
        } catch (RuntimeException e) {
            LOG.error(
                    "{}: upload to {} failed, the archived copy is kept and the next run uploads it: {}",
                    job.getCollection(),
                    offsite.describe(),
                    e.getMessage());
            job.end(BackupJob.Result.LOCAL_ONLY, e.getMessage());
        }
        return job;
    }

    /** Deletes the snapshot from Qdrant's disk (setting backup.delete-from-server). */
    public BackupJob cleanServer(BackupJob job) {
        // a cluster set deletes its shard snapshots itself, each once downloaded
        boolean set = job.archived() != null && job.archived().cluster() != null;
        if (options.deleteFromServer() && job.snapshotInfo() != null && !set) {
            step.deleteFromServer(job.isFull() ? null : job.getCollection(), job.getSnapshot());
        }
        return job;
    }

    /** A step failed: the job fails with the reason; the other collections go on. */
    public BackupJob failed(BackupJob job, Exception e) {
        FollowingPut early = job.takeUpload();
        if (early != null) {
            early.abort();
        }
        job.end(BackupJob.Result.FAILED, e.getMessage());
        LOG.error("{}: backup failed: {}", job.getCollection(), e.getMessage());
        cleanServer(job);
        return job;
    }

    /** Uploads every archived backup the offsite target lacks and its policy keeps: a missed night heals itself. */
    public BackupRun catchUpOffsite(BackupRun run) {
        if (offsite.enabled() && run.offsiteRefusal() == null) {
            new OffsiteCatchUp(archive, offsite, offsiteKeeps).run();
        }
        return run;
    }

    /** The run could not even start its jobs (e.g. Qdrant unreachable when listing collections). */
    public BackupRun runFailed(BackupRun run, Exception e) {
        run.fail(e.getMessage());
        LOG.error("backup run failed: {}", e.getMessage());
        return run;
    }

    /** Ends the run: logs one line per collection, writes the summary, lets the next run start. */
    public BackupRun finish(BackupRun run) {
        if (run == null) {
            return null;
        }
        run.finish();
        step.journal().releaseKept();
        run.getJobs().forEach(j -> LOG.info("  {}", j.line()));
        LOG.info(
                "backup run {} in {}s: {} ok, {} failed",
                run.isOk() ? "succeeded" : "FAILED",
                run.getSeconds(),
                run.getJobs().stream()
                        .filter(j -> j.getResult() == BackupJob.Result.OK)
                        .count(),
                run.getJobs().stream()
                        .filter(j -> j.getResult() != BackupJob.Result.OK)
                        .count());
        runLog.write(run);
        BackupRun next = null;
        synchronized (handoff) {
            if (scheduledWaiting && current.get() == run && !stopping.getAsBoolean()) {
                // handed over directly: no on-demand trigger can slip in before the waiting scheduled run
                scheduledWaiting = false;
                next = new BackupRun("schedule");
                current.set(next);
            } else {
                current.compareAndSet(run, null);
            }
        }
        listeners.forEach(l -> {
            try {
                l.accept(run);
            } catch (RuntimeException e) {
                LOG.warn("after-run hook failed: {}", e.getMessage());
            }
        });
        if (next != null) {
            LOG.info("starting the delayed scheduled backup run");
            relauncher.accept(next);
        }
        return run;
    }

    /** Gives up a claimed run that never started (its request could not be sent). */
    public void release(BackupRun claimed) {
        synchronized (handoff) {
            current.compareAndSet(claimed, null);
        }
    }
}
