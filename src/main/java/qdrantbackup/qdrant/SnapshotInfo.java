package qdrantbackup.qdrant;

/**
 * Qdrant's {@code SnapshotDescription}. {@code checksum} (hex SHA-256) is absent for snapshots on
 * S3 storage and right after a wait=false create, so the downloader always computes its own.
 */
public record SnapshotInfo(String name, String creationTime, long size, String checksum) {
    /** From the JSON Qdrant answers. */
    static SnapshotInfo of(com.fasterxml.jackson.databind.JsonNode n) {
        return new SnapshotInfo(
                n.path("name").asText(),
                n.path("creation_time").asText(null),
                n.path("size").asLong(-1),
                n.hasNonNull("checksum") ? n.path("checksum").asText() : null);
    }
}
