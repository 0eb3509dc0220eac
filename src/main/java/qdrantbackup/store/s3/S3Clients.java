package qdrantbackup.store.s3;

import java.nio.channels.FileChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * Builds the synchronous S3 client for {@link OffsiteSettings} (AWS or any S3-compatible store), and the
 * request body of every upload. What costs CPU per byte (payload signing, chunked encoding, the SDK's
 * checksums, the body's buffer copies) is decided here and nowhere else, so changing it is one line.
 */
public final class S3Clients {
    private S3Clients() {}

    /**
     * Builds the client on a thread of its own: the AWS SDK takes about a second to load, which the start-up
     * of the rest need not wait for; the first call waits for it.
     */
    public static CompletableFuture<S3Client> createInBackground(OffsiteSettings settings) {
        CompletableFuture<S3Client> client = new CompletableFuture<>();
        Thread build = new Thread(
                () -> {
                    try {
                        client.complete(create(settings));
                    } catch (RuntimeException | Error e) {
                        client.completeExceptionally(e);
                    }
                },
                "s3-client-build");
        build.setDaemon(true);
        build.start();
        return client;
    }

    /**
     * The body of an upload: {@code length} bytes from {@code offset} of the file, streamed (never held in
     * memory). A fresh stream per attempt: the SDK may read the body twice (payload signing) or retry.
     */
    static RequestBody fileSlice(FileChannel channel, long offset, long length) {
        return RequestBody.fromContentProvider(
                () -> new FileSliceInputStream(channel, offset, length), length, "application/octet-stream");
    }

    public static S3Client create(OffsiteSettings s) {
        boolean whenSupported = OffsiteSettings.WHEN_SUPPORTED.equals(s.checksumMode());
        S3ClientBuilder b = S3Client.builder()
                .region(Region.of(s.region()))
                .credentialsProvider(credentials(s))
                // The tool verifies SHA-256 itself; many S3-compatible stores (S3Proxy, older MinIO/Ceph)
                // reject the SDK's default x-amz-checksum-* headers, hence WHEN_REQUIRED by default.
                .requestChecksumCalculation(
                        whenSupported
                                ? RequestChecksumCalculation.WHEN_SUPPORTED
                                : RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(
                        whenSupported
                                ? ResponseChecksumValidation.WHEN_SUPPORTED
                                : ResponseChecksumValidation.WHEN_REQUIRED)
                .forcePathStyle(s.pathStyle())
                // Over plain http the SDK signs uploads in aws-chunked encoding, an HMAC per 128 KiB chunk: 5x the
                // CPU of the whole upload (bench/README.md). Unchunked, it hashes each part once and sends it as is.
                .serviceConfiguration(S3Configuration.builder()
                        .chunkedEncodingEnabled(!plainHttp(s))
                        .build())
                .httpClientBuilder(ApacheHttpClient.builder()
                        .maxConnections(Math.max(16, s.uploadThreads() * 2))
                        .connectionTimeout(Duration.ofSeconds(10))
                        .connectionAcquisitionTimeout(Duration.ofSeconds(60))
                        .socketTimeout(Duration.ofSeconds(120))
                        .tcpKeepAlive(true));
        if (s.endpoint() != null) {
            b.endpointOverride(s.endpoint());
        }
        if (plainHttp(s)) {
            b.putAuthScheme(UnsignedPayload.scheme()); // no second SHA-256 of every byte to sign it
        }
        return b.build();
    }

    /** An endpoint override with http:// (S3-compatible stores on a private network, S3Proxy, MinIO). */
    static boolean plainHttp(OffsiteSettings s) {
        return s.endpoint() != null && "http".equalsIgnoreCase(s.endpoint().getScheme());
    }

    static AwsCredentialsProvider credentials(OffsiteSettings s) {
        if (s.hasStaticCredentials()) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(s.accessKey(), s.secretKey()));
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
