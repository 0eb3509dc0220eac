package qdrantbackup.backup;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qdrantbackup.archive.ArchivedBackup;
import qdrantbackup.archive.Manifest;
import qdrantbackup.qdrant.SnapshotNames;
import qdrantbackup.store.FollowingPut;
import qdrantbackup.store.s3.ObjectInfo;
import qdrantbackup.store.s3.RemoteObject;
import qdrantbackup.store.s3.S3Store;

/**
 * The S3 bucket as the backup's offsite target: the snapshot goes first, its manifest last, so a
 * manifest in the bucket means the snapshot beside it is complete.
 */
public final class S3Offsite implements Offsite {
    private static final Logger LOG = LoggerFactory.getLogger(S3Offsite.class);
    private final S3Store store;

    public S3Offsite(S3Store store) {
        this.store = store;
    }

    public S3Store store() {
        return store;
    }

    private String key(String collection, String fileName) {
        return store.layout().key(collection, fileName);
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public String describe() {
        return store.describe();
    }

    @Override
    public boolean has(ArchivedBackup backup) {
        Optional<ObjectInfo> snapshot = store.objects().stat(key(backup.collection(), backup.snapshot()));
        return snapshot.isPresent()
                && backup.manifest().sha256().equalsIgnoreCase(snapshot.get().sha256())
                && snapshot.get().size() == backup.manifest().size()
                && store.objects()
                        .stat(key(
                                backup.collection(),
                                backup.manifestFile().getFileName().toString()))
                        .isPresent();
    }

    @Override
    public void upload(ArchivedBackup backup) {
        store.objects()
                .put(
                        key(backup.collection(), backup.snapshot()),
                        backup.snapshotFile(),
                        backup.manifest().sha256(),
                        null);
        store.objects()
                .put(
                        key(
                                backup.collection(),
                                backup.manifestFile().getFileName().toString()),
                        backup.manifestFile(),
                        null,
                        null);
    }

    /** Parts go up while the download arrives; only for files of at least one part with a known checksum. */
    @Override
    public Streaming stream(String collection, String snapshot, Path partFile, long size, String sha256) {
        if (sha256 == null || sha256.isBlank() || size < store.settings().partSizeBytes()) {
            return null;
        }
        FollowingPut upload;
        try {
            upload = store.objects().follow(key(collection, snapshot), partFile, size, sha256);
        } catch (RuntimeException e) {
            LOG.warn(
                    "{}: cannot upload {} during its download ({}); it is uploaded once archived",
                    collection,
                    snapshot,
                    e.getMessage());
            return null;
        }
        return new Streaming() {
            @Override
            public void written(long bytes) {
                upload.written(bytes);
            }

            @Override
            public void complete(ArchivedBackup backup) {
                upload.complete(backup.manifest().sha256());
                store.objects()
                        .put(
                                key(
                                        backup.collection(),
                                        backup.manifestFile().getFileName().toString()),
                                backup.manifestFile(),
                                null,
                                null);
            }

            @Override
            public void abort() {
                try {
                    upload.abort();
                } catch (RuntimeException e) {
                    LOG.warn("aborting the upload of {} failed: {}", snapshot, e.getMessage());
                }
            }
        };
    }

    @Override
    public void checkWritable() {
        store.checkWritable();
    }

    /**
     * The complete backups in the bucket (the snapshot with its manifest beside it; the manifest is
     * uploaded last), as minimal manifests: the SHA-256 is in each object's metadata, not the listing.
     */
    @Override
    public List<Manifest> list(String collection) {
        return completeSnapshots(collection).stream()
                .map(o -> new Manifest(
                        o.collection(),
                        o.fileName(),
                        null,
                        o.size(),
                        null,
                        SnapshotNames.time(o.fileName()).orElseThrow().toString(),
                        null,
                        null,
                        null,
                        null,
                        null))
                .toList();
    }

    /** Snapshot objects of one collection (null: all) whose manifest is there too and whose name has a time. */
    public List<RemoteObject> completeSnapshots(String collection) {
        Set<String> keys = new HashSet<>();
        List<RemoteObject> objects = store.objects(collection);
        objects.forEach(o -> keys.add(o.key()));
        return objects.stream()
                .filter(o -> o.fileName().endsWith(".snapshot")
                        && keys.contains(o.key() + ".json")
                        && SnapshotNames.time(o.fileName()).isPresent())
                .toList();
    }
}
