package qdrantbackup.drill;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qdrantbackup.cluster.ClusterNodes;
import qdrantbackup.qdrant.QdrantClient;
import qdrantbackup.restore.GreenWait;
import qdrantbackup.restore.SetInto;
import qdrantbackup.store.BackupStore;
import qdrantbackup.store.Manifest;
import qdrantbackup.store.local.LocalStore;
import qdrantbackup.transfer.CrashPoint;
import qdrantbackup.transfer.SafeFiles;

/**
 * A restore drill: each collection's newest backup (the archive's, else the bucket's) restored into a scratch
 * collection on the drill's Qdrant (a cluster set shard by shard, {@link SetInto}), checked ({@link DrillChecks})
 * and deleted again, also when it fails. Never an alias, never the original collection: scratch names carry
 * {@link #PREFIX} and must not exist beforehand.
 */
public final class Drill {
    private static final Logger LOG = LoggerFactory.getLogger(Drill.class);
    /** Reserved for scratch collections; a drill refuses a name that already exists. */
    public static final String PREFIX = "qdrant-backup-drill-";

    private static final Duration POLL = Duration.ofSeconds(1);
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final QdrantClient qdrant;
    private final LocalStore archive;
    private final BackupStore offsite;
    private final GreenWait green;
    private final DrillChecks checks;
    private final DrillJournal journal;
    private final Path reports;
    private final Clock clock;
    private final List<Consumer<DrillReport>> listeners = new ArrayList<>();
    private volatile SetInto sets;

    public Drill(
            QdrantClient qdrant,
            LocalStore archive,
            BackupStore offsite,
            GreenWait green,
            double minRecall,
            Path stateDir,
            Clock clock) {
        this.qdrant = qdrant;
        this.archive = archive;
        this.offsite = offsite;
        this.green = green;
        this.checks = new DrillChecks(qdrant, minRecall);
        this.journal = new DrillJournal(stateDir);
        this.reports = stateDir.resolve("drills");
        this.clock = clock;
        this.sets = new SetInto(qdrant, new ClusterNodes(qdrant, null, null), Duration.ofMinutes(10), POLL);
    }

    /** How a cluster set is put into the scratch collection (the drill's Qdrant and its nodes, the timeouts). */
    public Drill drillSetsWith(SetInto sets) {
        this.sets = sets;
        return this;
    }

    /** Called with each finished drill's report (metrics, webhook). */
    public void onFinish(Consumer<DrillReport> listener) {
        listeners.add(listener);
    }

    /** Drills every collection that has a backup (or only {@code collection}); one report each. */
    public synchronized List<DrillReport> run(String collection) {
        recoverInterrupted();
        TreeSet<String> names = new TreeSet<>();
        if (collection != null && !collection.isBlank()) {
            names.add(collection);
        } else {
            names.addAll(archive.collections());
            if (offsite.enabled()) {
                try {
                    names.addAll(offsite.collections());
                } catch (RuntimeException e) {
                    LOG.warn(
                            "drill: the bucket's collections could not be listed ({}): drilling the archive's",
                            e.getMessage());
                }
            }
        }
        List<DrillReport> out = new ArrayList<>();
        names.forEach(n -> out.add(drill(n)));
        return out;
    }

    /** Deletes the scratch collection a killed drill left (its record in state/). */
    public synchronized void recoverInterrupted() {
        String left = journal.leftover();
        if (left == null) {
            return;
        }
        if (!left.startsWith(PREFIX)) {
            LOG.error(
                    "drill: the record {} names {}, not a scratch collection: left alone, record removed",
                    DrillJournal.FILE,
                    left);
        } else {
            LOG.warn("drill: a drill was interrupted (the process ended): deleting its scratch collection {}", left);
            qdrant.deleteCollection(left);
        }
        journal.clear();
    }

