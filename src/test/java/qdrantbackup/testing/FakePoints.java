package qdrantbackup.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The points of one stand-in collection: ids, vectors and payloads, generated deterministically from a seed,
 * plus its payload indexes. Snapshots carry them as {@link #ENTRY} (one JSON document) inside shard 0's
 * segment folder, so a restore gives back exactly what the tar holds, a doctored tar included. Not
 * thread-safe: {@link FakeQdrant} guards it with its lock.
 */
public final class FakePoints {

    /** Where a snapshot tar carries the points (fake's own convention). */
    public static final String ENTRY = "0/segments/fake_points_data.json";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] TAGS = {"red", "green", "blue", "amber", "violet"};

    /** One point; {@code vector} is an array (default vector) or an object of named arrays. */
    public record Point(long id, JsonNode vector, ObjectNode payload) {}

    private final JsonNode vectorsConfig;
    private final TreeMap<Long, Point> points = new TreeMap<>();
    private final Map<String, String> indexes = new TreeMap<>();
    private final Random random;

    private FakePoints(JsonNode vectorsConfig, long seed) {
        this.vectorsConfig = vectorsConfig;
        this.random = new Random(seed);
    }

    /** {@code count} points with ids 1..count, the same for the same name, config and count. */
    public static FakePoints generate(String collection, JsonNode vectorsConfig, long count) {
        FakePoints p = new FakePoints(vectorsConfig, collection.hashCode());
        p.add(count);
        return p;
    }

    static FakePoints empty(JsonNode vectorsConfig) {
        return new FakePoints(vectorsConfig, 0);
    }

    /** Adds {@code count} generated points after the highest id (a write to the collection). */
    public void add(long count) {
        long next = points.isEmpty() ? 1 : points.lastKey() + 1;
        for (long i = 0; i < count; i++) {
            long id = next + i;
            ObjectNode payload = JSON.createObjectNode()
                    .put("n", id)
                    .put("tag", TAGS[(int) (id % TAGS.length)])
                    .put("title", "point " + id);
            points.put(id, new Point(id, vectorFor(), payload));
        }
    }

    public long count() {
        return points.size();
    }

    public JsonNode vectorsConfig() {
        return vectorsConfig;
    }

    public Point get(long id) {
        return points.get(id);
    }

    public List<Point> all() {
        return new ArrayList<>(points.values());
    }

    /** Replaces a point's vector (a test's way to tell the stand-in's data apart). */
    public void setVector(long id, JsonNode vector) {
        Point p = points.get(id);
        points.put(id, new Point(id, vector, p.payload()));
    }

    public void index(String field, String type) {
        indexes.put(field, type);
    }

    public Map<String, String> indexes() {
        return Map.copyOf(indexes);
    }

    /** Collection info's {@code payload_schema}: type and the number of points having the field. */
    public ObjectNode payloadSchema() {
        ObjectNode schema = JSON.createObjectNode();
        indexes.forEach((field, type) -> {
            long having =
                    points.values().stream().filter(p -> p.payload().has(field)).count();
            schema.putObject(field).put("data_type", type).put("points", having);
        });
        return schema;
    }

    /** The {@code payload_index.json} of a snapshot. */
    public String payloadIndexJson() {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode schema = root.putObject("schema");
        indexes.forEach(schema::put);
        return root.toString();
    }

    /** The {@link #ENTRY} document. */
    public byte[] toJson() {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = root.putArray("points");
        for (Point p : points.values()) {
            ObjectNode o = list.addObject();
            o.put("id", p.id());
            o.set("vector", p.vector());
            o.set("payload", p.payload());
        }
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Reads what a snapshot carries: the {@link #ENTRY} document and {@code payload_index.json}. */
    public static FakePoints fromSnapshot(JsonNode vectorsConfig, byte[] entry, byte[] payloadIndex) {
        FakePoints p = new FakePoints(vectorsConfig, 0);
        try {
            if (entry != null) {
                for (JsonNode o : JSON.readTree(entry).path("points")) {
                    long id = o.path("id").asLong();
                    p.points.put(id, new Point(id, o.get("vector"), (ObjectNode) o.get("payload")));
                }
            }
            if (payloadIndex != null) {
                Iterator<Map.Entry<String, JsonNode>> it =
                        JSON.readTree(payloadIndex).path("schema").fields();
                while (it.hasNext()) {
                    Map.Entry<String, JsonNode> e = it.next();
                    p.indexes.put(
                            e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : "keyword");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    private JsonNode vectorFor() {
        if (vectorsConfig.has("size")) {
            return vector(vectorsConfig);
        }
        ObjectNode named = JSON.createObjectNode();
        vectorsConfig.fields().forEachRemaining(e -> named.set(e.getKey(), vector(e.getValue())));
        return named;
    }

    /** Random components; Cosine vectors stored normalised, as Qdrant stores them. */
    private ArrayNode vector(JsonNode params) {
        int size = params.path("size").asInt(4);
        float[] v = new float[size];
        double norm = 0;
        for (int i = 0; i < size; i++) {
            v[i] = (float) (random.nextDouble() * 2 - 1);
            norm += v[i] * v[i];
        }
        boolean cosine = "Cosine".equals(params.path("distance").asText());
        ArrayNode a = JSON.createArrayNode();
        for (float x : v) {
            a.add(cosine && norm > 0 ? (float) (x / Math.sqrt(norm)) : x);
        }
        try {
            return (ArrayNode) JSON.readTree(a.toString()); // as a snapshot gives it back: doubles
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
