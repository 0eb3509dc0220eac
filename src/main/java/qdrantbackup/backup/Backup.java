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
import qdrantbackup.transfer.SafeFiles;

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

    /** The run in progress, if any. */
    public BackupRun current() {
        return current.get();
    }

    /** Begins a run, or returns null (and logs why) when one is still going: runs never overlap. */
    public BackupRun start(String trigger) {
        BackupRun run = new BackupRun(trigger == null ? "schedule" : trigger);
        if (!current.compareAndSet(null, run)) {
            LOG.warn(
                    "backup run ({}) skipped: the run started at {} is still going",
                    run.getTrigger(),
                    current.get().getStarted());
            return null;
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
        job.snapshot(step.create(job.isFull() ? null : job.getCollection()));
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
        if (options.deleteFromServer() && job.snapshotInfo() != null) {
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

    /** Uploads every archived backup the offsite target lacks, so a missed night heals itself. */
    public BackupRun catchUpOffsite(BackupRun run) {
        if (!offsite.enabled() || run.offsiteRefusal() != null) {
            return run;
        }
        int uploaded = 0;
        int failed = 0;
        for (Manifest backup : archive.listAll()) {
            try {
                if (!offsite.has(backup)) {
                    LOG.info("{}: {} is missing offsite, uploading it", backup.collection(), backup.snapshot());
                    offsite.put(backup, archive.folder(backup.collection()));
                    uploaded++;
                }
            } catch (RuntimeException e) {
                failed++;
                LOG.error(
                        "{}: catching up {} offsite failed: {}",
                        backup.collection(),
                        backup.snapshot(),
                        e.getMessage());
            }
        }
        if (uploaded + failed > 0) {
            LOG.info("offsite catch-up: {} uploaded, {} failed", uploaded, failed);
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
        current.compareAndSet(run, null);
        listeners.forEach(l -> {
            try {
                l.accept(run);
            } catch (RuntimeException e) {
                LOG.warn("after-run hook failed: {}", e.getMessage());
            }
        });
        return run;
    }

    /** Writes each run's summary as JSON into the state folder, and the newest as last-backup.json. */
    public static final class RunLog {
        private final Path folder;

        public RunLog(Path folder) {
            this.folder = folder;
        }

        void write(BackupRun run) {
            try {
                SafeFiles.createPrivateDirectories(folder.resolve("runs"));
                String name = "backup-" + run.getStarted().replace(':', '-') + ".json";
                Path file = folder.resolve("runs").resolve(name);
                SafeFiles.writeJson(file, run);
                SafeFiles.writeJson(folder.resolve("last-backup.json"), run);
                LOG.info("run summary written to {}", file);
            } catch (RuntimeException e) {
                LOG.warn("could not write the run summary into {}: {}", folder, e.getMessage());
            }
        }
    }
}
