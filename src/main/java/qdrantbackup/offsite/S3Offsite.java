package qdrantbackup.offsite;

import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qdrantbackup.archive.ArchivedBackup;
import qdrantbackup.backup.Offsite;
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
        return snapshot.isPresent() && backup.manifest().sha256().equalsIgnoreCase(snapshot.get().sha256())
            && snapshot.get().size() == backup.manifest().size()
            && target.stat(backup.collection(), backup.manifestFile().getFileName().toString()).isPresent();
    }

    @Override
    public void upload(ArchivedBackup backup) {
        TransferLog log = new TransferLog("upload " + backup.snapshot() + " to " + describe());
        target.upload(backup.snapshotFile(), backup.collection(), backup.snapshot(), backup.manifest().sha256(),
            log::bytes);
        target.upload(backup.manifestFile(), backup.collection(), backup.manifestFile().getFileName().toString(),
            null, null);
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
            LOG.warn("{}: cannot upload {} during its download ({}); it is uploaded once archived", collection,
                snapshot, e.getMessage());
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
                target.upload(backup.manifestFile(), backup.collection(),
                    backup.manifestFile().getFileName().toString(), null, null);
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
}
