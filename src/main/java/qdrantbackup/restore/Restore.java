package qdrantbackup.restore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qdrantbackup.backup.CollectionSnapshot;
import qdrantbackup.qdrant.QdrantClient;
import qdrantbackup.qdrant.QdrantException;
import qdrantbackup.store.BackupStore;
import qdrantbackup.store.Manifest;
import qdrantbackup.store.local.LocalStore;
import qdrantbackup.transfer.CrashPoint;

/**
 * The steps of one restore, called by name from routes/restore.camel.yaml. Each takes the {@link RestoreReport}
 * and returns it. Nothing in Qdrant changes before the input is verified and a safety copy of the existing
 * target is in the archive (taken with backup's own snapshot-and-download step); a failure after that puts it
 * back.
 */
public final class Restore {
    private static final Logger LOG = LoggerFactory.getLogger(Restore.class);

    private final QdrantClient qdrant;
    private final LocalStore archive;
    private final CollectionSnapshot snapshots;
    private final RestoreInput input;
    private final SnapshotSender sender;
    private final GreenWait health;
    private final Inbox inbox;
    private final RestoreJournal journal;
    private final RestoreRecovery recovery;
    private int attempts;
    private boolean blocked;
    private SetSteps sets;
    private final List<Consumer<RestoreReport>> listeners = new CopyOnWriteArrayList<>();

    public Restore(
            QdrantClient qdrant,
            LocalStore archive,
            CollectionSnapshot snapshots,
            BackupStore offsite,
            GreenWait health,
            Inbox inbox,
            Path stateDir) {
        this.qdrant = qdrant;
        this.archive = archive;
        this.snapshots = snapshots;
        this.input = new RestoreInput(archive, offsite);
        this.sender = new SnapshotSender(qdrant, snapshots.journal());
        this.health = health;
        this.inbox = inbox;
        this.journal = new RestoreJournal(stateDir);
        this.recovery = new RestoreRecovery(this, journal, qdrant);
    }

    /** Cluster sets: restored shard by shard; a cluster collection's safety copy is a set ({@link ClusterRestore}). */
    public Restore clusters(
            qdrantbackup.cluster.ClusterNodes finder,
            qdrantbackup.backup.ClusterSetBackup backup,
            java.time.Duration timeout,
            java.time.Duration poll) {
        this.sets = new SetSteps(
                qdrant, archive, health, sender, journal, new ClusterRestore(qdrant, finder, timeout, poll), backup);
        return this;
    }

    /**
     * Finishes or rolls back the restore a crashed process left (its journal in state/); called at start, before
     * the inbox is polled, and again before each drop. False while that restore cannot be finished yet.
     */
    public boolean recoverInterrupted() {
        return recovery.run();
    }

    /** Called with every finished restore (metrics: last result and duration). */
    public void onFinish(Consumer<RestoreReport> listener) {
        listeners.add(listener);
    }

    /** A file was picked up from the inbox. */
    public RestoreReport begin(String path) {
        boolean recovered = recoverInterrupted();
        RestoreReport report = new RestoreReport(Path.of(path));
        if (!Files.exists(report.dropped())) {
            report.markFiled(); // the recovery of an interrupted restore filed it
            return report;
        }
        attempts = recovery.attemptsOf(report.dropped());
        blocked = !recovered;
        LOG.info("restore: picked up {}", report.getFile());
        return report;
    }

    /** Reads the drop: a request, or a snapshot with or without its manifest; settles the target. */
    public RestoreReport read(RestoreReport r) {
        if (blocked) {
            throw new RestoreRefused("an interrupted restore is not finished yet (see the error above; its record is "
                    + journal.file() + "): this drop was not tried; drop it again once Qdrant answers");
        }
        input.read(r);
        String behind = qdrant.aliases().get(r.getTarget());
        if (behind != null) {
            throw new RestoreRefused("the target " + r.getTarget() + " is an alias of collection " + behind
                    + ", not a collection: restoring into it would make a collection that the alias hides; name"
                    + " the collection (\"target\": \"" + behind + "\") or a new name");
        }
        return r;
    }

