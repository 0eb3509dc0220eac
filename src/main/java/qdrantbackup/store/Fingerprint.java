package qdrantbackup.store;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What a backup's collection held, taken right after its snapshot, so a drill can prove a restore gives the
 * same points and the same search results: a random sample of points with a SHA-256 of each one's vectors and
 * payload, and exact searches with some of those points' own vectors (the top ids and scores).
 *
 * @param taken                when it was taken (ISO-8601 instant)
 * @param seed                 seed of the choice of probe points among the sample (kept for reproducing it)
 * @param changedWhileBackedUp the collection took writes while the snapshot was made: points and probes may
 *                             then differ in a faithful restore, and a drill reports them as such, not as damage
 * @param vector               the vector name the probes search ({@code null}: the default vector)
 * @param points               the sampled points
 * @param probes               the exact searches
 * @param payloadIndexes       the collection's payload indexes: field to data type
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Fingerprint(
        String taken,
        long seed,
        Boolean changedWhileBackedUp,
        String vector,
        List<Point> points,
        List<Probe> probes,
        java.util.Map<String, String> payloadIndexes) {

    /** One sampled point: its id (a number or a UUID) and the SHA-256 of its vectors and payload. */
    public record Point(JsonNode id, String sha256) {}

    /** An exact search with the vector of point {@code id}: the ids and scores found, best first. */
    public record Probe(JsonNode id, int limit, List<Hit> top) {}

    public record Hit(JsonNode id, double score) {}

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean changed() {
        return Boolean.TRUE.equals(changedWhileBackedUp);
    }
}
