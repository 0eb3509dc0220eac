package qdrantbackup.restore;

import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qdrantbackup.backup.ClusterSetBackup;
import qdrantbackup.qdrant.QdrantClient;
import qdrantbackup.store.Manifest;
import qdrantbackup.store.local.LocalStore;
import qdrantbackup.transfer.CrashPoint;

/**
 * The steps of {@link Restore} that differ for a cluster: the safety copy of a cluster collection is a set, a
 * set is restored by re-creating the collection with its layout, and a rollback from a safety set does the same.
 */
final class SetSteps {
    private static final Logger LOG = LoggerFactory.getLogger(SetSteps.class);

    private final QdrantClient qdrant;
    private final LocalStore archive;
    private final GreenWait health;
    private final SnapshotSender sender;
    private final RestoreJournal journal;
    private final ClusterRestore sets;
    private final ClusterSetBackup setBackup;

    SetSteps(
            QdrantClient qdrant,
            LocalStore archive,
            GreenWait health,
            SnapshotSender sender,
            RestoreJournal journal,
            ClusterRestore sets,
            ClusterSetBackup setBackup) {
        this.qdrant = qdrant;
        this.archive = archive;
        this.health = health;
        this.sender = sender;
        this.journal = journal;
        this.sets = sets;
        this.setBackup = setBackup;
    }

    /** Every file of the set is there, whole, of its recorded size (Qdrant checks each SHA-256 on upload). */
    static RestoreReport verify(RestoreReport r) {
        ClusterRestore.verify(r.manifest(), r.sourceFile());
        r.check("files", true, r.manifest().dataFiles().size() + " shard file(s), whole, sizes as in the manifest");
        r.verified(r.manifest().totalSize(), r.manifest().sha256());
        r.step("verify");
        return r;
    }

    boolean clustered() {
        return sets.clustered();
    }

    String waitActive(String target, Manifest m) {
        return sets.waitActive(target, m);
    }

    RestoreReport safetyCopy(RestoreReport r, int attempts) {
        String target = r.getTarget();
        Path dir = archive.preRestoreFolder(target);
        Manifest copy = setBackup.safetyCopy(target, dir);
        r.safetyCopy(dir.resolve(copy.snapshot()), copy);
        r.check(
                "safety copy",
                true,
                "a set of " + copy.dataFiles().size() + " shard file(s) in " + dir + " (" + copy.pointCount()
                        + " points)");
        r.step("safety copy");
        journal.record(r, RestoreJournal.Step.SAFETY_COPY, attempts);
        CrashPoint.reached("restore.after-safety-copy");
        return r;
    }

    /** Deletes an existing target (its safety copy is saved), re-creates it with the set's layout, every shard. */
    RestoreReport upload(RestoreReport r, int attempts) {
        String target = r.getTarget();
        r.touching();
        journal.record(r, RestoreJournal.Step.UPLOADING, attempts);
        if (qdrant.collectionInfo(target).isPresent()) {
            LOG.warn(
                    "restore: deleting {} to re-create it with the set's shard layout (its safety copy is {})",
                    target,
                    r.getSafetyCopy());
            qdrant.deleteCollection(target);
            r.check("replace", true, "the existing collection was deleted first (re-created with the set's layout)");
        }
        r.check(
                "shards",
                true,
                sets.restore(target, r.manifest(), r.sourceFile().getParent()));
        r.step("upload");
        journal.record(r, RestoreJournal.Step.UPLOADED, attempts);
        return r;
    }

    String rollback(RestoreReport r, Manifest m) {
        String target = r.getTarget();
        if (qdrant.collectionInfo(target).isPresent()) {
            qdrant.deleteCollection(target);
        }
        sets.restore(target, m, r.safetyFile().getParent());
        String replicas = sets.waitActive(target, m);
        String status = health.waitUntilGreen(target);
        long points = qdrant.countPoints(target);
        String problem = PointCheck.problem(points, m);
        if (problem != null) {
            throw new IllegalStateException("after the rollback " + target + " has " + problem + " (safety copy)");
        }
        sender.restoreAliases(target, m.aliases() == null ? Map.of() : m.aliases(), r.forceAliases());
        return "put back from the safety set " + r.safetyFile().getParent() + " and checked: " + replicas + ", "
                + status + ", " + points + " points";
    }

    /** An existing target is replaced by a set only when asked: the collection is re-created with the set's layout. */
    static void requireReplace(RestoreReport r) {
        if (!r.isReplace()) {
            throw new RestoreRefused("collection " + r.getTarget() + " exists; a cluster set is restored by re-creating"
                    + " the collection with the set's shard layout: nothing was changed; ask with \"replace\": true"
                    + " (the current collection is saved first), or restore into a new name with \"target\"");
        }
    }
}