    /** For a request: finds the snapshot in the archive, or downloads it from offsite into the archive. */
    public RestoreReport locate(RestoreReport r) {
        return input.locate(r);
    }

    /** The file is a whole snapshot tar and, with a manifest, exactly the bytes the backup recorded. */
    public RestoreReport verify(RestoreReport r) {
        return isSet(r.manifest()) ? SetSteps.verify(r) : input.verify(r);
    }

    /** When the target exists: snapshot it and archive the copy under archive/{target}/pre-restore/. */
    public RestoreReport safetyCopy(RestoreReport r) {
        journal.record(r, RestoreJournal.Step.VERIFIED, attempts);
        String target = r.getTarget();
        if (qdrant.collectionInfo(target).isEmpty()) {
            r.check("safety copy", true, "not needed: collection " + target + " does not exist yet");
            r.step("safety copy");
            journal.record(r, RestoreJournal.Step.SAFETY_COPY, attempts);
            return r;
        }
        if (isSet(r.manifest())) {
            SetSteps.requireReplace(r);
        }
        LOG.info("restore: saving the current {} before replacing it", target);
        if (sets != null && sets.clustered()) {
            return sets.safetyCopy(r, attempts);
        }
        CollectionSnapshot.Taken snapshot = snapshots.create(target);
        try {
            Path dir = archive.preRestoreFolder(target);
            String local = Drop.freeName(dir, snapshot.name());
            CollectionSnapshot.Downloaded copy = snapshots.download(target, target, snapshot, dir, local, null);
            LocalStore.writeManifest(copy.manifest(), dir);
            r.safetyCopy(copy.file().file(), copy.manifest());
            r.check(
                    "safety copy",
                    true,
                    copy.file().file() + " (" + copy.manifest().pointCount() + " points)");
        } finally {
            sender.deleteQuietly(target, snapshot.name());
        }
        r.step("safety copy");
        journal.record(r, RestoreJournal.Step.SAFETY_COPY, attempts);
        CrashPoint.reached("restore.after-safety-copy");
        return r;
    }

    /** Uploads the snapshot (streamed; Qdrant checks the SHA-256); with replace, drops an incompatible target first. */
    public RestoreReport upload(RestoreReport r) {
        if (isSet(r.manifest())) {
            return sets().upload(r, attempts);
        }
        String target = r.getTarget();
        String name = SnapshotSender.uploadName("restore", r.getSnapshot());
        r.uploading(name);
        journal.record(r, RestoreJournal.Step.UPLOADING, attempts);
        try {
            sent(r, sender.send(target, r.sourceFile(), name, r.getSha256()));
        } catch (QdrantException e) {
            if (SnapshotSender.checksumMismatch(e)) {
                // Qdrant compares before it recovers: the collection was not touched, its safety copy not needed
                r.untouched();
                discardSafetyCopy(r);
                throw RestoreInput.mismatch(r.sourceFile(), "Qdrant refused it: " + e.getMessage());
            }
            if (e.status() == 401 || e.status() == 403) {
                // refused before Qdrant took anything: there is nothing to roll back
                r.untouched();
                throw new IllegalStateException(e.getMessage() + "; nothing in Qdrant was changed: set qdrant.api-key"
                        + " (QDRANT_API_KEY) to the manage key");
            }
            if (!SnapshotSender.notCompatible(e)) {
                throw e;
            }
            if (!r.isReplace()) {
                throw new RestoreRefused("Qdrant refuses this snapshot over the existing collection " + target
                        + " (its vectors config or shard number differ; " + e.getMessage() + "); the collection is"
                        + " unchanged. To replace it, drop a .restore.json with \"replace\": true (the current collection"
                        + " is saved first), or restore into a new name with \"target\"");
            }
            LOG.warn(
                    "restore: {} has another vectors config or shard number; replace is set, deleting it"
                            + " (its safety copy is {})",
                    target,
                    r.getSafetyCopy());
            // with a manifest Qdrant checked the checksum before it compared the config: the file is the backup
            journal.record(r, RestoreJournal.Step.REPLACING, attempts);
            qdrant.deleteCollection(target);
            CrashPoint.reached("restore.after-target-deleted");
            r.check("replace", true, "the existing collection was deleted first (incompatible config)");
            sent(r, sender.send(target, r.sourceFile(), name, r.getSha256()));
        }
        r.step("upload");
        journal.record(r, RestoreJournal.Step.UPLOADED, attempts);
        return r;
    }

