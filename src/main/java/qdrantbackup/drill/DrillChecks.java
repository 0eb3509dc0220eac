package qdrantbackup.drill;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import qdrantbackup.drill.DrillReport.Result;
import qdrantbackup.qdrant.PointHash;
import qdrantbackup.qdrant.PointsApi;
import qdrantbackup.qdrant.QdrantClient;
import qdrantbackup.store.Fingerprint;
import qdrantbackup.store.Manifest;

/**
 * Compares a restored scratch collection with its backup's manifest. Differences in points or searches of a
 * backup whose collection took writes meanwhile are reported as changed while backed up, never as damage.
 */
final class DrillChecks {
    /** Scores are f32: a faithful restore gives them within this (relative) tolerance. */
    static final double SCORE_TOLERANCE = 1e-4;

    private final QdrantClient qdrant;
    private final PointsApi points;
    private final double minRecall;

    DrillChecks(QdrantClient qdrant, double minRecall) {
        this.qdrant = qdrant;
        this.points = new PointsApi(qdrant);
        this.minRecall = minRecall;
    }

    void run(Manifest m, String scratch, DrillReport r) {
        JsonNode info = qdrant.collectionInfo(scratch)
                .orElseThrow(() -> new IllegalStateException("scratch collection " + scratch + " is gone"));
        count(m, scratch, r);
        config(m, info, r);
        Fingerprint f = m.fingerprint();
        if (f == null) {
            r.check("points", Result.SKIPPED, "the manifest has no fingerprint (taken before fingerprints existed)");
            return;
        }
        indexes(f, info, r);
        Map<String, JsonNode> restored = points(f, scratch, r);
        probes(f, scratch, restored, r);
    }

    private void count(Manifest m, String scratch, DrillReport r) {
        long n = qdrant.countPoints(scratch);
        if (m.pointCount() == null) {
            r.check("count", Result.SKIPPED, n + " points; the manifest records no count");
        } else if (m.exactCount()) {
            r.check(
                    "count",
                    n == m.pointCount() ? Result.OK : Result.FAILED,
                    n + " points, the manifest records " + m.pointCount());
        } else {
            long lo = Math.min(m.pointCount(), m.pointCountAfter());
            long hi = Math.max(m.pointCount(), m.pointCountAfter());
            r.check(
                    "count",
                    n >= lo && n <= hi ? Result.CHANGED_WHILE_BACKED_UP : Result.FAILED,
                    n + " points; the collection took writes while backed up: between " + lo + " and " + hi);
        }
    }

    private static void config(Manifest m, JsonNode info, DrillReport r) {
        if (m.config() == null) {
            r.check("config", Result.SKIPPED, "the manifest records no config");
            return;
        }
        List<String> differ = new ArrayList<>();
        JsonNode now = info.path("config");
        Iterator<String> keys = m.config().fieldNames();
        keys.forEachRemaining(k -> {
            if (!m.config().get(k).equals(now.path(k))) {
                differ.add(k + " (backup " + m.config().get(k) + ", restored " + now.path(k) + ")");
            }
        });
        r.check(
                "config",
                differ.isEmpty() ? Result.OK : Result.FAILED,
                differ.isEmpty() ? "equal to the manifest's" : "differs: " + String.join("; ", differ));
    }

    private static void indexes(Fingerprint f, JsonNode info, DrillReport r) {
        Map<String, String> now = new TreeMap<>();
        info.path("payload_schema")
                .fields()
                .forEachRemaining(
                        e -> now.put(e.getKey(), e.getValue().path("data_type").asText()));
        Map<String, String> then = f.payloadIndexes() == null ? Map.of() : new TreeMap<>(f.payloadIndexes());
        r.check(
                "payload indexes",
                now.equals(then) ? Result.OK : Result.FAILED,
                now.equals(then) ? then.size() + " equal to the manifest's" : "backup " + then + ", restored " + now);
    }

