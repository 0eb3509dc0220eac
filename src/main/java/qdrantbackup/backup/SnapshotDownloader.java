package qdrantbackup.backup;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.ToLongFunction;
import qdrantbackup.qdrant.QdrantClient;
import qdrantbackup.qdrant.QdrantException;
import qdrantbackup.qdrant.Retry;
import qdrantbackup.qdrant.SnapshotInfo;
import qdrantbackup.store.FollowingPut;
import qdrantbackup.store.Names;
import qdrantbackup.transfer.DiskSpace;
import qdrantbackup.transfer.HashingCopy;
import qdrantbackup.transfer.SafeFiles;
import qdrantbackup.transfer.TransferLog;
import qdrantbackup.transfer.Transfers;

/**
 * Downloads a snapshot into a folder: streamed to a {@code .part} file, hashed on the way, compared with
 * Qdrant's checksum and size, and only then flushed and given its final name. A cut-off or corrupt download
 * is deleted and fetched again (with backoff); a bad file is never archived. A disk without room for the
 * snapshot is refused before the download, and a disk that fills during it is not retried.
 */
public final class SnapshotDownloader {
    private final QdrantClient qdrant;
    private final Retry retry;
    private final Transfers transfers;
    private final ToLongFunction<Path> freeSpace;

    public SnapshotDownloader(QdrantClient qdrant, Retry retry) {
        this(qdrant, retry, new Transfers(java.time.Duration.ZERO));
    }

    /** With the application's transfers, so that a stop ends a download and deletes its part file. */
    public SnapshotDownloader(QdrantClient qdrant, Retry retry, Transfers transfers) {
        this(qdrant, retry, transfers, DiskSpace::free);
    }

    /** With the free space of a folder as {@code freeSpace} tells it (tests). */
    SnapshotDownloader(QdrantClient qdrant, Retry retry, Transfers transfers, ToLongFunction<Path> freeSpace) {
        this.qdrant = qdrant;
        this.retry = retry;
        this.transfers = transfers;
        this.freeSpace = freeSpace;
    }

    /**
     * Downloads {@code snapshot} into {@code dir} as {@code localName}, telling {@code upload} (when not null) as
     * the bytes reach the {@code .part} file. A failed attempt aborts it (later attempts download only); the
     * result carries it when the first attempt succeeded, for the caller to complete once it has archived the
     * file.
     *
     * @param collection the collection on the server, or null for a full-storage snapshot
     */
    public Verified fetch(String collection, Path dir, SnapshotInfo snapshot, String localName, FollowingPut upload) {
        Path part = dir.resolve(Names.checkFile("snapshot", localName) + SafeFiles.PART);
        String what = "snapshot " + snapshot.name();
        long needed = DiskSpace.needed(Math.max(0, snapshot.size()));
        long free = freeSpace.applyAsLong(dir);
        if (snapshot.size() > 0 && free < needed) {
            throw new DiskSpace.DiskFullException(what, dir, needed, free, null);
        }
        FollowingPut[] following = {upload};
        HashingCopy.Result result = retry.run("download snapshot " + snapshot.name(), () -> {
            try {
                return downloadOnce(collection, snapshot, part, following[0]);
            } catch (RuntimeException e) {
                SafeFiles.deleteQuietly(part);
                if (following[0] != null) {
                    following[0].abort();
                    following[0] = null;
                }
                if (DiskSpace.isDiskFull(e)) {
                    throw new DiskSpace.DiskFullException(what, dir, needed, freeSpace.applyAsLong(dir), e);
                }
                if (transfers.stopping() && !(e instanceof Transfers.StoppedException)) {
                    throw new Transfers.StoppedException("download of " + snapshot.name()
                            + " stopped: the application is stopping; the partial file was deleted");
                }
                throw e;
            }
        });
        Path target = dir.resolve(localName);
        try {
            SafeFiles.commit(part, target);
        } catch (RuntimeException e) {
            SafeFiles.deleteQuietly(part);
            if (following[0] != null) {
                following[0].abort();
            }
            throw e;
        }
        return new Verified(target, result.size(), result.sha256(), following[0]);
    }

    private HashingCopy.Result downloadOnce(String collection, SnapshotInfo snapshot, Path part, FollowingPut upload) {
        TransferLog log = transfers.begin("download " + snapshot.name(), part);
        HashingCopy.Result result;
        try {
            result = qdrant.download(collection, snapshot.name(), (body, length) -> {
                SafeFiles.createPrivateFile(part);
                try {
                    return HashingCopy.copy(
                            body,
                            part,
                            length > 0 ? length : snapshot.size(),
                            log,
                            upload == null ? null : upload::written);
                } catch (IOException e) {
                    throw new IOException("download of " + snapshot.name() + " was cut off: " + e.getMessage(), e);
                }
            });
        } finally {
            log.end();
        }
        if (snapshot.size() >= 0 && result.size() != snapshot.size()) {
            throw mismatch(snapshot, "got " + result.size() + " bytes, Qdrant said " + snapshot.size());
        }
        if (snapshot.checksum() != null && !snapshot.checksum().strip().equalsIgnoreCase(result.sha256())) {
            throw mismatch(snapshot, "SHA-256 " + result.sha256() + " differs from Qdrant's " + snapshot.checksum());
        }
        log.done(result.size());
        return result;
    }

    private QdrantException mismatch(SnapshotInfo snapshot, String detail) {
        // status 0: worth another download
        return new QdrantException(
                "downloaded snapshot " + snapshot.name() + " is not what Qdrant made (" + detail
                        + "); it was discarded",
                0,
                null);
    }

    /** A downloaded snapshot file with its verified size and SHA-256, and the upload that followed it (or null). */
    public record Verified(Path file, long size, String sha256, FollowingPut upload) {}
}