    /** Green and optimizer ok, the exact point count of the manifest, the manifest's aliases back. */
    public RestoreReport check(RestoreReport r) {
        String target = r.getTarget();
        if (isSet(r.manifest()) && sets != null) {
            r.check("replicas", true, sets.waitActive(target, r.manifest()));
        }
        r.check("status", true, health.waitUntilGreen(target));
        Manifest m = r.manifest();
        long points = qdrant.countPoints(target);
        if (m != null && m.pointCount() != null) {
            String problem = PointCheck.problem(points, m);
            if (problem != null) {
                r.check("points", false, problem);
                throw new IllegalStateException("the restored collection " + target + " has " + problem);
            }
            r.check("points", true, PointCheck.agreement(points, m));
        } else {
            r.check("points", true, points + " points (no manifest count to compare with)");
        }
        if (m != null && m.aliases() != null && !m.aliases().isEmpty()) {
            SnapshotSender.Aliases done = sender.restoreAliases(target, m.aliases(), r.forceAliases());
            r.aliases(done.recreated(), done.leftAlone());
            r.check("aliases", true, done.toString());
        }
        r.step("health check");
        cleanServer(r);
        return r;
    }

    /**
     * Deletes the uploaded copy Qdrant keeps in its snapshots folder (a failure is only a warning; while the target
     * is missing, e.g. deleted for a replace, it is tried again after the rollback, else the next run's sweep).
     */
    public RestoreReport cleanServer(RestoreReport r) {
        if (r.uploadNeedsCleanup() && sender.deleteQuietly(r.getTarget(), r.uploadName())) {
            r.uploadCleaned();
        }
        return r;
    }

    /** A step failed: refused input changes nothing; anything later puts the previous state back. */
    public RestoreReport failed(RestoreReport r, Exception e) {
        String why = e.getMessage() == null ? e.toString() : e.getMessage();
        if (e instanceof RestoreRefused || !r.touched()) {
            r.end(
                    e instanceof RestoreRefused ? RestoreReport.Outcome.REFUSED : RestoreReport.Outcome.FAILED,
                    why,
                    r.getTarget() == null ? null : "not needed: nothing in Qdrant was changed");
            LOG.error("restore of {} {}: {}", r.getFile(), e instanceof RestoreRefused ? "refused" : "failed", why);
            return r;
        }
        cleanServer(r);
        journal.record(r, RestoreJournal.Step.ROLLING_BACK, attempts);
        try {
            String how = rollback(r);
            cleanServer(r);
            r.end(RestoreReport.Outcome.FAILED, why, how);
            LOG.error("restore of {} into {} failed: {}; rolled back: {}", r.getFile(), r.getTarget(), why, how);
        } catch (RuntimeException rollbackError) {
            String fix = r.safetyFile() == null
                    ? "delete the half-restored collection " + r.getTarget() + " by hand"
                    : "the previous collection is saved at " + r.safetyFile() + " with its manifest: once Qdrant works"
                            + " again, copy both into the inbox to restore it";
            r.end(
                    RestoreReport.Outcome.ROLLBACK_FAILED,
                    why + "; putting the previous state back failed too (" + rollbackError.getMessage() + "): " + fix,
                    "failed: " + rollbackError.getMessage());
            LOG.error("restore of {} into {} failed: {}", r.getFile(), r.getTarget(), r.getReason());
        }
        return r;
    }