    /** Every sampled point present with the same hash; returns the restored points by id. */
    private Map<String, JsonNode> points(Fingerprint f, String scratch, DrillReport r) {
        List<JsonNode> ids = f.points().stream().map(Fingerprint.Point::id).toList();
        Map<String, JsonNode> restored = new HashMap<>();
        for (int i = 0; i < ids.size(); i += 100) {
            points.retrieve(scratch, ids.subList(i, Math.min(ids.size(), i + 100)))
                    .forEach(p -> restored.put(p.get("id").asText(), p));
        }
        List<String> missing = new ArrayList<>();
        List<String> differ = new ArrayList<>();
        for (Fingerprint.Point p : f.points()) {
            JsonNode got = restored.get(p.id().asText());
            if (got == null) {
                missing.add(p.id().asText());
            } else if (!PointHash.of(got).equals(p.sha256())) {
                differ.add(p.id().asText());
            }
        }
        if (missing.isEmpty() && differ.isEmpty()) {
            r.check("points", Result.OK, f.points().size() + " sampled points present with the same hash");
        } else {
            String detail = (differ.isEmpty() ? "" : "point(s) " + first(differ) + " differ from the backup's hash")
                    + (missing.isEmpty() || differ.isEmpty() ? "" : "; ")
                    + (missing.isEmpty() ? "" : "point(s) " + first(missing) + " missing")
                    + " (of " + f.points().size() + " sampled)";
            r.check("points", f.changed() ? Result.CHANGED_WHILE_BACKED_UP : Result.FAILED, detail);
        }
        return restored;
    }

    private void probes(Fingerprint f, String scratch, Map<String, JsonNode> restored, DrillReport r) {
        if (f.probes().isEmpty()) {
            r.check("search", Result.SKIPPED, "the fingerprint has no probes");
            return;
        }
        List<String> differ = new ArrayList<>();
        double recall = 0;
        int probed = 0;
        for (Fingerprint.Probe probe : f.probes()) {
            JsonNode point = restored.get(probe.id().asText());
            JsonNode vector = point == null
                    ? null
                    : f.vector() == null
                            ? point.path("vector")
                            : point.path("vector").path(f.vector());
            if (vector == null || !vector.isArray()) {
                differ.add(probe.id().asText() + " (point missing)");
                continue;
            }
            List<PointsApi.Hit> exact = points.nearest(scratch, vector, f.vector(), probe.limit(), true);
            if (!sameHits(probe.top(), exact)) {
                differ.add(probe.id().asText());
            }
            List<PointsApi.Hit> indexed = points.nearest(scratch, vector, f.vector(), probe.limit(), false);
            // the index against an exact scan of the same restored data: recall measures the index, not the data
            List<String> want = exact.stream().map(h -> h.id().asText()).toList();
            long found =
                    indexed.stream().filter(h -> want.contains(h.id().asText())).count();
            recall += want.isEmpty() ? 1 : (double) found / want.size();
            probed++;
        }
        if (differ.isEmpty()) {
            r.check("search", Result.OK, f.probes().size() + " exact searches give the same ids and scores");
        } else {
            r.check(
                    "search",
                    f.changed() ? Result.CHANGED_WHILE_BACKED_UP : Result.FAILED,
                    "exact searches with the vector of point(s) " + first(differ) + " give other ids or scores");
        }
        if (probed > 0) {
            r.recall = recall / probed;
            r.check(
                    "recall",
                    r.recall >= minRecall ? Result.OK : Result.FAILED,
                    String.format("recall@10 through the index %.3f (drill.min-recall %.2f)", r.recall, minRecall));
        }
    }

    static boolean sameHits(List<Fingerprint.Hit> then, List<PointsApi.Hit> now) {
        if (then.size() != now.size()) {
            return false;
        }
        for (int i = 0; i < then.size(); i++) {
            double a = then.get(i).score();
            double b = now.get(i).score();
            if (!then.get(i).id().asText().equals(now.get(i).id().asText())
                    || Math.abs(a - b) > SCORE_TOLERANCE * Math.max(1, Math.abs(a))) {
                return false;
            }
        }
        return true;
    }

    private static String first(List<String> ids) {
        return ids.size() <= 5
                ? String.join(", ", ids)
                : String.join(", ", ids.subList(0, 5)) + " and " + (ids.size() - 5) + " more";
    }
}
