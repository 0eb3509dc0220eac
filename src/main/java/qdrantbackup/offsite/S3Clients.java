package qdrantbackup.offsite;

import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;

/** Builds the synchronous S3 client for {@link OffsiteSettings} (AWS or any S3-compatible store). */
public final class S3Clients {
    private S3Clients() {}

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
