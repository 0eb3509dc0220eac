package qdrantbackup.backup;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
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
    private final ServerSnapshots journal;

    public CollectionSnapshot(QdrantClient qdrant, SnapshotDownloader downloader) {
        this(qdrant, downloader, new ServerSnapshots(qdrant, null));
    }

    /** With the record of the snapshots this tool leaves on the server until it deletes them. */
    public CollectionSnapshot(QdrantClient qdrant, SnapshotDownloader downloader, ServerSnapshots journal) {
        this.qdrant = qdrant;
        this.downloader = downloader;
        this.journal = journal;
    }

    /** The record of the snapshots this tool has on the server (restore uploads add theirs). */
    public ServerSnapshots journal() {
        return journal;
    }

    /** {@code POST /collections/{c}/snapshots?wait=true}, or {@code POST /snapshots} when collection is null. */
    public SnapshotInfo create(String collection) {
        return journal.create(collection);
    }

    /**
     * Downloads {@code snapshot} into {@code folder} as {@code localName} and returns its manifest (not yet
     * written: the caller puts it where it belongs).
     *
     * @param collection the collection, or null for a full-storage snapshot
     * @param folder     the archive name the manifest records ({@code full-storage} for a full one)
     * @param upload     a put that follows the download, or null
     * @param created    the time to record, from the snapshot
     */
    public Downloaded download(
            String collection,
            String folderName,
            SnapshotInfo snapshot,
            Path folder,
            String localName,
            Function<Manifest.DataFile, FollowingPut> upload,
            String created) {
        // Read what the manifest records before downloading: the snapshot reflects this state.
        Map<String, String> aliases = aliasesOf(collection);
        JsonNode config = collection == null
                ? null
                : qdrant.collectionInfo(collection).map(i -> i.path("config")).orElse(null);
        Long points = collection == null ? null : qdrant.countPoints(collection);
        String version = qdrant.version();
        FollowingPut following = upload == null
                ? null
                : upload.apply(new Manifest.DataFile(snapshot.name(), snapshot.size(), snapshot.checksum()));
        SnapshotDownloader.Verified file = downloader.fetch(collection, folder, snapshot, localName, following);
        Manifest manifest = new Manifest(
                folderName,
                localName,
                collection == null ? Manifest.FULL : Manifest.COLLECTION,
                file.size(),
                file.sha256(),
                created == null ? SnapshotNames.created(snapshot).toString() : created,
                version,
                points,
                config,
                aliases,
                Tool.NAME_VERSION);
        LOG.debug("{}: downloaded {} ({} bytes, sha256 {})", folderName, file.file(), file.size(), file.sha256());
        return new Downloaded(manifest, file);
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

    /** The manifest of a downloaded snapshot, and the file with the put that followed it. */
    public record Downloaded(Manifest manifest, SnapshotDownloader.Verified file) {}
}
