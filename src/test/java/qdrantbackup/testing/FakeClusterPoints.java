package qdrantbackup.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import qdrantbackup.testing.ClusterState.Coll;
import qdrantbackup.testing.ClusterState.Point;
import qdrantbackup.testing.ClusterState.Shard;

/**
 * The points calls a {@link FakeCluster} node answers for a whole collection, as any node of a Qdrant v1.19
 * cluster does (it asks the other shards' replicas): retrieve, scroll and query over the points of every shard
 * ({@link FakeSearch} answers them), and payload index creation, which is collection-level: Qdrant reports it in
 * {@code payload_schema} (PayloadIndexInfo: {@code data_type}, {@code params} when created with params, and
 * {@code points}). A shard snapshot does not carry it. Callers hold the state lock.
 */
final class FakeClusterPoints {
    private FakeClusterPoints() {}

    /** {@code POST points}, {@code points/scroll}, {@code points/query}, {@code PUT index}; null: not one of those. */
    static ResponseDefinition answer(ClusterState state, Coll c, String method, String op, JsonNode body) {
        try {
            switch (method + " " + op) {
                case "POST points":
                    return NodeApi.okResult(FakeSearch.retrieve(all(state, c), body));
                case "POST scroll":
                    return NodeApi.okResult(FakeSearch.scroll(all(state, c), body));
                case "POST query":
                    return NodeApi.okResult(FakeSearch.query(all(state, c), body));
                case "PUT index":
                    return index(c, body);
                default:
                    return null;
            }
        } catch (FakeSearch.BadRequest e) {
            return NodeApi.error(400, e.getMessage());
        }
    }

    /** CreateFieldIndex: {@code field_schema} a PayloadSchemaType name or PayloadSchemaParams with its type. */
    private static ResponseDefinition index(Coll c, JsonNode body) {
        String field = body.path("field_name").asText("");
        JsonNode schema = body.path("field_schema");
        if (field.isEmpty()) {
            return NodeApi.error(400, "Format error in JSON body: missing field `field_name`");
        }
        if (!schema.isTextual() && !schema.path("type").isTextual()) {
            return NodeApi.error(400, "Format error in JSON body: field_schema: data did not match any variant");
        }
        c.indexes.put(field, schema.deepCopy());
        return NodeApi.okResult(
                ClusterState.JSON.createObjectNode().put("operation_id", 1).put("status", "completed"));
    }

    /** {@code payload_schema} of CollectionInfo. */
    static ObjectNode payloadSchema(ClusterState state, Coll c) {
        ObjectNode out = ClusterState.JSON.createObjectNode();
        c.indexes.forEach((field, schema) -> {
            ObjectNode info = out.putObject(field);
            info.put(
                    "data_type",
                    schema.isTextual() ? schema.asText() : schema.path("type").asText());
            if (schema.isObject()) {
                info.set("params", schema);
            }
            long having = c.shards.values().stream()
                    .flatMap(s -> s.points.values().stream())
                    .filter(p -> p.payload().containsKey(field))
                    .count();
            info.put("points", having);
        });
        return out;
    }

    /** The points of every shard (one replica each holds them all here), as {@link FakeSearch} reads them. */
    private static FakePoints all(ClusterState state, Coll c) {
        ObjectNode doc = ClusterState.JSON.createObjectNode();
        ArrayNode list = doc.putArray("points");
        for (Shard s : c.shards.values()) {
            for (Point p : s.points.values()) {
                ObjectNode o = list.addObject();
                o.put("id", p.id());
                ArrayNode v = o.putArray("vector");
                for (double d : p.vector()) {
                    v.add(d);
                }
                o.set("payload", ClusterState.JSON.valueToTree(p.payload()));
            }
        }
        JsonNode vectors = state.config(c).path("params").path("vectors");
        return FakePoints.fromSnapshot(vectors, doc.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8), null);
    }
}
