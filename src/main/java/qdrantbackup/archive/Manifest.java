package qdrantbackup.archive;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;

/**
 * What a backup is, written beside its snapshot as {@code <snapshot>.json}: enough to verify the
 * file and to restore it faithfully on another machine (aliases are not inside Qdrant snapshots).
 *
 * @param kind          {@code collection}, or {@code full} for a full-storage snapshot
 * @param created       when Qdrant made the snapshot (ISO-8601 instant, UTC)
 * @param pointCount    exact point count when the snapshot was made (null for full-storage snapshots)
 * @param config        the collection's config ({@code GET /collections/{c}} → config)
 * @param aliases       alias name to collection name, for the aliases that pointed at it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Manifest(
        String collection,
        String snapshot,
        String kind,
        long size,
        String sha256,
        String created,
        String qdrantVersion,
        Long pointCount,
        JsonNode config,
        Map<String, String> aliases,
        String tool) {

    public static final String COLLECTION = "collection";
    public static final String FULL = "full";

    public Instant createdAt() {
        return Instant.parse(created);
    }

    public String fileName() {
        return snapshot + ".json";
    }
}
