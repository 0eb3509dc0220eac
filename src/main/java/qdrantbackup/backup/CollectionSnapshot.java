package qdrantbackup.backup;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qdrantbackup.qdrant.QdrantClient;
import qdrantbackup.qdrant.SnapshotInfo;
import qdrantbackup.qdrant.SnapshotNames;
import qdrantbackup.store.FollowingPut;
import qdrantbackup.store.Manifest;

/**
 * Backup's per-collection step: create a snapshot on the server, stream it down verified into a folder, and
 * describe it in a manifest (point count, config, aliases, version). The nightly backup uses it into the
 * archive; a restore uses it for its safety copy of the collection it is about to replace.
 */
public final class CollectionSnapshot {
    private static final Logger LOG = LoggerFactory.getLogger(CollectionSnapshot.class);

    private final QdrantClient qdrant;
    private final SnapshotDownloader downloader;
    private final Duration clockTolerance;
    private final Clock clock;
    private final ServerSnapshots journal;
    private volatile Fingerprinting fingerprinting;

    public CollectionSnapshot(QdrantClient qdrant, SnapshotDownloader downloader) {
        this(qdrant, downloader, Duration.ofMinutes(5), Clock.systemUTC(), new ServerSnapshots(qdrant, null));
    }

    /** With the record of the snapshots this tool leaves on the server until it deletes them. */
    public CollectionSnapshot(
            QdrantClient qdrant,
            SnapshotDownloader downloader,
            Duration clockTolerance,
            Clock clock,
            ServerSnapshots journal) {
        this.qdrant = qdrant;
        this.downloader = downloader;
        this.clockTolerance = clockTolerance;
        this.clock = clock;
        this.journal = journal;
    }

    /** Takes a fingerprint of each collection right after its snapshot (none without). */
    public CollectionSnapshot fingerprintWith(Fingerprinting fingerprinting) {
        this.fingerprinting = fingerprinting;
        return this;
    }

    /** What takes the fingerprints, or null when none are taken (a cluster set takes its own with it). */
    Fingerprinting fingerprinting() {
        return fingerprinting;
    }

    /** The record of the snapshots this tool has on the server (restore uploads add theirs). */
    public ServerSnapshots journal() {
        return journal;
    }

