package qdrantbackup.backup;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qdrantbackup.qdrant.PointHash;
import qdrantbackup.qdrant.PointsApi;
import qdrantbackup.qdrant.QdrantClient;
import qdrantbackup.store.Fingerprint;

/**
 * Takes a backup's {@link Fingerprint} right after its snapshot: Qdrant's random sample of points (the ids are
 * recorded, so the sample need not be reproducible), hashed; then, for points chosen from the sample by a
 * recorded seed, an exact search with the point's own vector. A failure here never fails the backup.
 */
public final class Fingerprinting {
    private static final Logger LOG = LoggerFactory.getLogger(Fingerprinting.class);
    /** Hits kept per probe: recall@10 is what a drill measures. */
    public static final int TOP = 10;

    private final PointsApi points;
    private final QdrantClient qdrant;
    private final int sampleSize;
    private final int probes;
    private final Clock clock;

    public Fingerprinting(QdrantClient qdrant, int sampleSize, int probes, Clock clock) {
        this.qdrant = qdrant;
        this.points = new PointsApi(qdrant);
        this.sampleSize = sampleSize;
        this.probes = probes;
        this.clock = clock;
    }

    /**
     * The fingerprint of {@code collection}, or null when switched off or when it could not be taken (logged once).
     *
     * @param changed whether the counts before and after the snapshot differed (null: unknown)
     */
    public Fingerprint take(String collection, JsonNode config, Long before, Boolean changed) {
        if (sampleSize <= 0) {
            return null;
        }
        try {
            return sample(collection, config, before, changed);
        } catch (RuntimeException e) {
            LOG.warn(
                    "{}: no fingerprint taken ({}): the backup is kept without one, and a drill of it checks the"
                            + " count, config and search but not the points themselves",
                    collection,
                    e.getMessage());
            return null;
        }
    }

    private Fingerprint sample(String collection, JsonNode config, Long before, Boolean changed) {
        String taken = clock.instant().toString();
        List<JsonNode> sample = points.sample(collection, sampleSize);
        List<Fingerprint.Point> hashed = new ArrayList<>();
        sample.forEach(p -> hashed.add(new Fingerprint.Point(p.get("id"), PointHash.of(p))));
        long seed = new SecureRandom().nextLong();
        List<JsonNode> chosen = new ArrayList<>(sample);
        Collections.shuffle(chosen, new Random(seed));
        String using = probeVector(config);
        List<Fingerprint.Probe> done = new ArrayList<>();
        for (JsonNode p : chosen) {
            if (done.size() >= probes || using == null && !denseDefault(config)) {
                break;
            }
            JsonNode vector =
                    using == null ? p.path("vector") : p.path("vector").path(using);
            if (!vector.isArray() || vector.isEmpty() || !vector.get(0).isNumber()) {
                continue;
            }
            List<Fingerprint.Hit> top = new ArrayList<>();
            points.nearest(collection, vector, using, TOP, true)
                    .forEach(h -> top.add(new Fingerprint.Hit(h.id(), h.score())));
            done.add(new Fingerprint.Probe(p.get("id"), TOP, top));
        }
        // writes after the count that followed the snapshot still make the sample differ from it
        boolean moved = Boolean.TRUE.equals(changed) || before != null && before != qdrant.countPoints(collection);
        LOG.debug("{}: fingerprint of {} points and {} probes", collection, hashed.size(), done.size());
        return new Fingerprint(taken, seed, moved ? Boolean.TRUE : null, using, hashed, done, indexes(collection));
    }

    /** Field to data type of each payload index ({@code payload_schema} of the collection's info). */
    private java.util.Map<String, String> indexes(String collection) {
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        qdrant.collectionInfo(collection)
                .map(i -> i.path("payload_schema"))
                .ifPresent(schema -> schema.fields()
                        .forEachRemaining(e -> out.put(
                                e.getKey(), e.getValue().path("data_type").asText())));
        return out;
    }

    /** The name of the first named dense vector; null for the default (unnamed) vector or none. */
    static String probeVector(JsonNode config) {
        JsonNode vectors = config == null ? null : config.path("params").path("vectors");
        if (vectors == null || !vectors.isObject() || vectors.has("size")) {
            return null;
        }
        var names = vectors.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            if (vectors.get(n).has("size")) {
                return n;
            }
        }
        return null;
    }

    private static boolean denseDefault(JsonNode config) {
        return config != null && config.path("params").path("vectors").has("size");
    }
}
