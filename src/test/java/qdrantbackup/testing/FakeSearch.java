package qdrantbackup.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Answers the points endpoints of Qdrant v1.19 over a {@link FakePoints}: scroll, retrieve and query (random
 * sample, nearest by vector or by point id). Scores are real: Cosine and Dot give the dot product (Cosine
 * vectors are stored normalised and the query is normalised), Euclid and Manhattan the distance, nearest
 * first. <b>Simplification:</b> approximate (HNSW) search is answered exactly too, so recall through the
 * index is always 1 here; filters are ignored.
 */
public final class FakeSearch {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FakeSearch() {}

    /** A request the stand-in refuses with 400 (Qdrant's "Wrong input"). */
    public static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message);
        }
    }

    /** {@code POST /collections/{c}/points/scroll}: by id from {@code offset}, default limit 10. */
    public static ObjectNode scroll(FakePoints data, JsonNode body) {
        int limit = body.path("limit").asInt(10);
        long offset = body.path("offset").asLong(Long.MIN_VALUE);
        ArrayNode list = JSON.createArrayNode();
        JsonNode next = JSON.nullNode();
        for (FakePoints.Point p : data.all()) {
            if (p.id() < offset) {
                continue;
            }
            if (list.size() == limit) {
                next = JSON.getNodeFactory().numberNode(p.id());
                break;
            }
            list.add(record(p, body, true));
        }
        ObjectNode r = JSON.createObjectNode();
        r.set("points", list);
        r.set("next_page_offset", next);
        return r;
    }

    /** {@code POST /collections/{c}/points}: the points asked for that exist, in the order asked. */
    public static ArrayNode retrieve(FakePoints data, JsonNode body) {
        if (!body.has("ids")) {
            throw new BadRequest("Format error in JSON body: missing field `ids`");
        }
        ArrayNode list = JSON.createArrayNode();
        for (JsonNode id : body.get("ids")) {
            FakePoints.Point p = data.get(id.asLong());
            if (p != null) {
                list.add(record(p, body, true));
            }
        }
        return list;
    }

    /** {@code POST /collections/{c}/points/query}. */
    public static ObjectNode query(FakePoints data, JsonNode body) {
        int limit = body.path("limit").asInt(10);
        JsonNode q = body.path("query");
        List<FakePoints.Point> all = data.all();
        ArrayNode list = JSON.createArrayNode();
        if (q.isMissingNode() || q.isNull()) {
            all.stream().limit(limit).forEach(p -> list.add(scored(p, 0, body)));
        } else if (q.has("sample")) {
            Collections.shuffle(all, new Random(System.nanoTime()));
            all.stream().limit(limit).forEach(p -> list.add(scored(p, 0, body)));
        } else {
            nearest(data, body, q.has("nearest") ? q.get("nearest") : q, limit, list);
        }
        ObjectNode r = JSON.createObjectNode();
        r.set("points", list);
        return r;
    }

    private static void nearest(FakePoints data, JsonNode body, JsonNode q, int limit, ArrayNode out) {
        String using = body.path("using").isTextual() ? body.get("using").asText() : null;
        JsonNode params =
                using == null ? data.vectorsConfig() : data.vectorsConfig().path(using);
        if (!params.has("distance")) {
            throw new BadRequest("Wrong input: Not existing vector name error: " + (using == null ? "" : using));
        }
        float[] query;
        if (q.isIntegralNumber()) {
            FakePoints.Point p = data.get(q.asLong());
            if (p == null) {
                throw new BadRequest("Not found: No point with id " + q.asLong() + " found");
            }
            query = floats(using == null ? p.vector() : p.vector().get(using));
        } else if (q.isArray()) {
            query = floats(q);
        } else {
            throw new BadRequest("Wrong input: the fake answers sample, a vector or a point id only");
        }
        String distance = params.get("distance").asText();
        if (query.length != params.path("size").asInt()) {
            throw new BadRequest("Wrong input: Vector dimension error: expected dim: "
                    + params.path("size").asInt() + ", got " + query.length);
        }
        float[] qv = "Cosine".equals(distance) ? normalise(query) : query;
        boolean smallerBetter = distance.equals("Euclid") || distance.equals("Manhattan");
        List<Object[]> scored = new ArrayList<>();
        for (FakePoints.Point p : data.all()) {
            float[] v = floats(using == null ? p.vector() : p.vector().get(using));
            scored.add(new Object[] {p, score(distance, qv, v)});
        }
        Comparator<Object[]> byScore = Comparator.comparingDouble(o -> (Float) o[1]);
        scored.sort(smallerBetter ? byScore : byScore.reversed());
        scored.stream().limit(limit).forEach(o -> out.add(scored((FakePoints.Point) o[0], (Float) o[1], body)));
    }

    /** Qdrant computes in f32: the same here, so scores match to float precision. */
    static float score(String distance, float[] a, float[] b) {
        float s = 0;
        for (int i = 0; i < a.length; i++) {
            switch (distance) {
                case "Euclid" -> s += (a[i] - b[i]) * (a[i] - b[i]);
                case "Manhattan" -> s += Math.abs(a[i] - b[i]);
                default -> s += a[i] * b[i];
            }
        }
        return distance.equals("Euclid") ? (float) Math.sqrt(s) : s;
    }

    private static float[] normalise(float[] v) {
        double n = 0;
        for (float x : v) {
            n += x * x;
        }
        float[] r = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = n == 0 ? 0 : (float) (v[i] / Math.sqrt(n));
        }
        return r;
    }

    private static float[] floats(JsonNode a) {
        float[] v = new float[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).floatValue();
        }
        return v;
    }

    private static ObjectNode scored(FakePoints.Point p, float score, JsonNode body) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", p.id());
        o.put("version", 0);
        o.put("score", score);
        with(o, p, body, false);
        return o;
    }

    private static ObjectNode record(FakePoints.Point p, JsonNode body, boolean payloadByDefault) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", p.id());
        with(o, p, body, payloadByDefault);
        return o;
    }

    /** with_payload / with_vector as booleans (the fake ignores field selections: all or nothing). */
    private static void with(ObjectNode o, FakePoints.Point p, JsonNode body, boolean payloadByDefault) {
        JsonNode wp = body.path("with_payload");
        boolean payload = wp.isMissingNode() || wp.isNull() ? payloadByDefault : !wp.isBoolean() || wp.asBoolean();
        o.set("payload", payload ? p.payload() : JSON.nullNode());
        if (body.path("with_vector").asBoolean(false)) {
            o.set("vector", p.vector());
        } else {
            o.putNull("vector");
        }
    }
}
