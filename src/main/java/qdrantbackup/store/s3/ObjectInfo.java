package qdrantbackup.store.s3;

import java.time.Instant;

/** One object as the bucket describes it. {@code sha256} (user metadata) is null in listings. */
public record ObjectInfo(String key, long size, Instant lastModified, String sha256) {}
