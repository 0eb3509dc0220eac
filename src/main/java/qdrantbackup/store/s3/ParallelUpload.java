package qdrantbackup.store.s3;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * A file on disk put as a multipart upload: {@code upload-threads} parts in flight, each streamed from its slice
 * of the file (memory stays flat), the object checked with a HEAD once complete. Any failure aborts the upload.
 * An upload of the same key that a crashed process left open is resumed ({@link UploadResume}).
 */
final class ParallelUpload {
    private final MultipartCalls calls;

    ParallelUpload(MultipartCalls calls) {
        this.calls = calls;
    }

    void put(Path file, String key, long size, String hash, ProgressListener listener, boolean check) {
        long partSize = MultipartCalls.partSizeFor(size, calls.settings.partSizeBytes());
        int parts = (int) ((size + partSize - 1) / partSize);
        // Opened outside try-with-resources: that would close it before the catch block has let the
        // parts in flight finish, cutting their bodies short (S3Proxy then keeps a broken part).
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new OffsiteException(
                    "cannot read " + file + " for upload to " + calls.errors.where(key) + ": " + e, e);
        }
        // a crashed run's upload of this very key: its checked parts are kept
        Optional<UploadResume.Taken> resumed = UploadResume.find(calls.client(), calls, channel, key, size, partSize);
        String uploadId = resumed.map(UploadResume.Taken::uploadId).orElseGet(() -> calls.create(key, hash));
        Map<Integer, CompletedPart> already =
                resumed.map(UploadResume.Taken::parts).orElse(Map.of());
        ExecutorService pool = calls.pool(Math.min(calls.settings.uploadThreads(), parts), "s3-upload-");
        listener.bytes(0, size);
        List<Future<CompletedPart>> futures = new ArrayList<>();
        CompletableFuture<Void> reread = check
                ? CompletableFuture.runAsync(() -> FileCheck.matches(file, hash, key))
                : CompletableFuture.completedFuture(null);
        try {
            CompletionService<CompletedPart> cs = new ExecutorCompletionService<>(pool);
            CompletedPart[] done = new CompletedPart[parts];
            long bytesDone = 0;
            for (int i = 0; i < parts; i++) {
                int partNumber = i + 1;
                long offset = i * partSize;
                long length = Math.min(partSize, size - offset);
                if (already.containsKey(partNumber)) {
                    done[i] = already.get(partNumber);
                    bytesDone += length;
                    continue;
                }
                futures.add(cs.submit(() -> calls.part(channel, key, uploadId, partNumber, offset, length)));
            }
            listener.bytes(bytesDone, size);
            for (int i = 0; i < futures.size(); i++) {
                CompletedPart part = cs.take().get();
                done[part.partNumber() - 1] = part;
                bytesDone += Math.min(partSize, size - (part.partNumber() - 1) * partSize);
                listener.bytes(bytesDone, size);
            }
            awaitCheck(reread);
            calls.complete(key, uploadId, Arrays.asList(done));
        } catch (Throwable t) {
            // Parts not started are dropped; parts in flight are let finish (not interrupted), so that no part
            // lands after the abort (S3 would keep it, and S3Proxy trips over half-written parts).
            futures.forEach(f -> f.cancel(false));
            reread.cancel(false);
            pool.shutdown();
            MultipartCalls.awaitQuietly(pool);
            RuntimeException failure = calls.errors.uploadFailure(key, t);
            calls.abort(key, uploadId, failure);
            if (t instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            if (t instanceof Error err && !(t instanceof AssertionError)) {
                throw err;
            }
            throw failure;
        } finally {
            pool.shutdownNow();
            MultipartCalls.awaitQuietly(pool);
            MultipartCalls.closeQuietly(channel);
        }
        calls.verify(key, size, hash);
    }

    private static void awaitCheck(CompletableFuture<Void> reread) throws InterruptedException {
        try {
            reread.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }
}
