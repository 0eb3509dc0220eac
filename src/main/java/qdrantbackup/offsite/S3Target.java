package qdrantbackup.offsite;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadBucketRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * One bucket plus key prefix. Keys are {@code <prefix>/<collection>/<file>} ({@code <collection>/<file>} when the
 * prefix is empty). Objects carry user metadata {@code sha256=<hex>}.
 */
public final class S3Target implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(S3Target.class);

    public static final String SHA256_METADATA = "sha256";
    static final int MAX_PARTS = 10_000;
    static final int DELETE_BATCH = 1_000;
    static final String PROBE_NAME = ".qdrant-backup-probe-";
    private static final int IO_BUFFER = 256 * 1024;

    private final CompletableFuture<S3Client> client;
    private final OffsiteSettings settings;
    private final boolean ownsClient;
    private final String bucket;
    private final String base; // "" or "prefix/"
    private volatile boolean batchDeleteUnsupported;

    /** Uses the given client; the caller closes it. */
    public S3Target(S3Client s3, OffsiteSettings settings) {
        this(CompletableFuture.completedFuture(s3), settings, false);
    }

    private S3Target(CompletableFuture<S3Client> client, OffsiteSettings settings, boolean ownsClient) {
        this.client = client;
        this.settings = settings;
        this.ownsClient = ownsClient;
        this.bucket = settings.bucket();
        this.base = settings.prefix().isEmpty() ? "" : settings.prefix() + "/";
    }

    /**
     * Builds its own client from the settings and closes it in {@link #close()}. The client is built on a
     * thread of its own: the AWS SDK takes about a second to load, which the start-up of the rest need not
     * wait for; the first call waits for it.
     */
    public static S3Target create(OffsiteSettings settings) {
        CompletableFuture<S3Client> client = new CompletableFuture<>();
        Thread build = new Thread(
                () -> {
                    try {
                        client.complete(S3Clients.create(settings));
                    } catch (RuntimeException | Error e) {
                        client.completeExceptionally(e);
                    }
                },
                "s3-client-build");
        build.setDaemon(true);
        build.start();
        return new S3Target(client, settings, true);
    }

    private S3Client s3() {
        try {
            return client.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    public OffsiteSettings settings() {
        return settings;
    }

    /** The object key for a collection's file. */
    public String key(String collection, String fileName) {
        return base + segment("collection", collection) + "/" + segment("file name", fileName);
    }

    // ---------------------------------------------------------------- upload

    /**
     * Uploads {@code file} as {@code <prefix>/<collection>/<fileName>}, streaming from disk. Files of at least the
     * part size go up as a multipart upload with parts sent in parallel; on any failure the multipart upload is
     * aborted. Repeating an upload overwrites the object.
     *
     * @param sha256 hex SHA-256 of the file, stored as object metadata; computed here when null
     */
    public void upload(Path file, String collection, String fileName, String sha256, ProgressListener progress) {
        String key = key(collection, fileName);
        ProgressListener listener = ProgressListener.orNone(progress);
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new OffsiteException("cannot read " + file + " for upload to " + where(key) + ": " + e, e);
        }
        String hash = sha256 == null ? sha256Of(file) : sha256.toLowerCase(Locale.ROOT);
        long started = System.nanoTime();
        if (size < settings.partSizeBytes()) {
            putSingle(file, key, size, hash, listener);
        } else {
            putMultipart(file, key, size, hash, listener);
        }
        LOG.info(
                "uploaded {} ({} bytes) to {} in {} ms",
                file.getFileName(),
                size,
                where(key),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    private void putSingle(Path file, String key, long size, String hash, ProgressListener listener) {
        listener.bytes(0, size);
        try {
            s3().putObject(
                            PutObjectRequest.builder()
                                    .bucket(bucket)
                                    .key(key)
                                    .contentLength(size)
                                    .contentType("application/octet-stream")
                                    .metadata(Map.of(SHA256_METADATA, hash))
                                    .build(),
                            RequestBody.fromFile(file));
        } catch (SdkException e) {
            throw translate("upload", key, e);
        }
        listener.bytes(size, size);
    }

    /** Starts a multipart upload whose object will carry {@code hash} as its sha256 metadata. */
    private String createMultipart(String key, String hash) {
        try {
            return s3().createMultipartUpload(CreateMultipartUploadRequest.builder()
                            .bucket(bucket)
                            .key(key)
                            .contentType("application/octet-stream")
                            .metadata(Map.of(SHA256_METADATA, hash))
                            .build())
                    .uploadId();
        } catch (SdkException e) {
            throw translate("start multipart upload", key, e);
        }
    }

    private void putMultipart(Path file, String key, long size, String hash, ProgressListener listener) {
        long partSize = partSizeFor(size, settings.partSizeBytes());
        int parts = (int) ((size + partSize - 1) / partSize);
        String uploadId = createMultipart(key, hash);
        int threads = Math.min(settings.uploadThreads(), parts);
        ExecutorService pool = Executors.newFixedThreadPool(threads, daemonThreads("s3-upload-"));
        listener.bytes(0, size);
        List<java.util.concurrent.Future<CompletedPart>> futures = new ArrayList<>();
        // Opened outside try-with-resources: that would close it before the catch block has let the
        // parts in flight finish, cutting their bodies short (S3Proxy then keeps a broken part).
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
            pool.shutdownNow();
            abort(key, uploadId, new OffsiteException("cannot read " + file, e));
            throw new OffsiteException("cannot read " + file + " for upload to " + where(key) + ": " + e, e);
        }
        try {
            CompletionService<CompletedPart> cs = new ExecutorCompletionService<>(pool);
            for (int i = 0; i < parts; i++) {
                int partNumber = i + 1;
                long offset = i * partSize;
                long length = Math.min(partSize, size - offset);
                futures.add(cs.submit(() -> uploadPart(channel, key, uploadId, partNumber, offset, length)));
            }
            CompletedPart[] done = new CompletedPart[parts];
            long bytesDone = 0;
            for (int i = 0; i < parts; i++) {
                CompletedPart part = cs.take().get();
                done[part.partNumber() - 1] = part;
                bytesDone += Math.min(partSize, size - (part.partNumber() - 1) * partSize);
                listener.bytes(bytesDone, size);
            }
            s3().completeMultipartUpload(CompleteMultipartUploadRequest.builder()
                    .bucket(bucket)
                    .key(key)
                    .uploadId(uploadId)
                    .multipartUpload(
                            CompletedMultipartUpload.builder().parts(done).build())
                    .build());
        } catch (Throwable t) {
            // Parts not started are dropped; parts in flight are let finish (not interrupted), so that no part
            // lands after the abort (S3 would keep it, and S3Proxy trips over half-written parts).
            futures.forEach(f -> f.cancel(false));
            pool.shutdown();
            awaitQuietly(pool);
            RuntimeException failure = uploadFailure(key, t);
            abort(key, uploadId, failure);
            if (t instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            if (t instanceof Error err && !(t instanceof AssertionError)) {
                throw err;
            }
            throw failure;
        } finally {
            pool.shutdownNow();
            awaitQuietly(pool);
            closeQuietly(channel);
        }
        verifyUploaded(key, size, hash);
    }

    /**
     * Starts a multipart upload of {@code file} while it is still being written (a download in progress): each part
     * goes up as soon as {@link StreamingUpload#written} reports its bytes on disk, with {@code upload-threads} parts
     * in flight. The object is created only by {@link StreamingUpload#complete}, once the whole file was verified to
     * have {@code expectedSha256}; on a mismatch or any failure the multipart upload is aborted.
     */
    public StreamingUpload startStreaming(
            Path file, String collection, String fileName, long size, String expectedSha256) {
        String key = key(collection, fileName);
        String hash = expectedSha256.toLowerCase(Locale.ROOT);
        String uploadId = createMultipart(key, hash);
        return new StreamingUpload(file, key, uploadId, size, partSizeFor(size, settings.partSizeBytes()), hash);
    }

    /** A multipart upload that follows a file being written; see {@link #startStreaming}. */
    public final class StreamingUpload {
        private final Path file;
        private final String key;
        private final String uploadId;
        private final long size;
        private final long partSize;
        private final int parts;
        private final String hash;
        private final ExecutorService pool;
        private final List<java.util.concurrent.Future<CompletedPart>> futures = new ArrayList<>();
        private final long started = System.nanoTime();
        private FileChannel channel;
        private IOException openFailure;
        private boolean closed;

        private StreamingUpload(Path file, String key, String uploadId, long size, long partSize, String hash) {
            this.file = file;
            this.key = key;
            this.uploadId = uploadId;
            this.size = size;
            this.partSize = partSize;
            this.parts = (int) Math.max(1, (size + partSize - 1) / partSize);
            this.hash = hash;
            this.pool = Executors.newFixedThreadPool(
                    Math.min(settings.uploadThreads(), parts), daemonThreads("s3-stream-"));
        }

        public String key() {
            return key;
        }

        /** The first {@code bytes} of the file are on disk: hands every part they complete to the upload threads. */
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
                futures.add(pool.submit(() -> uploadPart(ch, key, uploadId, partNumber, offset, length)));
            }
        }

        /**
         * The whole file was written and hashes to {@code sha256}: waits for the parts, completes the object and
         * checks it. Anything else (a different hash, a missing or failed part) aborts the upload and throws.
         */
        public void complete(String sha256) {
            try {
                if (sha256 == null || !hash.equalsIgnoreCase(sha256)) {
                    throw new OffsiteException("the file's SHA-256 " + sha256 + " is not the expected " + hash
                            + ": upload to " + where(key) + " aborted");
                }
                synchronized (this) {
                    if (openFailure != null) {
                        throw new OffsiteException(
                                "cannot read " + file + " for upload to " + where(key) + ": " + openFailure,
                                openFailure);
                    }
                    if (closed || futures.size() < parts) {
                        throw new OffsiteException("upload to " + where(key) + " is incomplete: " + futures.size()
                                + " of " + parts + " parts were written");
                    }
                    closed = true;
                }
                List<CompletedPart> done = new ArrayList<>();
                for (java.util.concurrent.Future<CompletedPart> f : futures) {
                    done.add(f.get());
                }
                s3().completeMultipartUpload(CompleteMultipartUploadRequest.builder()
                        .bucket(bucket)
                        .key(key)
                        .uploadId(uploadId)
                        .multipartUpload(
                                CompletedMultipartUpload.builder().parts(done).build())
                        .build());
                verifyUploaded(key, size, hash);
                LOG.info(
                        "uploaded {} ({} bytes, {} parts sent during the download) to {} in {} ms",
                        key.substring(key.lastIndexOf('/') + 1),
                        size,
                        parts,
                        where(key),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            } catch (Exception e) {
                RuntimeException failure = e instanceof OffsiteException o ? o : uploadFailure(key, e);
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
        public void abort() {
            abort(new OffsiteException("upload to " + where(key) + " cancelled"));
        }

        private void abort(RuntimeException why) {
            synchronized (this) {
                closed = true;
            }
            release();
            S3Target.this.abort(key, uploadId, why);
        }

        private void release() {
            // Parts not started are dropped; parts in flight finish (cutting a body short leaves S3Proxy and
            // some other stores a broken part that the abort then cannot remove).
            synchronized (this) {
                futures.forEach(f -> f.cancel(false));
            }
            pool.shutdown();
            awaitQuietly(pool);
            synchronized (this) {
                if (channel != null) {
                    closeQuietly(channel);
                    channel = null;
                }
            }
        }
    }

    private CompletedPart uploadPart(
            FileChannel channel, String key, String uploadId, int partNumber, long offset, long length) {
        // A fresh ranged stream per attempt: the SDK may read the body twice (payload signing) or retry.
        RequestBody body = RequestBody.fromContentProvider(
                () -> new FileSliceInputStream(channel, offset, length), length, "application/octet-stream");
        String etag = s3().uploadPart(
                        UploadPartRequest.builder()
                                .bucket(bucket)
                                .key(key)
                                .uploadId(uploadId)
                                .partNumber(partNumber)
                                .contentLength(length)
                                .build(),
                        body)
                .eTag();
        return CompletedPart.builder().partNumber(partNumber).eTag(etag).build();
    }

    private RuntimeException uploadFailure(String key, Throwable t) {
        Throwable cause = t instanceof ExecutionException && t.getCause() != null ? t.getCause() : t;
        if (cause instanceof SdkException sdk) {
            return translate("multipart upload", key, sdk);
        }
        if (cause instanceof InterruptedException) {
            return new OffsiteException(
                    "upload to " + where(key) + " was interrupted; the multipart upload was " + "aborted", cause);
        }
        return new OffsiteException(
                "upload to " + where(key) + " failed: " + scrub(String.valueOf(cause))
                        + "; the multipart upload was aborted",
                cause);
    }

    private void abort(String key, String uploadId, RuntimeException failure) {
        try {
            s3().abortMultipartUpload(AbortMultipartUploadRequest.builder()
                    .bucket(bucket)
                    .key(key)
                    .uploadId(uploadId)
                    .build());
            LOG.warn("aborted multipart upload {} of {}", uploadId, where(key));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                LOG.warn("multipart upload {} of {} is already gone", uploadId, where(key));
                return;
            }
            abortFailed(key, uploadId, failure, e);
        } catch (RuntimeException e) {
            abortFailed(key, uploadId, failure, e);
        }
    }

    private void abortFailed(String key, String uploadId, RuntimeException failure, RuntimeException e) {
        LOG.error(
                "could not abort multipart upload {} of {}: abort it by hand or set a bucket lifecycle rule "
                        + "AbortIncompleteMultipartUpload",
                uploadId,
                where(key));
        failure.addSuppressed(new OffsiteException("could not abort multipart upload " + uploadId + " of "
                + where(key) + " (" + scrub(e.getMessage()) + "): abort it by hand or set a lifecycle rule "
                + "AbortIncompleteMultipartUpload"));
    }

    private void verifyUploaded(String key, long size, String hash) {
        HeadObjectResponse head;
        try {
            head = s3().headObject(
                            HeadObjectRequest.builder().bucket(bucket).key(key).build());
        } catch (SdkException e) {
            throw translate("check uploaded object", key, e);
        }
        String remoteHash = head.metadata().get(SHA256_METADATA);
        if (head.contentLength() == null || head.contentLength() != size || !hash.equalsIgnoreCase(remoteHash)) {
            throw new OffsiteException("uploaded object " + where(key) + " does not match: size " + head.contentLength()
                    + " (expected " + size + "), sha256 metadata " + remoteHash + " (expected " + hash + ")");
        }
    }

    /** Part size grown (in whole MiB) so that the file fits S3's 10,000-part limit. */
    static long partSizeFor(long size, long configured) {
        long partSize = configured;
        if ((size + partSize - 1) / partSize > MAX_PARTS) {
            long needed = (size + MAX_PARTS - 1) / MAX_PARTS;
            partSize = ((needed + OffsiteSettings.MIB - 1) / OffsiteSettings.MIB) * OffsiteSettings.MIB;
        }
        return partSize;
    }

    // ---------------------------------------------------------------- stat / list / delete

    /** HEAD of one object: size, sha256 metadata, last modified; empty when it does not exist. */
    public Optional<RemoteObject> stat(String collection, String fileName) {
        String key = key(collection, fileName);
        try {
            HeadObjectResponse h = s3().headObject(
                            HeadObjectRequest.builder().bucket(bucket).key(key).build());
            return Optional.of(new RemoteObject(
                    key,
                    collection,
                    fileName,
                    h.contentLength(),
                    h.lastModified(),
                    h.metadata().get(SHA256_METADATA)));
        } catch (NoSuchKeyException e) {
            requireBucket(key);
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                requireBucket(key);
                return Optional.empty();
            }
            throw translate("stat", key, e);
        } catch (SdkException e) {
            throw translate("stat", key, e);
        }
    }

    /** HEAD answers 404 without a body for a missing bucket too: tell the two apart. */
    private void requireBucket(String key) {
        try {
            s3().headBucket(HeadBucketRequest.builder().bucket(bucket).build());
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw new OffsiteException(bucketMissing(), e);
            }
            // 403 etc.: HeadBucket may need rights we do not have; the object is simply absent.
        } catch (SdkException e) {
            throw translate("stat", key, e);
        }
    }

    /** All objects under the prefix, or under one collection; follows continuation tokens. */
    public List<RemoteObject> list(String collectionOrNull) {
        String listPrefix = collectionOrNull == null ? base : base + segment("collection", collectionOrNull) + "/";
        List<RemoteObject> out = new ArrayList<>();
        String token = null;
        try {
            do {
                ListObjectsV2Request.Builder req =
                        ListObjectsV2Request.builder().bucket(bucket).prefix(listPrefix);
                if (token != null) {
                    req.continuationToken(token);
                }
                ListObjectsV2Response page = s3().listObjectsV2(req.build());
                for (S3Object o : page.contents()) {
                    String rest = o.key().substring(base.length());
                    int slash = rest.indexOf('/');
                    if (slash <= 0 || slash == rest.length() - 1) {
                        continue; // not <collection>/<file>: probe objects, foreign keys, "directory" markers
                    }
                    out.add(new RemoteObject(
                            o.key(),
                            rest.substring(0, slash),
                            rest.substring(slash + 1),
                            o.size(),
                            o.lastModified(),
                            null));
                }
                token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
            } while (token != null);
        } catch (SdkException e) {
            throw translate("list", listPrefix, e);
        }
        return out;
    }

    /**
     * Deletes the given keys (as returned by {@link #list}) with DeleteObjects in batches of 1,000. Keys outside the
     * prefix are refused. Per-key errors are collected and thrown together ({@link OffsiteException#failedKeys()}).
     */
    public void delete(Collection<String> keys) {
        List<String> all = new ArrayList<>(keys);
        for (String k : all) {
            if (k == null || k.isEmpty() || !k.startsWith(base) || k.length() == base.length()) {
                throw new IllegalArgumentException("refusing to delete key '" + k + "': it is not under the prefix '"
                        + settings.prefix() + "' of bucket " + bucket);
            }
        }
        Map<String, String> errors = new LinkedHashMap<>();
        for (int from = 0; from < all.size(); from += DELETE_BATCH) {
            List<String> batch = all.subList(from, Math.min(all.size(), from + DELETE_BATCH));
            if (!batchDeleteUnsupported) {
                try {
                    deleteBatch(batch, errors);
                    continue;
                } catch (S3Exception e) {
                    if (e.statusCode() != 501) {
                        throw failBatch(batch, e, errors);
                    }
                    // SDK 2.30+ always sends x-amz-checksum-crc32 with DeleteObjects; S3Proxy and some other
                    // S3-compatible stores answer 501 NotImplemented: fall back to one DeleteObject per key.
                    LOG.warn(
                            "{} does not implement DeleteObjects as the SDK sends it ({}); deleting key by key",
                            endpointName(),
                            scrub(e.getMessage()));
                    batchDeleteUnsupported = true;
                } catch (SdkException e) {
                    throw failBatch(batch, e, errors);
                }
            }
            deleteOneByOne(batch, errors);
        }
        if (!errors.isEmpty()) {
            StringBuilder sb = new StringBuilder("could not delete ")
                    .append(errors.size())
                    .append(" of ")
                    .append(all.size())
                    .append(" objects in bucket ")
                    .append(bucket)
                    .append(':');
            errors.entrySet().stream()
                    .limit(10)
                    .forEach(en ->
                            sb.append("\n  ").append(en.getKey()).append(" → ").append(en.getValue()));
            if (errors.size() > 10) {
                sb.append("\n  ... and ").append(errors.size() - 10).append(" more");
            }
            throw new OffsiteException(sb.toString(), null, errors);
        }
    }

    private void deleteBatch(List<String> batch, Map<String, String> errors) {
        List<ObjectIdentifier> ids = batch.stream()
                .map(k -> ObjectIdentifier.builder().key(k).build())
                .toList();
        DeleteObjectsResponse r = s3().deleteObjects(DeleteObjectsRequest.builder()
                .bucket(bucket)
                .delete(Delete.builder().objects(ids).quiet(true).build())
                .build());
        for (S3Error err : r.errors()) {
            errors.put(err.key(), err.code() + ": " + scrub(err.message()));
        }
    }

    private void deleteOneByOne(List<String> batch, Map<String, String> errors) {
        int threads = Math.max(1, settings.uploadThreads());
        ExecutorService pool = Executors.newFixedThreadPool(threads, daemonThreads("s3-delete-"));
        try {
            List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
            Map<String, String> found = new java.util.concurrent.ConcurrentHashMap<>();
            for (String key : batch) {
                futures.add(pool.submit(() -> {
                    try {
                        s3().deleteObject(DeleteObjectRequest.builder()
                                .bucket(bucket)
                                .key(key)
                                .build());
                    } catch (SdkException e) {
                        found.put(key, translate("delete", key, e).getMessage());
                    }
                }));
            }
            for (java.util.concurrent.Future<?> f : futures) {
                f.get();
            }
            batch.stream().filter(found::containsKey).forEach(k -> errors.put(k, found.get(k)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OffsiteException("delete in bucket " + bucket + " was interrupted", e, errors);
        } catch (ExecutionException e) {
            throw new OffsiteException("delete in bucket " + bucket + " failed: " + e.getCause(), e, errors);
        } finally {
            pool.shutdownNow();
        }
    }

    private OffsiteException failBatch(List<String> batch, SdkException e, Map<String, String> errors) {
        OffsiteException t = translate("delete", batch.get(0) + " (batch of " + batch.size() + ")", e);
        batch.forEach(k -> errors.put(k, t.getMessage()));
        return new OffsiteException(t.getMessage(), e, errors);
    }

    // ---------------------------------------------------------------- download

    /**
     * Streams the object to {@code <target>.part} while hashing it, compares with the sha256 metadata when present,
     * then moves it atomically to {@code target}. The part file is removed on any failure.
     */
    public void download(String collection, String fileName, Path target, ProgressListener progress) {
        String key = key(collection, fileName);
        ProgressListener listener = ProgressListener.orNone(progress);
        Path part = target.resolveSibling(target.getFileName() + ".part");
        boolean moved = false;
        try {
            if (target.getParent() != null) {
                Files.createDirectories(target.getParent());
            }
            MessageDigest digest = sha256Digest();
            long total;
            long done = 0;
            String expected;
            try (ResponseInputStream<GetObjectResponse> in = s3().getObject(GetObjectRequest.builder()
                            .bucket(bucket)
                            .key(key)
                            .build());
                    FileChannel out = FileChannel.open(
                            part,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.TRUNCATE_EXISTING,
                            StandardOpenOption.WRITE)) {
                GetObjectResponse resp = in.response();
                total = resp.contentLength() == null ? -1 : resp.contentLength();
                expected = resp.metadata().get(SHA256_METADATA);
                listener.bytes(0, total);
                byte[] buf = new byte[IO_BUFFER];
                long lastReport = 0;
                int n;
                while ((n = in.read(buf)) != -1) {
                    digest.update(buf, 0, n);
                    ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                    while (bb.hasRemaining()) {
                        out.write(bb);
                    }
                    done += n;
                    if (done - lastReport >= 8L * 1024 * 1024) {
                        listener.bytes(done, total);
                        lastReport = done;
                    }
                }
                out.force(true);
            }
            if (total >= 0 && done != total) {
                throw new OffsiteException(
                        "download of " + where(key) + " ended after " + done + " of " + total + " bytes");
            }
            String actual = HexFormat.of().formatHex(digest.digest());
            if (expected != null && !expected.equalsIgnoreCase(actual)) {
                throw new OffsiteException("sha256 mismatch for " + where(key) + ": metadata says " + expected
                        + ", downloaded bytes hash to " + actual + "; the remote copy is damaged or was replaced, "
                        + "nothing was written to " + target);
            }
            if (expected == null) {
                LOG.warn("{} has no sha256 metadata: downloaded without verification", where(key));
            }
            try {
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
            listener.bytes(done, total);
        } catch (NoSuchKeyException e) {
            throw new OffsiteException("object " + where(key) + " does not exist", e);
        } catch (SdkException e) {
            throw translate("download", key, e);
        } catch (IOException e) {
            throw new OffsiteException("download of " + where(key) + " to " + target + " failed: " + e, e);
        } finally {
            if (!moved) {
                try {
                    Files.deleteIfExists(part);
                } catch (IOException e) {
                    LOG.warn("could not delete {}: {}", part, e.toString());
                }
            }
        }
    }

    // ---------------------------------------------------------------- readiness

    /** Puts and deletes a tiny probe object under the prefix; throws an {@link OffsiteException} naming the fix. */
    public void checkWritable() {
        String key = base + PROBE_NAME + UUID.randomUUID();
        try {
            s3().putObject(
                            PutObjectRequest.builder()
                                    .bucket(bucket)
                                    .key(key)
                                    .contentType("text/plain")
                                    .build(),
                            RequestBody.fromString("qdrant-backup write probe " + Instant.now()));
        } catch (SdkException e) {
            throw translate("write probe", key, e);
        }
        try {
            s3().deleteObject(DeleteObjectRequest.builder()
                    .bucket(bucket)
                    .key(key)
                    .build());
        } catch (SdkException e) {
            throw translate("delete probe", key, e);
        }
    }

    @Override
    public void close() {
        if (ownsClient) {
            client.whenComplete((c, failed) -> {
                if (c != null) {
                    c.close();
                }
            });
        }
    }

    // ---------------------------------------------------------------- errors

    private String where(String key) {
        return "s3://" + bucket + "/" + key;
    }

    private String bucketMissing() {
        return "bucket " + bucket + " does not exist at " + endpointName() + ": create it or fix offsite.bucket";
    }

    private String endpointName() {
        return settings.endpoint() != null ? settings.endpoint().toString() : "AWS S3 (" + settings.region() + ")";
    }

    /** Turns an SDK failure into a message naming bucket/key and the likely fix; never contains a credential. */
    OffsiteException translate(String action, String key, SdkException e) {
        String msg;
        if (e instanceof S3Exception s) {
            int status = s.statusCode();
            String code = s.awsErrorDetails() != null ? s.awsErrorDetails().errorCode() : null;
            String detail = "HTTP " + status + (code != null ? " " + code : "");
            if ("NoSuchBucket".equals(code)) {
                msg = bucketMissing();
            } else if ("InvalidAccessKeyId".equals(code)
                    || "SignatureDoesNotMatch".equals(code)
                    || "InvalidToken".equals(code)
                    || "ExpiredToken".equals(code)
                    || "InvalidSecurity".equals(code)
                    || (status == 403 && !"AccessDenied".equals(code))) {
                msg = "S3 refused the credentials (" + detail + ") for " + action + " " + where(key)
                        + ": check offsite.access-key/secret-key or the AWS credential chain";
            } else if (status == 403) {
                msg = "S3 denied " + action + " " + where(key) + " (" + detail + "): check offsite.access-key/"
                        + "secret-key or the AWS credential chain, and that they may read/write/delete under "
                        + "s3://" + bucket + "/" + base;
            } else if (status == 501 || "NotImplemented".equals(code)) {
                msg = "the S3 store at " + endpointName() + " does not implement " + action + " as sent (" + detail
                        + ": "
                        + scrub(
                                s.awsErrorDetails() != null
                                        ? s.awsErrorDetails().errorMessage()
                                        : "")
                        + "): set offsite.checksum-mode=when_required for S3-compatible stores";
            } else if (status == 301
                    || "PermanentRedirect".equals(code)
                    || "AuthorizationHeaderMalformed".equals(code)) {
                msg = "bucket " + bucket + " is not in region " + settings.region() + " (" + detail + ") for " + action
                        + " " + where(key) + ": fix offsite.region";
            } else {
                String text = s.awsErrorDetails() != null ? s.awsErrorDetails().errorMessage() : null;
                if (text == null || text.isBlank()) {
                    text = s.getMessage();
                }
                msg = action + " " + where(key) + " failed: " + detail + ": " + scrub(text);
            }
        } else if (e instanceof SdkClientException
                && e.getMessage() != null
                && e.getMessage().contains("credentials")) {
            msg = "no usable AWS credentials for " + action + " " + where(key) + ": set offsite.access-key/secret-key "
                    + "or configure the AWS credential chain (" + scrub(e.getMessage()) + ")";
        } else {
            msg = "cannot reach S3 at " + endpointName() + " for " + action + " " + where(key) + ": "
                    + scrub(e.getMessage()) + ": check offsite.endpoint and the network";
        }
        return new OffsiteException(msg, e);
    }

    private String scrub(String text) {
        if (text == null) {
            return "";
        }
        String t = text;
        if (settings.secretKey() != null) {
            t = t.replace(settings.secretKey(), "****");
        }
        if (settings.accessKey() != null) {
            t = t.replace(settings.accessKey(), "****");
        }
        return t;
    }

    // ---------------------------------------------------------------- helpers

    private static String segment(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        String v = value.trim();
        while (v.startsWith("/")) {
            v = v.substring(1);
        }
        while (v.endsWith("/")) {
            v = v.substring(0, v.length() - 1);
        }
        if (v.isEmpty() || v.contains("/") || v.contains("\\") || v.equals(".") || v.equals("..")) {
            throw new IllegalArgumentException(what + " '" + value + "' must be one path segment");
        }
        return v;
    }

    static String sha256Of(Path file) {
        MessageDigest d = sha256Digest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[IO_BUFFER];
            int n;
            while ((n = in.read(buf)) != -1) {
                d.update(buf, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hash " + file, e);
        }
        return HexFormat.of().formatHex(d.digest());
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing the upload's file failed", e);
        }
    }

    private static void awaitQuietly(ExecutorService pool) {
        try {
            if (!pool.awaitTermination(2, TimeUnit.MINUTES)) {
                LOG.warn("part uploads still running after abort request");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reads {@code length} bytes from {@code offset} of a shared channel with positional (thread-safe) reads. */
    static final class FileSliceInputStream extends InputStream {
        private final FileChannel channel;
        private final long end;
        private long position;
        private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);

        FileSliceInputStream(FileChannel channel, long offset, long length) {
            this.channel = channel;
            this.position = offset;
            this.end = offset + length;
            buffer.limit(0);
        }

        @Override
        public int read() throws IOException {
            if (!fill()) {
                return -1;
            }
            return buffer.get() & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(len, buffer.remaining());
            buffer.get(b, off, n);
            return n;
        }

        @Override
        public int available() {
            return (int) Math.min(Integer.MAX_VALUE, buffer.remaining() + (end - position));
        }

        private boolean fill() throws IOException {
            if (buffer.hasRemaining()) {
                return true;
            }
            if (position >= end) {
                return false;
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedIOException("part upload cancelled");
            }
            buffer.clear();
            buffer.limit((int) Math.min(buffer.capacity(), end - position));
            int n = channel.read(buffer, position);
            if (n < 0) {
                throw new IOException("file ended early at byte " + position + " (expected " + end
                        + "): was it changed during the upload?");
            }
            position += n;
            buffer.flip();
            return true;
        }
    }
}
