package qdrantbackup.offsite;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qdrantbackup.archive.ArchivedBackup;
import qdrantbackup.archive.Manifest;
import qdrantbackup.backup.Offsite;
import qdrantbackup.qdrant.SnapshotNames;
import qdrantbackup.transfer.TransferLog;

/**
 * The S3 bucket as the backup's offsite target: the snapshot goes first, its manifest last, so a
 * manifest in the bucket means the snapshot beside it is complete.
 */
public final class S3Offsite implements Offsite {
    private static final Logger LOG = LoggerFactory.getLogger(S3Offsite.class);
    private final S3Target target;

    public S3Offsite(S3Target target) {
        this.target = target;
    }

    public S3Target target() {
        return target;
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public String describe() {
        return ("s3://" + target.settings().bucket() + "/" + target.settings().prefix()).replaceAll("/+$", "");
    }

    @Override
    public boolean has(ArchivedBackup backup) {
        Optional<RemoteObject> snapshot = target.stat(backup.collection(), backup.snapshot());
        return snapshot.isPresent()
                && backup.manifest().sha256().equalsIgnoreCase(snapshot.get().sha256())
                && snapshot.get().size() == backup.manifest().size()
                && target.stat(
                                backup.collection(),
                                backup.manifestFile().getFileName().toString())
                        .isPresent();
    }

    @Override
    public void upload(ArchivedBackup backup) {
        TransferLog log = new TransferLog("upload " + backup.snapshot() + " to " + describe());
        target.upload(
                backup.snapshotFile(),
                backup.collection(),
                backup.snapshot(),
                backup.manifest().sha256(),
                log::bytes);
        target.upload(
                backup.manifestFile(),
                backup.collection(),
                backup.manifestFile().getFileName().toString(),
                null,
                null);
        log.done(backup.manifest().size());
    }

    /** Parts go up while the download arrives; only for files of at least one part with a known checksum. */
    @Override
    public Streaming stream(String collection, String snapshot, Path partFile, long size, String sha256) {
        if (sha256 == null || sha256.isBlank() || size < target.settings().partSizeBytes()) {
            return null;
        }
        S3Target.StreamingUpload upload;
        try {
            upload = target.startStreaming(partFile, collection, snapshot, size, sha256);
        } catch (RuntimeException e) {
            LOG.warn(
                    "{}: cannot upload {} during its download ({}); it is uploaded once archived",
                    collection,
                    snapshot,
                    e.getMessage());
            return null;
        }
        TransferLog log = new TransferLog("upload " + snapshot + " to " + describe() + " (during the download)");
        return new Streaming() {
            @Override
            public void written(long bytes) {
                upload.written(bytes);
            }

            @Override
            public void complete(ArchivedBackup backup) {
                upload.complete(backup.manifest().sha256());
                log.done(size);
                target.upload(
                        backup.manifestFile(),
                        backup.collection(),
                        backup.manifestFile().getFileName().toString(),
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
        target.checkWritable();
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
        List<RemoteObject> objects = target.list(collection);
        objects.forEach(o -> keys.add(o.key()));
        return objects.stream()
                .filter(o -> o.fileName().endsWith(".snapshot")
                        && keys.contains(o.key() + ".json")
                        && SnapshotNames.time(o.fileName()).isPresent())
                .toList();
    }
}
