package qdrantbackup.restore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qdrantbackup.archive.Archive;
import qdrantbackup.archive.ArchivedBackup;
import qdrantbackup.archive.Manifest;
import qdrantbackup.archive.Names;
import qdrantbackup.backup.SnapshotDownloader;
import qdrantbackup.backup.Tool;
import qdrantbackup.qdrant.QdrantClient;
import qdrantbackup.qdrant.QdrantException;
import qdrantbackup.qdrant.SnapshotInfo;
import qdrantbackup.transfer.HashingCopy;
import qdrantbackup.transfer.TransferLog;

/**
 * The steps of one restore, called by name from routes/restore.camel.yaml. Each takes the
 * {@link RestoreReport} and returns it. Nothing in Qdrant changes before the input is verified and
 * a safety copy of the existing target is in the archive; a failure after that puts it back.
 */
public final class Restore {
    private static final Logger LOG = LoggerFactory.getLogger(Restore.class);
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final QdrantClient qdrant;
    private final Archive archive;
    private final SnapshotDownloader downloader;
    private final OffsiteBackups offsite;
    private final HealthCheck health;
    private final Inbox inbox;
    private final List<Consumer<RestoreReport>> listeners = new CopyOnWriteArrayList<>();

    public Restore(
            QdrantClient qdrant,
            Archive archive,
            SnapshotDownloader downloader,
            OffsiteBackups offsite,
            HealthCheck health,
            Inbox inbox) {
        this.qdrant = qdrant;
        this.archive = archive;
        this.downloader = downloader;
        this.offsite = offsite;
        this.health = health;
        this.inbox = inbox;
    }

    /** Called with every finished restore (metrics: last result and duration). */
    public void onFinish(Consumer<RestoreReport> listener) {
        listeners.add(listener);
    }

    /** A file was picked up from the inbox. */
    public RestoreReport begin(String path) {
        RestoreReport report = new RestoreReport(Path.of(path));
        LOG.info("restore: picked up {}", report.getFile());
        return report;
    }

    /** Reads the drop: a request, or a snapshot with or without its manifest; settles the target. */
    public RestoreReport read(RestoreReport r) {
        Path file = r.dropped();
        String name = r.getFile();
        if (Drop.kind(name) == Drop.Kind.REQUEST) {
            RestoreRequest request = RestoreRequest.read(file);
            checkName("collection", request.collection());
            r.request(request);
            r.target(checkName("target", request.target()), request.replace());
        } else {
            Path manifestFile = Drop.manifestOf(file);
            Manifest manifest = null;
            String collection;
            if (manifestFile != null) {
                r.inputs().add(manifestFile);
                manifest = Archive.readManifest(manifestFile)
                        .orElseThrow(
                                () -> new RestoreRefused(
                                        "the manifest "
                                                + manifestFile.getFileName()
                                                + " is not valid JSON or lacks collection, snapshot or sha256;"
                                                + " put the one the backup wrote beside the snapshot, or remove it to restore the bare snapshot"));
                if (Manifest.FULL.equals(manifest.kind())) {
                    throw new RestoreRefused(name + " is a full-storage snapshot: Qdrant restores those only at"
                            + " start-up (qdrant --storage-snapshot " + name + "), not over the API");
                }
                collection = manifest.collection();
            } else if (name.startsWith("full-snapshot-")) {
                throw new RestoreRefused(name + " is a full-storage snapshot: Qdrant restores those only at"
                        + " start-up (qdrant --storage-snapshot " + name + "), not over the API");
            } else {
                collection = Drop.collectionFromName(name);
                if (collection == null) {
                    throw new RestoreRefused("the file name " + name + " does not say which collection it is for:"
                            + " name it <collection>-<peer_id>-<YYYY-MM-DD-HH-MM-SS>.snapshot as Qdrant does, put its"
                            + " manifest " + name + ".json beside it, or drop a .restore.json request");
                }
            }
            r.source("inbox", file, manifest, collection, name);
            r.target(checkName("target", collection), false);
        }
        r.step("read");
        return r;
    }

