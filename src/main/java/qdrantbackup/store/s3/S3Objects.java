package qdrantbackup.store.s3;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qdrantbackup.store.FollowingPut;
import qdrantbackup.transfer.HashingCopy;
import qdrantbackup.transfer.SafeFiles;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The {@link ObjectStore} on S3 itself: one bucket, the SDK's calls, failures translated by {@link S3Errors}.
 * Multipart uploads are {@link ParallelUpload} and {@link FollowingUpload}, deletes {@link BatchDelete}.
 */
public final class S3Objects implements ObjectStore {
    private static final Logger LOG = LoggerFactory.getLogger(S3Objects.class);
    public static final String SHA256_METADATA = "sha256";

    private final CompletableFuture<S3Client> client;
    private final boolean ownsClient;
    private final OffsiteSettings settings;
    private final KeyLayout layout;
    private final S3Errors errors;
    private final MultipartCalls multipart;
    private final BatchDelete deletes;

    private S3Objects(CompletableFuture<S3Client> client, OffsiteSettings settings, boolean ownsClient) {
        this.client = client;
        this.ownsClient = ownsClient;
        this.settings = settings;
        this.layout = new KeyLayout(settings.prefix());
        this.errors = new S3Errors(settings);
        this.multipart = new MultipartCalls(this::s3, errors, settings);
        this.deletes = new BatchDelete(this::s3, multipart);
    }

    @Override
    public void recordUploadsIn(Path stateDir) {
        multipart.recordIn(new UploadRecords(stateDir));
    }

    @Override
    public int abortAbandoned(java.time.Duration unexplainedAfter) {
        try {
            return new AbandonedUploads(this::s3, multipart, layout.prefix().isEmpty() ? "" : layout.prefix() + "/")
                    .abort(unexplainedAfter, java.time.Instant.now());
        } catch (software.amazon.awssdk.core.exception.SdkException e) {
            throw errors.translate("list open multipart uploads", layout.prefix() + "/", e);
        }
    }

    /** Builds its own client from the settings (in the background) and closes it in {@link #close()}. */
    public static S3Objects create(OffsiteSettings settings) {
        return new S3Objects(S3Clients.createInBackground(settings), settings, true);
    }