    /** Writes the report, moves the input to done/ or failed/, tells the listeners. */
    public RestoreReport finish(RestoreReport r) {
        cleanServer(r);
        r.finish();
        try {
            LOG.info("restore {}; report {}", r.line(), inbox.file(r));
        } catch (RuntimeException e) {
            // the drop stays in the inbox but is not picked up again until it changes
            LOG.error("restore {}, but its report could not be filed: {}", r.line(), e.getMessage());
        }
        for (Consumer<RestoreReport> l : listeners) {
            try {
                l.accept(r);
            } catch (RuntimeException e) {
                LOG.warn("after-restore hook failed: {}", e.getMessage());
            }
        }
        journal.clear();
        attempts = 0;
        return r;
    }

    // ---- helpers ----

    /** A refused file leaves things as they were: the safety copy taken for it goes (a failure is a warning). */
    private static void discardSafetyCopy(RestoreReport r) {
        Path copy = r.safetyFile();
        if (copy == null) {
            return;
        }
        try {
            Files.deleteIfExists(copy.resolveSibling(copy.getFileName() + ".json"));
            Files.deleteIfExists(copy);
            r.safetyCopy(null, null);
        } catch (java.io.IOException e) {
            LOG.warn(
                    "restore: could not delete the unneeded safety copy {} (delete it by hand): {}",
                    copy,
                    e.getMessage());
        }
    }

    /** The SHA-256 of the bytes uploaded: the manifest's (Qdrant checked it too), or the report's when none. */
    private static void sent(RestoreReport r, String sha) {
        Manifest m = r.manifest();
        if (m == null) {
            r.verified(r.getSize(), sha);
            r.check("sha256", true, "computed while uploading (no manifest to compare with)");
        } else if (sha != null && !sha.equalsIgnoreCase(m.sha256())) {
            // only a Qdrant that ignores the checksum parameter gets here: what it took is rolled back
            throw new IllegalStateException("the bytes uploaded from "
                    + r.sourceFile().getFileName() + " have SHA-256 "
                    + sha + ", the manifest says " + m.sha256() + " (the file changed or is damaged), and Qdrant took"
                    + " them; copy the file again");
        } else {
            r.check("sha256", true, "matches the manifest (Qdrant checked it on upload, and the bytes sent here)");
        }
    }

    private String rollback(RestoreReport r) {
        String target = r.getTarget();
        if (r.safetyFile() == null) {
            if (!isSet(r.manifest()) || qdrant.collectionInfo(target).isPresent()) {
                qdrant.deleteCollection(target);
            }
            return "collection " + target + " did not exist before; the half-restored one was deleted";
        }
        Manifest m = r.safetyManifest();
        if (m == null) {
            throw new IllegalStateException(
                    "the manifest of the safety copy " + r.safetyFile() + " is missing or damaged");
        }
        if (isSet(m)) {
            return sets().rollback(r, m);
        }
        if (isSet(r.manifest()) && qdrant.collectionInfo(target).isPresent()) {
            qdrant.deleteCollection(target); // re-created with the set's layout: the copy goes into a fresh one
        }
        String name = SnapshotSender.uploadName("rollback", m.snapshot());
        try {
            try {
                sender.send(target, r.safetyFile(), name, m.sha256());
            } catch (QdrantException e) {
                if (!SnapshotSender.notCompatible(e)) {
                    throw e;
                }
                qdrant.deleteCollection(target);
                sender.send(target, r.safetyFile(), name, m.sha256());
            }
            String status = health.waitUntilGreen(target);
            long points = qdrant.countPoints(target);
            String problem = PointCheck.problem(points, m);
            if (problem != null) {
                throw new IllegalStateException("after the rollback " + target + " has " + problem + " (safety copy)");
            }
            sender.restoreAliases(target, m.aliases() == null ? Map.of() : m.aliases(), r.forceAliases());
            return "put back from the safety copy " + r.safetyFile() + " and checked: " + status + ", " + points
                    + " points";
        } finally {
            sender.deleteQuietly(target, name);
        }
    }

    // ---- cluster sets ----

    private static boolean isSet(Manifest m) {
        return m != null && m.cluster() != null;
    }

    private SetSteps sets() {
        if (sets == null) {
            throw new IllegalStateException("cluster sets are not wired in this process");
        }
        return sets;
    }
}
