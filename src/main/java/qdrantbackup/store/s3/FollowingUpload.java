package qdrantbackup.store.s3;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qdrantbackup.store.FollowingPut;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * A multipart upload that follows a file being written (a download in progress): each part goes up as soon as
 * {@link #written} reports its bytes on disk, {@code upload-threads} parts in flight. The object is created only
 * by {@link #complete}, once the whole file was verified to have the expected SHA-256; on a mismatch or any
 * failure the multipart upload is aborted.
 */
final class FollowingUpload implements FollowingPut {
    private static final Logger LOG = LoggerFactory.getLogger(FollowingUpload.class);

    private final MultipartCalls calls;
    private final Path file;
    private final String key;
    private final String uploadId;
    private final long size;
    private final long partSize;
    private final int parts;
    private final String hash;
    private final ExecutorService pool;
    private final List<Future<CompletedPart>> futures = new ArrayList<>();
    private final long started = System.nanoTime();
    private FileChannel channel;
    private IOException openFailure;
    private boolean closed;

    /** Creates the multipart upload; throws when even that is refused. */
    FollowingUpload(MultipartCalls calls, Path file, String key, long size, String expectedSha256) {
        this.calls = calls;
        this.file = file;
        this.key = key;
        this.size = size;
        this.hash = expectedSha256.toLowerCase(Locale.ROOT);
        this.partSize = MultipartCalls.partSizeFor(size, calls.settings.partSizeBytes());
        this.parts = (int) Math.max(1, (size + partSize - 1) / partSize);
        this.uploadId = calls.create(key, hash);
        this.pool = calls.pool(Math.min(calls.settings.uploadThreads(), parts), "s3-stream-");
    }

    /** The first {@code bytes} of the file are on disk: hands every part they complete to the upload threads. */
    @Override
    public synchronized void written(long bytes) {
        while (!closed && openFailure == null && futures.size() < parts) {
            long offset = futures.size() * partSize;
            long length = Math.min(partSize, size - offset);
            if (offset + length > bytes) {
                return;
            }
            if (channel == null) {
                try {
                    // opened once, on the file as it is being written: a later rename does not affect it
                    channel = FileChannel.open(file, StandardOpenOption.READ);
                } catch (IOException e) {
                    openFailure = e;
                    return;
                }
            }
            int partNumber = futures.size() + 1;
            FileChannel ch = channel;
            futures.add(pool.submit(() -> calls.part(ch, key, uploadId, partNumber, offset, length)));
        }
    }

    /**
     * The whole file was written and hashes to {@code sha256}: waits for the parts, completes the object and
     * checks it. Anything else (a different hash, a missing or failed part) aborts the upload and throws.
     */
    @Override
    public void complete(String sha256) {
        try {
            if (sha256 == null || !hash.equalsIgnoreCase(sha256)) {
                throw new OffsiteException("the file's SHA-256 " + sha256 + " is not the expected " + hash
                        + ": upload to " + calls.errors.where(key) + " aborted");
            }
            synchronized (this) {
                if (openFailure != null) {
                    throw new OffsiteException(
                            "cannot read " + file + " for upload to " + calls.errors.where(key) + ": " + openFailure,
                            openFailure);
                }
                if (closed || futures.size() < parts) {
                    throw new OffsiteException("upload to " + calls.errors.where(key) + " is incomplete: "
                            + futures.size() + " of " + parts + " parts were written");
                }
                closed = true;
            }
            List<CompletedPart> done = new ArrayList<>();
            for (Future<CompletedPart> f : futures) {
                done.add(f.get());
            }
            calls.complete(key, uploadId, done);
            calls.verify(key, size, hash);
            LOG.info(
                    "uploaded {} ({} bytes, {} parts sent during the download) to {} in {} ms",
                    key.substring(key.lastIndexOf('/') + 1),
                    size,
                    parts,
                    calls.errors.where(key),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        } catch (Exception e) {
            RuntimeException failure = calls.errors.uploadFailure(key, e);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            abort(failure);
            throw failure;
        } finally {
            release();
        }
    }

    /** Cancels the parts in flight and aborts the multipart upload. */
    @Override
    public void abort() {
        abort(new OffsiteException("upload to " + calls.errors.where(key) + " cancelled"));
    }

    private void abort(RuntimeException why) {
        synchronized (this) {
            closed = true;
        }
        release();
        calls.abort(key, uploadId, why);
    }

    private void release() {
        // Parts not started are dropped; parts in flight finish (cutting a body short leaves S3Proxy and
        // some other stores a broken part that the abort then cannot remove).
        synchronized (this) {
            futures.forEach(f -> f.cancel(false));
        }
        pool.shutdown();
        MultipartCalls.awaitQuietly(pool);
        synchronized (this) {
            if (channel != null) {
                MultipartCalls.closeQuietly(channel);
                channel = null;
            }
        }
    }
}
