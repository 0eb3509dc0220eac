package qdrantbackup.offsite;

import java.net.URI;
import java.util.Locale;
import qdrantbackup.config.SettingCatalogue;
import qdrantbackup.config.Settings;

/**
 * Where and how to ship backups offsite.
 *
 * @param bucket        S3 bucket (required)
 * @param prefix        key prefix, may be empty; slashes are normalised
 * @param region        AWS region (default us-east-1)
 * @param endpoint      endpoint override for S3-compatible stores, or null for AWS
 * @param pathStyle     path-style addressing (needed by most S3-compatible stores)
 * @param accessKey     static access key, or null to use the AWS default credential chain
 * @param secretKey     static secret key, or null to use the AWS default credential chain
 * @param checksumMode  {@code when_required} (default) or {@code when_supported}
 * @param partSizeBytes multipart part size (default 16 MiB, at least 5 MiB)
 * @param uploadThreads parallel part uploads (default 4)
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
    // the defaults and the minimum are declared once, in SettingCatalogue
    public static final long DEFAULT_PART_SIZE = Settings.defaults().bytes("offsite.part-size");
    public static final long MIN_PART_SIZE =
            SettingCatalogue.get("offsite.part-size").min();
    public static final int DEFAULT_UPLOAD_THREADS = Settings.defaults().integer("offsite.upload-threads");
    private static final String DEFAULT_REGION = Settings.defaults().string("offsite.region");
    public static final String WHEN_REQUIRED = "when_required";
    public static final String WHEN_SUPPORTED = "when_supported";

    public OffsiteSettings {
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("offsite.bucket is required");
        }
        bucket = bucket.trim();
        prefix = normalisePrefix(prefix);
        region = region == null || region.isBlank() ? DEFAULT_REGION : region.trim();
        accessKey = blankToNull(accessKey);
        secretKey = blankToNull(secretKey);
        checksumMode = normaliseChecksumMode(checksumMode);
        partSizeBytes = partSizeBytes <= 0 ? DEFAULT_PART_SIZE : partSizeBytes;
        if (partSizeBytes < MIN_PART_SIZE) {
            throw new IllegalArgumentException(
                    "offsite.part-size must be at least 5 MiB (the S3 minimum), got " + partSizeBytes + " bytes");
        }
        uploadThreads = uploadThreads <= 0 ? DEFAULT_UPLOAD_THREADS : uploadThreads;
    }

    /** Defaults for everything but bucket and prefix (AWS, default credential chain). */
    public static OffsiteSettings of(String bucket, String prefix) {
        return new OffsiteSettings(bucket, prefix, null, null, false, null, null, null, 0, 0);
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

    static String normalisePrefix(String prefix) {
        if (prefix == null) {
            return "";
        }
        String p = prefix.trim().replace('\\', '/').replaceAll("/{2,}", "/");
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    private static String normaliseChecksumMode(String mode) {
        if (mode == null || mode.isBlank()) {
            return Settings.defaults().string("offsite.checksum-mode");
        }
        String m = mode.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        if (!m.equals(WHEN_REQUIRED) && !m.equals(WHEN_SUPPORTED)) {
            throw new IllegalArgumentException(
                    "offsite.checksum-mode must be when_required or when_supported, got '" + mode + "'");
        }
        return m;
    }
}
