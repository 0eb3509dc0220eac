package qdrantbackup.store.s3;

import java.time.Instant;

/** One object of the offsite store. {@code sha256} is null in listings (S3 does not list metadata). */
public record RemoteObject(
        String key, String collection, String fileName, long size, Instant lastModified, String sha256) {}
