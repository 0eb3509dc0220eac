package qdrantbackup.qdrant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** The read-only points calls of Qdrant's REST API that fingerprints and drills use. */
public final class PointsApi {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final QdrantClient qdrant;

    public PointsApi(QdrantClient qdrant) {
        this.qdrant = qdrant;
    }

    /** One search hit. */
    public record Hit(JsonNode id, double score) {}

    /** {@code POST points/query {"query":{"sample":"random"}}}: up to {@code limit} points with vectors and payload. */
    public List<JsonNode> sample(String collection, int limit) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("query").put("sample", "random");
        body.put("limit", limit).put("with_payload", true).put("with_vector", true);
        return list(
                qdrant.postToCollection("sample points of " + collection, collection, "/points/query", body.toString())
                        .path("points"));
    }

    /** {@code POST points}: the points of these ids that exist, with vectors and payload. */
    public List<JsonNode> retrieve(String collection, List<JsonNode> ids) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode a = body.putArray("ids");
        ids.forEach(a::add);
        body.put("with_payload", true).put("with_vector", true);
        return list(qdrant.postToCollection("read points of " + collection, collection, "/points", body.toString()));
    }

    /**
     * {@code POST points/query} with a vector: the {@code limit} nearest, exact (a full scan) or through the index.
     *
     * @param using the vector name, or null for the default vector
     */
    public List<Hit> nearest(String collection, JsonNode vector, String using, int limit, boolean exact) {
        ObjectNode body = JSON.createObjectNode();
        body.set("query", vector);
        if (using != null) {
            body.put("using", using);
        }
        body.put("limit", limit).put("with_payload", false).put("with_vector", false);
        body.putObject("params").put("exact", exact);
        List<Hit> hits = new ArrayList<>();
        qdrant.postToCollection(
                        (exact ? "search exactly in " : "search in ") + collection,
                        collection,
                        "/points/query",
                        body.toString())
                .path("points")
                .forEach(p -> hits.add(new Hit(p.get("id"), p.path("score").asDouble())));
        return hits;
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }
}