    /**
     * {@code POST /collections/{c}/snapshots?wait=true}, or {@code POST /snapshots} when collection is null. The
     * point count is read before (and again in {@link #download}): a write in between is then seen, not missed.
     */
    public Taken create(String collection) {
        Long before = collection == null ? null : qdrant.countPoints(collection);
        SnapshotInfo info = journal.create(collection);
        // seconds, as Qdrant names snapshots: the manifest's time reads the same in every tool
        return new Taken(info, before, clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }

    /** A backup's snapshot: the one an interrupted run was downloading when the server still has it, else a new one. */
    public Taken createOrResume(String collection) {
        return journal.resume(collection).orElseGet(() -> create(collection));
    }

    /**
     * Downloads {@code snapshot} into {@code folder} as {@code localName} and returns its manifest (not yet
     * written: the caller puts it where it belongs).
     *
     * @param collection the collection, or null for a full-storage snapshot
     * @param folder     the archive name the manifest records ({@code full-storage} for a full one)
     * @param upload     a put that follows the download, or null
     */
    public Downloaded download(
            String collection,
            String folderName,
            Taken taken,
            Path folder,
            String localName,
            Function<Manifest.DataFile, FollowingPut> upload) {
        SnapshotInfo snapshot = taken.info();
        // Read what the manifest records before downloading: the snapshot reflects this state.
        Map<String, String> aliases = aliasesOf(collection);
        JsonNode config = collection == null
                ? null
                : qdrant.collectionInfo(collection).map(i -> i.path("config")).orElse(null);
        Long after = collection == null ? null : qdrant.countPoints(collection);
        Long before = taken.pointsBefore();
        Boolean changed = before == null || after == null ? null : !before.equals(after);
        if (Boolean.TRUE.equals(changed)) {
            LOG.warn(
                    "{}: the collection took writes while the snapshot was made ({} points before, {} after): the"
                            + " manifest records the range, a restore checks the count against it",
                    folderName,
                    before,
                    after);
        }
        Fingerprinting fp = fingerprinting;
        qdrantbackup.store.Fingerprint print =
                fp == null || collection == null ? null : fp.take(collection, config, before, changed);
        String qdrantTime = qdrantTime(folderName, snapshot, taken.completed());
        String version = qdrant.version();
        // a resumed file's first bytes came before this process: the upload catches up later instead
        FollowingPut following = upload == null || taken.resumed()
                ? null
                : upload.apply(new Manifest.DataFile(snapshot.name(), snapshot.size(), snapshot.checksum()));
        SnapshotDownloader.Verified file =
                downloader.fetch(collection, folder, snapshot, localName, following, taken.resumed());
        Manifest manifest = new Manifest(
                        folderName,
                        localName,
                        collection == null ? Manifest.FULL : Manifest.COLLECTION,
                        file.size(),
                        file.sha256(),
                        taken.completed().toString(),
                        version,
                        before,
                        config,
                        aliases,
                        Tool.NAME_VERSION)
                .withSnapshotFacts(after, changed, qdrantTime)
                .withFingerprint(print);
        LOG.debug("{}: downloaded {} ({} bytes, sha256 {})", folderName, file.file(), file.size(), file.sha256());
        return new Downloaded(manifest, file);
    }

    /** Qdrant's time of the snapshot (from its name), with a warning when Qdrant's clock is off this machine's. */
    private String qdrantTime(String folderName, SnapshotInfo snapshot, Instant completed) {
        Instant theirs;
        try {
            theirs = SnapshotNames.created(snapshot);
        } catch (RuntimeException e) {
            return null;
        }
        Duration off = Duration.between(completed, theirs).abs();
        // names have one-second resolution
        if (off.compareTo(clockTolerance.plusSeconds(1)) > 0) {
            LOG.warn(
                    "{}: Qdrant's clock is {} {} this machine's (snapshot {} is dated {}, made at {} here); the"
                            + " backup is dated by this machine's clock; set the Qdrant host's clock right"
                            + " (tolerance backup.clock-tolerance={})",
                    folderName,
                    readable(off),
                    theirs.isAfter(completed) ? "ahead of" : "behind",
                    snapshot.name(),
                    theirs,
                    completed,
                    clockTolerance);
        }
        return theirs.toString();
    }

    private static String readable(Duration d) {
        long s = Math.round(d.toMillis() / 1000.0);
        return String.format("%dd %02dh %02dm %02ds", s / 86400, s / 3600 % 24, s / 60 % 60, s % 60);
    }

    /** Deletes a snapshot from the server's disk; a failure is only a warning (the disk is the server's). */
    public void deleteFromServer(String collection, String snapshot) {
        try {
            qdrant.deleteSnapshot(collection, snapshot);
            journal.gone(collection, snapshot);
        } catch (RuntimeException e) {
            if (e instanceof qdrantbackup.qdrant.QdrantException q && q.status() == 404) {
                journal.gone(collection, snapshot);
            } else {
                LOG.warn(
                        "{}: could not delete snapshot {} from the server (delete it by hand to free its disk): {}",
                        collection == null ? BackupJob.FULL_STORAGE : collection,
                        snapshot,
                        e.getMessage());
            }
        }
    }

    /** The aliases that point at the collection (all of them for a full-storage snapshot). */
    public Map<String, String> aliasesOf(String collection) {
        Map<String, String> all = qdrant.aliases();
        if (collection == null) {
            return all;
        }
        Map<String, String> mine = new LinkedHashMap<>();
        all.forEach((alias, c) -> {
            if (c.equals(collection)) {
                mine.put(alias, c);
            }
        });
        return mine;
    }

    /** A snapshot on the server, the exact count read just before it, and when it was ready by this machine's clock. */
    public record Taken(SnapshotInfo info, Long pointsBefore, Instant completed, boolean resumed) {
        public Taken(SnapshotInfo info, Long pointsBefore, Instant completed) {
            this(info, pointsBefore, completed, false);
        }

        public String name() {
            return info.name();
        }
    }

    /** The manifest of a downloaded snapshot, and the file with the put that followed it. */
    public record Downloaded(Manifest manifest, SnapshotDownloader.Verified file) {}
}