    /** For a request: finds the snapshot in the archive, or downloads it from offsite into the archive. */
    public RestoreReport locate(RestoreReport r) {
        RestoreRequest request = r.request();
        if (request == null) {
            return r;
        }
        String collection = request.collection();
        List<ArchivedBackup> local = archive.list(collection);
        List<String> remote = offsite.enabled() ? offsite.snapshots(collection) : List.of();
        String wanted = request.latest() ? newest(local, remote) : checkName("snapshot", request.snapshot());
        if (wanted == null) {
            throw new RestoreRefused("collection " + collection + " has no backup in the local archive ("
                    + archive.root().resolve(collection) + ") nor offsite (" + offsite.describe()
                    + "); check the name");
        }
        ArchivedBackup backup = archive.find(collection, wanted).orElse(null);
        String where = "archive";
        if (backup == null && remote.contains(wanted)) {
            LOG.info("restore: {} is not in the local archive, downloading it from {}", wanted, offsite.describe());
            offsite.download(collection, wanted, archive.folder(collection));
            backup = archive.find(collection, wanted)
                    .orElseThrow(() -> new IllegalStateException("the download of " + wanted + " from "
                            + offsite.describe() + " did not give a complete backup"));
            where = "offsite";
        }
        if (backup == null) {
            List<String> known =
                    new ArrayList<>(local.stream().map(ArchivedBackup::snapshot).toList());
            remote.stream().filter(n -> !known.contains(n)).forEach(known::add);
            throw new RestoreRefused("snapshot " + wanted + " of collection " + collection + " is neither in the"
                    + " local archive nor offsite (" + offsite.describe() + "); ask for \"latest\""
                    + (known.isEmpty() ? "" : " or one of " + known.subList(0, Math.min(5, known.size()))));
        }
        r.source(where, backup.snapshotFile(), backup.manifest(), collection, wanted);
        r.step("locate");
        return r;
    }

