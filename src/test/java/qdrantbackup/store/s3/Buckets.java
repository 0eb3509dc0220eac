package qdrantbackup.store.s3;

import qdrantbackup.config.Settings;

/** Offsite settings for tests: the declared defaults (region, checksum mode, part size, threads). */
public final class Buckets {
    private Buckets() {}

    /** The bucket and prefix, everything else as the settings' defaults (AWS, default credential chain). */
    public static OffsiteSettings settings(String bucket, String prefix) {
        Settings d = Settings.defaults();
        return new OffsiteSettings(
                bucket,
                prefix,
                d.string("offsite.region"),
                null,
                false,
                null,
                null,
                d.string("offsite.checksum-mode"),
                d.bytes("offsite.part-size"),
                d.integer("offsite.upload-threads"));
    }
}
