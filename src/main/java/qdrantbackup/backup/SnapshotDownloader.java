package qdrantbackup.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 * Qdrant's checksum and size, and only then flushed and given its final name. A cut-off download keeps its
 * {@code .part} and the next attempt (with backoff) asks only for the rest with a {@code Range} request, the
 * bytes on disk hashed first; a server that ignores Range (Qdrant on S3 storage answers 200) means starting
 * over. A corrupt download is deleted and fetched again; a bad file is never archived. A disk without room
 * for the snapshot is refused before the download, and a disk that fills during it is not retried.
 */
public final class SnapshotDownloader {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotDownloader.class);
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
        return fetch(collection, dir, snapshot, localName, upload, false);
    }

    /** With {@code resume}: the part file on disk is this snapshot's own (an interrupted run's), resumed. */
    public Verified fetch(
            String collection, Path dir, SnapshotInfo snapshot, String localName, FollowingPut upload, boolean resume) {
        Path part = partOf(dir, localName);
        String what = "snapshot " + snapshot.name();
        long needed = DiskSpace.needed(Math.max(0, snapshot.size()));
        long free = freeSpace.applyAsLong(dir);
        if (snapshot.size() > 0 && free < needed) {
            throw new DiskSpace.DiskFullException(what, dir, needed, free, null);
        }
        // a part from before this call may hold another server snapshot's bytes: resume only our own
        if (!resume) {
            SafeFiles.deleteQuietly(part);
        }
        FollowingPut[] following = {upload};
        HashingCopy.Result result;
        try {
            result = retry.run("download snapshot " + snapshot.name(), () -> {
                try {
                    return downloadOnce(collection, snapshot, part, following[0]);
                } catch (RuntimeException e) {
                    // a cut-off keeps the part for the next attempt; the upload cannot follow a resumed file
                    if (following[0] != null) {
                        following[0].abort();
                        following[0] = null;
                    }
                    if (DiskSpace.isDiskFull(e)) {
                        SafeFiles.deleteQuietly(part);
                        throw new DiskSpace.DiskFullException(what, dir, needed, freeSpace.applyAsLong(dir), e);
                    }
                    if (transfers.stopping() && !(e instanceof Transfers.StoppedException)) {
                        SafeFiles.deleteQuietly(part);
                        throw new Transfers.StoppedException("download of " + snapshot.name()
                                + " stopped: the application is stopping; the partial file was deleted");
                    }
                    throw e;
                }
            });
        } catch (RuntimeException e) {
            SafeFiles.deleteQuietly(part);
            throw e;
        }
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

    /** Where the download of {@code localName} into {@code dir} writes until it is verified. */
    public static Path partOf(Path dir, String localName) {
        return dir.resolve(Names.checkFile("snapshot", localName) + SafeFiles.PART);
    }

    private HashingCopy.Result downloadOnce(String collection, SnapshotInfo snapshot, Path part, FollowingPut upload) {
        long size = snapshot.size();
        long have = resumable(part, size);
        MessageDigest prefix;
        try {
            // hashed before asking, so that the connection never waits on the disk
            prefix = have > 0 ? HashingCopy.digestOf(part, have) : null;
        } catch (IOException e) {
            SafeFiles.deleteQuietly(part);
            throw new QdrantException("could not read the partial download " + part + ": " + e.getMessage(), 0, e);
        }
        TransferLog log = transfers.begin("download " + snapshot.name(), part);
        HashingCopy.Result result;
        try {
            result = qdrant.download(collection, snapshot.name(), have, (body, length, start, total) -> {
                long from = 0;
                if (have > 0 && start == have && total == size) {
                    from = have;
                    log.resumedAt(have);
                    LOG.info(
                            "download {}: resumed at {} bytes of {} (206 Partial Content)",
                            snapshot.name(),
                            have,
                            size);
                } else if (have > 0 && start == 0) {
                    LOG.info(
                            "download {}: the server ignored the Range request for bytes {}- (HTTP 200), starting"
                                    + " over from 0 of {} bytes",
                            snapshot.name(),
                            have,
                            size);
                } else if (have > 0) {
                    throw mismatch(
                            snapshot,
                            part,
                            "asked for bytes " + have + "- of " + size + ", the server answered bytes from " + start
                                    + " of " + total);
                }
                if (from == 0) {
                    SafeFiles.createPrivateFile(part);
                }
                try {
                    return HashingCopy.copy(
                            body,
                            part,
                            from,
                            prefix,
                            length > 0 ? from + length : size,
                            log,
                            upload == null ? null : upload::written);
                } catch (IOException e) {
                    throw new IOException("download of " + snapshot.name() + " was cut off: " + e.getMessage(), e);
                }
            });
        } finally {
            log.end();
        }
        if (size >= 0 && result.size() != size) {
            throw mismatch(snapshot, part, "got " + result.size() + " bytes, Qdrant said " + size);
        }
        if (snapshot.checksum() != null && !snapshot.checksum().strip().equalsIgnoreCase(result.sha256())) {
            throw mismatch(
                    snapshot, part, "SHA-256 " + result.sha256() + " differs from Qdrant's " + snapshot.checksum());
        }
        log.done(result.size());
        return result;
    }

    /** Bytes of an earlier attempt worth keeping: some, and fewer than the snapshot's known size. */
    private static long resumable(Path part, long size) {
        try {
            long have = Files.isRegularFile(part) ? Files.size(part) : 0;
            return size > 0 && have < size ? have : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static QdrantException mismatch(SnapshotInfo snapshot, Path part, String detail) {
        // bad bytes are never resumed; status 0: worth another download from zero
        SafeFiles.deleteQuietly(part);
        return new QdrantException(
                "downloaded snapshot " + snapshot.name() + " is not what Qdrant made (" + detail
                        + "); it was discarded",
                0,
                null);
    }

    /** A downloaded snapshot file with its verified size and SHA-256, and the upload that followed it (or null). */
    public record Verified(Path file, long size, String sha256, FollowingPut upload) {}
}
