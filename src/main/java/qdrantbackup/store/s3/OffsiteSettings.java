package qdrantbackup.store.s3;

import java.net.URI;
import java.util.Locale;

/**
 * Where and how to ship backups offsite. The defaults are the settings' (declared once, in the config
 * package); this record only refuses what S3 cannot do.
 *
 * @param bucket        S3 bucket (required)
 * @param prefix        key prefix, may be empty; slashes are normalised
 * @param region        AWS region
 * @param endpoint      endpoint override for S3-compatible stores, or null for AWS
 * @param pathStyle     path-style addressing (needed by most S3-compatible stores)
 * @param accessKey     static access key, or null to use the AWS default credential chain
 * @param secretKey     static secret key, or null to use the AWS default credential chain
 * @param checksumMode  {@code when_required} or {@code when_supported}
 * @param partSizeBytes multipart part size, at least 5 MiB
 * @param uploadThreads parallel part uploads, at least 1
 */
public record OffsiteSettings(
        String bucket,
        String prefix,
        String region,
        URI endpoint,
        boolean pathStyle,
        String accessKey,
        String secretKey,
        String checksumMode,
        long partSizeBytes,
        int uploadThreads) {

    public static final long MIB = 1024L * 1024L;
    /** S3's smallest part (all but the last). */
    public static final long MIN_PART_SIZE = 5 * MIB;

    public static final String WHEN_REQUIRED = "when_required";
    public static final String WHEN_SUPPORTED = "when_supported";

    public OffsiteSettings {
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("offsite.bucket is required");
        }
        bucket = bucket.trim();
        prefix = KeyLayout.normalisePrefix(prefix);
        if (region == null || region.isBlank()) {
            throw new IllegalArgumentException("offsite.region is required");
        }
        region = region.trim();
        accessKey = blankToNull(accessKey);
        secretKey = blankToNull(secretKey);
        checksumMode = normaliseChecksumMode(checksumMode);
        if (partSizeBytes < MIN_PART_SIZE) {
            throw new IllegalArgumentException(
                    "offsite.part-size must be at least 5 MiB (the S3 minimum), got " + partSizeBytes + " bytes");
        }
        if (uploadThreads < 1) {
            throw new IllegalArgumentException("offsite.upload-threads must be at least 1, got " + uploadThreads);
        }
    }

    public OffsiteSettings withEndpoint(URI endpoint, boolean pathStyle) {
        return new OffsiteSettings(
                bucket,
                prefix,
                region,
                endpoint,
                pathStyle,
                accessKey,
                secretKey,
                checksumMode,
                partSizeBytes,
                uploadThreads);
    }

    public OffsiteSettings withCredentials(String accessKey, String secretKey) {
        return new OffsiteSettings(
                bucket,
                prefix,
                region,
                endpoint,
                pathStyle,
                accessKey,
                secretKey,
                checksumMode,
                partSizeBytes,
                uploadThreads);
    }

    public OffsiteSettings withUpload(long partSizeBytes, int uploadThreads) {
        return new OffsiteSettings(
                bucket,
                prefix,
                region,
                endpoint,
                pathStyle,
                accessKey,
                secretKey,
                checksumMode,
                partSizeBytes,
                uploadThreads);
    }

    public OffsiteSettings withBucket(String bucket) {
        return new OffsiteSettings(
                bucket,
                prefix,
                region,
                endpoint,
                pathStyle,
                accessKey,
                secretKey,
                checksumMode,
                partSizeBytes,
                uploadThreads);
    }

    public OffsiteSettings withChecksumMode(String checksumMode) {
        return new OffsiteSettings(
                bucket,
                prefix,
                region,
                endpoint,
                pathStyle,
                accessKey,
                secretKey,
                checksumMode,
                partSizeBytes,
                uploadThreads);
    }

    public boolean hasStaticCredentials() {
        return accessKey != null && secretKey != null;
    }

    @Override
    public String toString() {
        return "OffsiteSettings[bucket=" + bucket + ", prefix=" + prefix + ", region=" + region
                + ", endpoint=" + endpoint + ", pathStyle=" + pathStyle
                + ", accessKey=" + mask(accessKey) + ", secretKey=" + mask(secretKey)
                + ", checksumMode=" + checksumMode + ", partSizeBytes=" + partSizeBytes
                + ", uploadThreads=" + uploadThreads + "]";
    }

    private static String mask(String value) {
        return value == null ? "<default chain>" : "****";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static String normaliseChecksumMode(String mode) {
        String m = String.valueOf(mode).trim().toLowerCase(Locale.ROOT).replace('-', '_');
        if (!m.equals(WHEN_REQUIRED) && !m.equals(WHEN_SUPPORTED)) {
            throw new IllegalArgumentException(
                    "offsite.checksum-mode must be when_required or when_supported, got '" + mode + "'");
        }
        return m;
    }
}
