package qdrantbackup.retention;

import java.time.Instant;
import java.util.List;

/**
 * A place where backups are kept (the local archive, an S3 bucket), as expiry sees it: complete
 * backups per collection, and a way to delete one backup with everything that belongs to it.
 */
public interface Place {
    /** For logs and the dry-run print: {@code local} or {@code s3://bucket/prefix}. */
    String name();

    /** Collections that have backups here. */
    List<String> collections();

    /** The complete, verified backups of one collection; anything else is never listed. */
    List<Stored> backups(String collection);

    /** Deletes these backups: each snapshot with its manifest (manifests first). */
    void delete(List<Stored> backups);

    /** One backup in a place. */
    record Stored(String collection, String snapshot, Instant created, long size) {}
}