    /** The file is a whole snapshot tar and, with a manifest, exactly the bytes the backup recorded. */
    public RestoreReport verify(RestoreReport r) {
        Path file = r.sourceFile();
        String problem = TarCheck.problem(file);
        if (problem != null) {
            throw new RestoreRefused("the file " + file.getFileName() + " " + problem);
        }
        r.check("tar", true, "a complete tar archive with config.json");
        String sha;
        long size;
        try {
            size = Files.size(file);
            sha = HashingCopy.sha256(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        Manifest m = r.manifest();
        if (m != null) {
            if (!m.sha256().equalsIgnoreCase(sha) || m.size() != size) {
                throw new RestoreRefused("the file " + file.getFileName() + " does not match its manifest (SHA-256 "
                        + sha + ", " + size + " bytes; the manifest says " + m.sha256() + ", " + m.size()
                        + " bytes): it is damaged or not the backup the manifest describes; copy it again");
            }
            r.check("sha256", true, "matches the manifest");
        } else {
            r.check("sha256", true, "computed (no manifest to compare with)");
        }
        r.verified(size, sha);
        r.step("verify");
        return r;
    }

    /** When the target exists: snapshot it and archive the copy under archive/{target}/pre-restore/. */
    public RestoreReport safetyCopy(RestoreReport r) {
        String target = r.getTarget();
        if (qdrant.collectionInfo(target).isEmpty()) {
            r.check("safety copy", true, "not needed: collection " + target + " does not exist yet");
            r.step("safety copy");
            return r;
        }
        LOG.info("restore: saving the current {} before replacing it", target);
        SnapshotInfo snapshot = qdrant.createSnapshot(target);
        try {
            Map<String, String> aliases = aliasesOf(target);
            long points = qdrant.countPoints(target);
            var config =
                    qdrant.collectionInfo(target).map(i -> i.path("config")).orElse(null);
            Path dir = archive.preRestoreFolder(target);
            // names have one-second resolution: two restores in a second must not share a safety copy
            String local = snapshot.name();
            for (int n = 2; Files.exists(dir.resolve(local)) || Files.exists(dir.resolve(local + ".json")); n++) {
                local = snapshot.name().replaceAll("\\.snapshot$", "") + "-" + n + Drop.SNAPSHOT_SUFFIX;
            }
            SnapshotDownloader.Verified copy = downloader.fetch(target, dir, snapshot, local);
            Manifest m = new Manifest(
                    target,
                    local,
                    Manifest.COLLECTION,
                    copy.size(),
                    copy.sha256(),
                    Instant.now().toString(),
                    qdrant.version(),
                    points,
                    config,
                    aliases,
                    Tool.NAME_VERSION);
            archive.writeManifest(m, dir);
            r.safetyCopy(copy.file(), m);
            r.check("safety copy", true, copy.file() + " (" + points + " points)");
        } finally {
            deleteQuietly(target, snapshot.name());
        }
        r.step("safety copy");
        return r;
    }

    /** Uploads the snapshot (streamed; Qdrant checks the SHA-256); with replace, drops an incompatible target first. */
    public RestoreReport upload(RestoreReport r) {
        String target = r.getTarget();
        String name = uploadName("restore", r.getSnapshot());
        r.uploading(name);
        try {
            send(target, r.sourceFile(), name, r.getSha256());
        } catch (QdrantException e) {
            if (!notCompatible(e)) {
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
            qdrant.deleteCollection(target);
            r.check("replace", true, "the existing collection was deleted first (incompatible config)");
            send(target, r.sourceFile(), name, r.getSha256());
        }
        r.step("upload");
        return r;
    }

    /** Green and optimizer ok, the exact point count of the manifest, the manifest's aliases back. */
    public RestoreReport check(RestoreReport r) {
        String target = r.getTarget();
        r.check("status", true, health.waitUntilGreen(target));
        Manifest m = r.manifest();
        long points = qdrant.countPoints(target);
        if (m != null && m.pointCount() != null) {
            if (points != m.pointCount()) {
                r.check("points", false, points + " points, the manifest says " + m.pointCount());
                throw new IllegalStateException("the restored collection " + target + " has " + points
                        + " points, the manifest says " + m.pointCount());
            }
            r.check("points", true, points + " = " + m.pointCount() + " in the manifest (exact count)");
        } else {
            r.check("points", true, points + " points (no manifest count to compare with)");
        }
        if (m != null && m.aliases() != null && !m.aliases().isEmpty()) {
            r.check("aliases", true, restoreAliases(target, m.collection(), m.aliases()));
        }
        r.step("health check");
        cleanServer(r);
        return r;
    }

    /** Deletes the uploaded copy Qdrant keeps in its snapshots folder (once; a failure is only a warning). */
    public RestoreReport cleanServer(RestoreReport r) {
        if (r.takeUploadCleanup()) {
            deleteQuietly(r.getTarget(), r.uploadName());
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
        try {
            String how = rollback(r);
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
        return r;
    }

    // ---- helpers ----

    private String rollback(RestoreReport r) {
        String target = r.getTarget();
        if (r.safetyFile() == null) {
            qdrant.deleteCollection(target);
            return "collection " + target + " did not exist before; the half-restored one was deleted";
        }
        Manifest m = r.safetyManifest();
        String name = uploadName("rollback", m.snapshot());
        try {
            try {
                send(target, r.safetyFile(), name, m.sha256());
            } catch (QdrantException e) {
                if (!notCompatible(e)) {
                    throw e;
                }
                qdrant.deleteCollection(target);
                send(target, r.safetyFile(), name, m.sha256());
            }
            String status = health.waitUntilGreen(target);
            long points = qdrant.countPoints(target);
            if (points != m.pointCount()) {
                throw new IllegalStateException("after the rollback " + target + " has " + points
                        + " points, the safety copy had " + m.pointCount());
            }
            restoreAliases(target, target, m.aliases() == null ? Map.of() : m.aliases());
            return "put back from the safety copy " + r.safetyFile() + " and checked: " + status + ", " + points
                    + " points";
        } finally {
            deleteQuietly(target, name);
        }
    }

    private void send(String target, Path file, String name, String sha256) {
        TransferLog log = new TransferLog("upload " + name + " into " + target);
        qdrant.uploadSnapshot(target, file, name, sha256, log::bytes);
        try {
            log.done(Files.size(file));
        } catch (IOException ignored) {
            // only the closing progress line is lost
        }
    }

    /**
     * Re-creates the manifest's aliases, pointing at the target. Restoring into a new name never takes an
     * alias away from another live collection: that switch is the operator's call.
     */
    private String restoreAliases(String target, String original, Map<String, String> aliases) {
        Map<String, String> existing = qdrant.aliases();
        Map<String, String> create = new java.util.LinkedHashMap<>();
        List<String> left = new ArrayList<>();
        aliases.keySet().forEach(alias -> {
            String now = existing.get(alias);
            if (target.equals(original) || now == null || now.equals(target)) {
                create.put(alias, target);
            } else {
                left.add(alias + " -> " + now);
            }
        });
        qdrant.createAliases(create);
        return (create.isEmpty() ? "none re-created" : "re-created " + create.keySet() + " -> " + target)
                + (left.isEmpty() ? "" : "; left as they are (restore into a new name): " + left);
    }

    private Map<String, String> aliasesOf(String collection) {
        Map<String, String> mine = new java.util.LinkedHashMap<>();
        qdrant.aliases().forEach((alias, c) -> {
            if (c.equals(collection)) {
                mine.put(alias, c);
            }
        });
        return mine;
    }

    private void deleteQuietly(String collection, String snapshot) {
        try {
            qdrant.deleteSnapshot(collection, snapshot);
        } catch (RuntimeException e) {
            if (!(e instanceof QdrantException q && q.status() == 404)) {
                LOG.warn(
                        "could not delete snapshot {} of {} from Qdrant's disk (delete it by hand to free the"
                                + " space): {}",
                        snapshot,
                        collection,
                        e.getMessage());
            }
        }
    }

    private static boolean notCompatible(QdrantException e) {
        return e.status() == 400 && e.getMessage() != null && e.getMessage().contains("not compatible");
    }

    /** A safe name for the copy Qdrant keeps: ASCII, ends in .snapshot (so it is listed and deletable). */
    static String uploadName(String purpose, String snapshot) {
        String base = snapshot.replaceAll("\\.snapshot$", "").replaceAll("[^A-Za-z0-9._-]", "_");
        String name = purpose + "-" + STAMP.format(Instant.now()) + "-" + base;
        return (name.length() > 200 ? name.substring(0, 200) : name) + ".snapshot";
    }

    private static String checkName(String what, String name) {
        String problem = Names.problem(name);
        if (problem != null) {
            throw new RestoreRefused("the " + what + " name '" + name.replaceAll("\\p{Cntrl}", "?") + "' is refused: "
                    + problem + "; use a plain collection name");
        }
        return name;
    }

    /** The newest snapshot name of the archive and offsite together (names end in a UTC time stamp). */
    static String newest(List<ArchivedBackup> local, List<String> remote) {
        String best = local.isEmpty() ? null : local.get(0).snapshot();
        for (String name : remote) {
            if (best == null || stamp(name).compareTo(stamp(best)) > 0) {
                best = name;
            }
        }
        return best;
    }

    static String stamp(String name) {
        var m = java.util.regex.Pattern.compile("(\\d{4}-\\d{2}-\\d{2}-\\d{2}-\\d{2}-\\d{2})\\.snapshot$")
                .matcher(name);
        return m.find() ? m.group(1) : "";
    }
}
