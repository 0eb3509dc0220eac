package qdrantbackup.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.domain.MultipartPart;
import org.jclouds.blobstore.domain.MultipartUpload;
import org.jclouds.blobstore.util.ForwardingBlobStore;
import org.jclouds.io.Payload;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * S3Proxy 2.6.0 in-process on a free loopback port, filesystem-nio2 back end in a temp folder, AWS v2/v4 auth,
 * one bucket created. Faults on cue: {@link #failPartsFrom(int)} makes multipart part uploads answer 500,
 * {@link #stop()} takes the server away, and a wrong bucket/secret comes from the caller.
 */
public final class S3Server implements AutoCloseable {
    private final Path baseDir;
    private final String bucket;
    private final String accessKey = "AKTEST"
            + UUID.randomUUID().toString().replace("-", "").substring(0, 14).toUpperCase();
    private final String secretKey = "secret-" + UUID.randomUUID();
    private final BlobStoreContext context;
    private final FaultyBlobStore blobStore;
    private final S3Proxy proxy;
    private final URI endpoint;
    private final S3Client client;
    private boolean running;

    private S3Server(String bucket, boolean ignoreUnknownHeaders) throws Exception {
        this.bucket = bucket;
        this.baseDir = Files.createTempDirectory("s3proxy-");
        Properties props = new Properties();
        props.setProperty("jclouds.filesystem.basedir", baseDir.toString());
        this.context = ContextBuilder.newBuilder("filesystem-nio2")
                .credentials("local", "local") // jclouds wants an identity; unused by the local back end
                .overrides(props)
                .buildView(BlobStoreContext.class);
        this.blobStore = new FaultyBlobStore(context.getBlobStore());
        this.proxy = S3Proxy.builder()
                .blobStore(blobStore)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                .ignoreUnknownHeaders(ignoreUnknownHeaders)
                .build();
        proxy.start();
        this.running = true;
        this.endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
        this.client = S3Client.builder()
                .endpointOverride(endpoint)
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
        client.createBucket(CreateBucketRequest.builder().bucket(bucket).build());
    }

    public static S3Server start() {
        return start("backups");
    }

    public static S3Server start(String bucket) {
        return start(bucket, false);
    }

    /**
     * @param ignoreUnknownHeaders true lets S3Proxy accept the SDK's x-amz-checksum-* headers (it ignores them), so
     *                             DeleteObjects works as it does on AWS; false behaves as S3Proxy does by default
     */
    public static S3Server start(String bucket, boolean ignoreUnknownHeaders) {
        try {
            return new S3Server(bucket, ignoreUnknownHeaders);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot start S3Proxy", e);
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    public String bucket() {
        return bucket;
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    public String region() {
        return "us-east-1";
    }

    /** An S3 client for assertions (path style, when_required checksums). */
    public S3Client client() {
        return client;
    }

    /** The folder holding the bucket's files on disk. */
    public Path bucketDir() {
        return baseDir.resolve(bucket);
    }

    /** All regular files under the bucket's folder, relative, with '/' separators. */
    public List<String> storedFiles() {
        Path dir = bucketDir();
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile)
                    .map(p -> dir.relativize(p).toString().replace('\\', '/'))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<String> keys(String prefix) {
        List<String> out = new ArrayList<>();
        String token = null;
        do {
            ListObjectsV2Response page = client.listObjectsV2(ListObjectsV2Request.builder()
                    .bucket(bucket)
                    .prefix(prefix)
                    .continuationToken(token)
                    .build());
            page.contents().stream().map(S3Object::key).forEach(out::add);
            token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
        } while (token != null);
        return out;
    }

    public byte[] bytes(String key) {
        return client.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    }

    public Map<String, String> metadata(String key) {
        return client.headObject(
                        HeadObjectRequest.builder().bucket(bucket).key(key).build())
                .metadata();
    }

    /** Open multipart uploads as "key uploadId", through the S3 API. */
    public List<String> listMultipartUploads() {
        return client
                .listMultipartUploads(
                        ListMultipartUploadsRequest.builder().bucket(bucket).build())
                .uploads()
                .stream()
                .map(u -> u.key() + " " + u.uploadId())
                .toList();
    }

    /** Open multipart uploads as the back end sees them (bypasses S3Proxy's HTTP layer). */
    public List<String> backendMultipartUploads() {
        return blobStore.listMultipartUploads(bucket).stream()
                .map(u -> u.blobName() + " " + u.id())
                .toList();
    }

    /** From now on every upload of a part with number &gt;= partNumber fails with a server error (0 = never). */
    public void failPartsFrom(int partNumber) {
        blobStore.failFromPart = partNumber;
    }

    /** Multi-object delete calls that reached the back end. */
    public int batchDeletesSeen() {
        return blobStore.removeBlobsCalls.get();
    }

    /** Part uploads that reached the back end (successful or failed). */
    public int partUploadsSeen() {
        return blobStore.partCalls.get();
    }

    /** The tool's offsite.* settings pointing at this server, with {@code prefix} as the key prefix. */
    public java.util.Map<String, String> settings(String prefix) {
        java.util.Map<String, String> o = new java.util.LinkedHashMap<>();
        o.put("offsite.bucket", bucket());
        o.put("offsite.prefix", prefix);
        o.put("offsite.endpoint", endpoint().toString());
        o.put("offsite.region", region());
        o.put("offsite.access-key", accessKey());
        o.put("offsite.secret-key", secretKey());
        return o;
    }

    /** Stops the server: every further request fails to connect. */
    public void stop() {
        if (running) {
            try {
                proxy.stop();
            } catch (Exception e) {
                throw new IllegalStateException("cannot stop S3Proxy", e);
            }
            running = false;
        }
    }

    @Override
    public void close() {
        client.close();
        stop();
        context.close();
        try (Stream<Path> s = Files.walk(baseDir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // temp folder; best effort
        }
    }

    private static final class FaultyBlobStore extends ForwardingBlobStore {
        volatile int failFromPart;
        final AtomicInteger partCalls = new AtomicInteger();
        final AtomicInteger removeBlobsCalls = new AtomicInteger();

        FaultyBlobStore(BlobStore delegate) {
            super(delegate);
        }

        @Override
        public MultipartPart uploadMultipartPart(MultipartUpload mpu, int partNumber, Payload payload) {
            partCalls.incrementAndGet();
            int from = failFromPart;
            if (from > 0 && partNumber >= from) {
                throw new IllegalStateException("injected failure for part " + partNumber);
            }
            return super.uploadMultipartPart(mpu, partNumber, payload);
        }

        @Override
        public void removeBlobs(String container, Iterable<String> names) {
            removeBlobsCalls.incrementAndGet();
            super.removeBlobs(container, names);
        }
    }
}
