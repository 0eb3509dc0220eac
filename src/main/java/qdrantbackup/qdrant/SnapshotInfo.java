package qdrantbackup.qdrant;

/**
 * Qdrant's {@code SnapshotDescription}. {@code checksum} (hex SHA-256) is absent for snapshots on
 * S3 storage and right after a wait=false create, so the downloader always computes its own.
 */
public record SnapshotInfo(String name, String creationTime, long size, String checksum) {}