    DrillReport drill(String collection) {
        Instant t0 = clock.instant();
        DrillReport r = new DrillReport(collection, t0.toString());
        r.qdrant = qdrant.url();
        Path fetched = null;
        String scratch = null;
        try {
            Manifest m = newest(archive.list(collection));
            Path file;
            if (m != null) {
                r.source = "archive";
                // hashed while it is uploaded (below): one read of the file, as a restore does
                file = archive.firstFile(m);
            } else {
                m = offsite.enabled() ? newest(offsite.list(collection)) : null;
                if (m == null) {
                    throw new IllegalStateException("collection " + collection + " has no backup in the archive nor"
                            + " offsite (" + offsite.describe() + ")");
                }
                r.source = "offsite";
                fetched = reports.resolve("tmp-" + STAMP.format(t0));
                offsite.fetch(m, fetched); // verified against the manifest's SHA-256
                file = fetched.resolve(m.dataFiles().get(0).name());
            }
            r.snapshot = m.snapshot();
            r.backupCreated = m.created();
            scratch = scratchName(collection, t0);
            r.scratch = scratch;
            if (qdrant.collectionInfo(scratch).isPresent() || qdrant.aliases().containsKey(scratch)) {
                String taken = scratch;
                scratch = null; // not ours: never deleted
                throw new IllegalStateException("the scratch name " + taken + " exists already on " + qdrant.url()
                        + "; names starting with " + PREFIX + " are reserved for drills: rename that collection");
            }
            journal.started(collection, scratch);
            CrashPoint.reached("drill-before-upload");
            String uploadName = null;
            if (m.cluster() != null) {
                // a set: created with its layout, every shard recovered (checksum), every replica Active
                r.check("shards", DrillReport.Result.OK, sets.restore(scratch, m, file));
            } else {
                uploadName = upload(scratch, file, m, t0);
            }
            CrashPoint.reached("drill-uploaded");
            r.check("health", DrillReport.Result.OK, green.waitUntilGreen(scratch));
            checks.run(m, scratch, r);
            if (uploadName != null) {
                deleteQuietly(scratch, uploadName);
            }
        } catch (RuntimeException e) {
            r.reason = e.getMessage();
            r.check("restore", DrillReport.Result.FAILED, e.getMessage());
        } finally {
            if (scratch != null) {
                try {
                    qdrant.deleteCollection(scratch);
                    journal.clear();
                } catch (RuntimeException e) {
                    LOG.error(
                            "drill of {}: the scratch collection {} could not be deleted ({}); the next drill or"
                                    + " start deletes it",
                            collection,
                            scratch,
                            e.getMessage());
                }
            }
            if (fetched != null) {
                deleteFolder(fetched);
            }
        }
        return finish(r, t0);
    }

    /** Uploads a single-node backup into the scratch collection; the name of the copy Qdrant keeps of it. */
    private String upload(String scratch, Path file, Manifest m, Instant t0) {
        String uploadName = "drill-" + STAMP.format(t0) + ".snapshot";
        // Qdrant refuses a file whose SHA-256 is not the manifest's (checksum); the hash of what was sent
        // is checked too, for a server that would not
        String sent = qdrant.uploadSnapshot(scratch, file, uploadName, m.sha256(), (done, total) -> {});
        if (sent != null && !sent.equalsIgnoreCase(m.sha256())) {
            throw new IllegalStateException("the file " + file + " has SHA-256 " + sent + ", its manifest says "
                    + m.sha256() + ": the copy drilled is damaged");
        }
        return uploadName;
    }

    private DrillReport finish(DrillReport r, Instant t0) {
        Instant t1 = clock.instant();
        r.finished = t1.toString();
        r.durationSeconds = Duration.between(t0, t1).toMillis() / 1000.0;
        String failure = r.reason != null ? r.reason : r.firstFailure();
        r.ok = failure == null;
        r.reason = failure;
        SafeFiles.createPrivateDirectories(reports);
        Path file = reports.resolve(r.collection.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + STAMP.format(t0) + ".json");
        SafeFiles.writeJson(file, r);
        if (r.ok) {
            LOG.info(
                    "drill of {} passed: {} restored into {} and checked ({}; recall {}), report {}",
                    r.collection,
                    r.snapshot,
                    r.scratch,
                    summary(r),
                    r.recall,
                    file);
        } else {
            LOG.error("drill of {} FAILED: {} (report {})", r.collection, failure, file);
        }
        listeners.forEach(l -> l.accept(r));
        return r;
    }

    private static String summary(DrillReport r) {
        return String.join(
                ", ", r.checks.stream().map(c -> c.name() + " " + c.result()).toList());
    }

    private void deleteQuietly(String scratch, String uploadName) {
        try {
            qdrant.deleteSnapshot(scratch, uploadName); // the copy Qdrant keeps of the upload
        } catch (RuntimeException e) {
            LOG.debug("drill: the upload copy {} of {} was not deleted: {}", uploadName, scratch, e.getMessage());
        }
    }

    /** A name no user collection has: the reserved prefix, the collection, this moment. */
    static String scratchName(String collection, Instant when) {
        String base = collection.replaceAll("[^A-Za-z0-9._-]", "_");
        if (base.length() > 180) {
            base = base.substring(0, 180);
        }
        return PREFIX + base + "-" + STAMP.format(when);
    }

    private static Manifest newest(List<Manifest> backups) {
        return backups.stream()
                .filter(m -> Manifest.COLLECTION.equals(m.kind()))
                .max(Comparator.comparing(Manifest::createdAt))
                .orElse(null);
    }

    private static void deleteFolder(Path dir) {
        try (var files = java.nio.file.Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(SafeFiles::deleteQuietly);
        } catch (java.io.IOException e) {
            LOG.warn("drill: could not remove {}: {}", dir, e.getMessage());
        }
    }
}