    /** Uses the given client; the caller closes it. */
    public static S3Objects using(S3Client s3, OffsiteSettings settings) {
        return new S3Objects(CompletableFuture.completedFuture(s3), settings, false);
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

    @Override
    public long partSize() {
        return settings.partSizeBytes();
    }

    @Override
    public void put(String key, Path file, String sha256, ProgressListener progress) {
        ProgressListener listener = ProgressListener.orNone(progress);
        long size;
        String hash;
        try {
            size = Files.size(file);
            hash = sha256 == null ? HashingCopy.sha256(file) : sha256.toLowerCase(Locale.ROOT);
        } catch (IOException e) {
            throw new OffsiteException("cannot read " + file + " for upload to " + errors.where(key) + ": " + e, e);
        }
        long started = System.nanoTime();
        if (size < settings.partSizeBytes()) {
            if (sha256 != null) {
                FileCheck.matches(file, hash, key); // small: read twice, before anything is sent
            }
            putSingle(file, key, size, hash, listener);
        } else {
            // a recorded hash is not trusted: the file is read again beside the parts, before the object completes
            new ParallelUpload(multipart).put(file, key, size, hash, listener, sha256 != null);
        }
        LOG.info(
                "uploaded {} ({} bytes) to {} in {} ms",
                file.getFileName(),
                size,
                errors.where(key),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    private void putSingle(Path file, String key, long size, String hash, ProgressListener listener) {
        listener.bytes(0, size);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            putObject(key, "application/octet-stream", hash, S3Clients.fileSlice(channel, 0, size), size, "upload");
        } catch (IOException e) {
            throw new OffsiteException("cannot read " + file + " for upload to " + errors.where(key) + ": " + e, e);
        }
        listener.bytes(size, size);
    }

    @Override
    public void put(String key, byte[] content) {
        String hash = HashingCopy.sha256(content);
        putObject(key, "application/json", hash, RequestBody.fromBytes(content), content.length, "upload");
    }

    private void putObject(String key, String type, String hash, RequestBody body, long size, String action) {
        try {
            s3().putObject(
                            b -> b.bucket(settings.bucket())
                                    .key(key)
                                    .contentLength(size)
                                    .contentType(type)
                                    .metadata(hash == null ? Map.of() : Map.of(SHA256_METADATA, hash)),
                            body);
        } catch (SdkException e) {
            throw errors.translate(action, key, e);
        }
    }

    @Override
    public FollowingPut follow(String key, Path file, long size, String sha256) {
        return new FollowingUpload(multipart, file, key, size, sha256);
    }

    @Override
    public HashingCopy.Result readThrough(String key) {
        try (ResponseInputStream<GetObjectResponse> in =
                s3().getObject(b -> b.bucket(settings.bucket()).key(key))) {
            java.security.MessageDigest sha = HashingCopy.sha256();
            byte[] buffer = new byte[1 << 20];
            long size = 0;
            int n;
            while ((n = in.read(buffer)) > 0) {
                sha.update(buffer, 0, n);
                size += n;
            }
            return new HashingCopy.Result(size, java.util.HexFormat.of().formatHex(sha.digest()));
        } catch (NoSuchKeyException e) {
            throw new OffsiteException.Missing("object " + errors.where(key) + " does not exist", e);
        } catch (SdkException e) {
            throw errors.translate("read back", key, e);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new OffsiteException("read-back of " + errors.where(key) + " failed: " + e, e);
        }
    }

    @Override
    public HashingCopy.Result get(
            String key, Path target, long expectedSize, String expectedSha256, ProgressListener progress) {
        ProgressListener listener = ProgressListener.orNone(progress);
        Path part = target.resolveSibling(target.getFileName() + SafeFiles.PART);
        boolean committed = false;
        try {
            if (target.toAbsolutePath().getParent() != null) {
                SafeFiles.createPrivateDirectories(target.toAbsolutePath().getParent());
            }
            SafeFiles.createPrivateFile(part);
            HashingCopy.Result got;
            long total;
            String metadata;
            try (ResponseInputStream<GetObjectResponse> in =
                    s3().getObject(b -> b.bucket(settings.bucket()).key(key))) {
                total = in.response().contentLength() == null
                        ? -1
                        : in.response().contentLength();
                metadata = in.response().metadata().get(SHA256_METADATA);
                listener.bytes(0, total);
                got = HashingCopy.copy(in, part, total, null, done -> listener.bytes(done, total));
            }
            if (total >= 0 && got.size() != total) {
                throw new OffsiteException(
                        "download of " + errors.where(key) + " ended after " + got.size() + " of " + total + " bytes");
            }
            check(key, target, got, "metadata says " + metadata, metadata != null, metadata);
            check(key, target, got, "the manifest says " + expectedSha256, expectedSha256 != null, expectedSha256);
            if (expectedSize >= 0 && got.size() != expectedSize) {
                throw new OffsiteException("size mismatch for " + errors.where(key) + ": the manifest says "
                        + expectedSize + " bytes, " + got.size() + " arrived; nothing was written to " + target);
            }
            if (metadata == null && expectedSha256 == null) {
                LOG.warn("{} has no sha256 metadata: downloaded without verification", errors.where(key));
            }
            SafeFiles.commit(part, target);
            committed = true;
            return got;
        } catch (NoSuchKeyException e) {
            throw new OffsiteException("object " + errors.where(key) + " does not exist", e);
        } catch (SdkException e) {
            throw errors.translate("download", key, e);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new OffsiteException("download of " + errors.where(key) + " to " + target + " failed: " + e, e);
        } finally {
            if (!committed) {
                SafeFiles.deleteQuietly(part);
            }
        }
    }

    private void check(String key, Path target, HashingCopy.Result got, String says, boolean known, String sha) {
        if (known && !sha.equalsIgnoreCase(got.sha256())) {
            throw new OffsiteException("sha256 mismatch for " + errors.where(key) + ": " + says
                    + ", downloaded bytes hash to " + got.sha256() + "; the remote copy is damaged or was replaced, "
                    + "nothing was written to " + target);
        }
    }

    @Override
    public Optional<byte[]> read(String key, long maxBytes) {
        try (InputStream in = s3().getObject(b -> b.bucket(settings.bucket()).key(key))) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            return bytes.length > maxBytes ? Optional.empty() : Optional.of(bytes);
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw errors.translate("download", key, e);
        } catch (IOException e) {
            throw new OffsiteException("download of " + errors.where(key) + " failed: " + e, e);
        }
    }

    @Override
    public Optional<ObjectInfo> stat(String key) {
        try {
            HeadObjectResponse h =
                    s3().headObject(b -> b.bucket(settings.bucket()).key(key));
            return Optional.of(new ObjectInfo(
                    key, h.contentLength(), h.lastModified(), h.metadata().get(SHA256_METADATA)));
        } catch (S3Exception e) {
            if (e instanceof NoSuchKeyException || e.statusCode() == 404) {
                requireBucket(key);
                return Optional.empty();
            }
            throw errors.translate("stat", key, e);
        } catch (SdkException e) {
            throw errors.translate("stat", key, e);
        }
    }

    /** HEAD answers 404 without a body for a missing bucket too: tell the two apart. */
    private void requireBucket(String key) {
        try {
            s3().headBucket(b -> b.bucket(settings.bucket()));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw new OffsiteException(errors.bucketMissing(), e);
            }
            // 403 etc.: HeadBucket may need rights we do not have; the object is simply absent.
        } catch (SdkException e) {
            throw errors.translate("stat", key, e);
        }
    }

    @Override
    public List<ObjectInfo> list(String prefix) {
        List<ObjectInfo> out = new ArrayList<>();
        String token = null;
        try {
            do {
                ListObjectsV2Request.Builder req =
                        ListObjectsV2Request.builder().bucket(settings.bucket()).prefix(prefix);
                if (token != null) {
                    req.continuationToken(token);
                }
                ListObjectsV2Response page = s3().listObjectsV2(req.build());
                for (S3Object o : page.contents()) {
                    out.add(new ObjectInfo(o.key(), o.size(), o.lastModified(), null));
                }
                token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
            } while (token != null);
        } catch (SdkException e) {
            throw errors.translate("list", prefix, e);
        }
        return out;
    }

    /** Refuses every key outside the prefix before deleting any; see {@link BatchDelete}. */
    @Override
    public void delete(Collection<String> keys) {
        for (String k : keys) {
            if (!layout.holds(k)) {
                throw new IllegalArgumentException("refusing to delete key '" + k + "': it is not under the prefix '"
                        + settings.prefix() + "' of bucket " + settings.bucket());
            }
        }
        deletes.delete(keys);
    }

    @Override
    public void checkWritable() {
        String key = layout.probeKey();
        byte[] probe = ("qdrant-backup write probe " + Instant.now()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        putObject(key, "text/plain", null, RequestBody.fromBytes(probe), probe.length, "write probe");
        try {
            s3().deleteObject(b -> b.bucket(settings.bucket()).key(key));
        } catch (SdkException e) {
            throw errors.translate("delete probe", key, e);
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
}
