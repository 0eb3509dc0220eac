package qdrantbackup.store;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The cluster part of a set's manifest ({@code "cluster"}): which nodes answered, which file holds which shard
 * from which replica, and the collection's shard layout as it was while the set was made, so that a restore can
 * re-create the collection with that layout and recover each shard on a node of any cluster.
 *
 * @param method     {@code shards}: one shard snapshot per shard, from an Active replica
 * @param nodes      every node of the cluster when the set was made
 * @param files      one per shard, in shard order (the manifest's {@code files} list the same names)
 * @param layout     the shard layout read before the snapshots (and found unchanged after them)
 * @param pointCount the sum of the shards' point counts as their replicas reported them
 * @param payloadSchema the collection's payload indexes by field (a shard snapshot does not carry them, so a
 *                      restore re-creates them); null in sets made before this field existed: none recorded
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClusterSet(
        String method,
        List<Node> nodes,
        List<ShardFile> files,
        Layout layout,
        Long pointCount,
        Map<String, PayloadIndex> payloadSchema) {
    public static final String SHARDS = "shards";

    private static final Pattern SHARD_FILE = Pattern.compile(".+-set-\\d{4}(-\\d{2}){5}-shard-\\d+\\.snapshot");

    /** Whether {@code name} is the name this tool gives a set's shard files: {@code <c>-set-<time>-shard-<id>.snapshot}. */
    public static boolean isShardFileName(String name) {
        return SHARD_FILE.matcher(name).matches();
    }

    public ClusterSet(String method, List<Node> nodes, List<ShardFile> files, Layout layout, Long pointCount) {
        this(method, nodes, files, layout, pointCount, null);
    }

    /** This set with the collection's payload indexes. */
    public ClusterSet withPayloadSchema(Map<String, PayloadIndex> schema) {
        return new ClusterSet(method, nodes, files, layout, pointCount, schema);
    }

    /**
     * One payload index as {@code payload_schema} reports it (PayloadIndexInfo without its point count).
     *
     * @param dataType the PayloadSchemaType ({@code keyword}, {@code integer}, ...)
     * @param params   the PayloadSchemaParams it was created with; null when created from the bare type
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record PayloadIndex(String dataType, JsonNode params) {
        /** The {@code field_schema} of CreateFieldIndex that makes this index again. */
        public JsonNode fieldSchema() {
            return params != null && params.isObject() ? params : JsonNodeFactory.instance.textNode(dataType);
        }
    }

    /** A node: its u64 peer id (as text), REST address (never with credentials), Qdrant version. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Node(String peerId, String url, String qdrantVersion) {}

    /** A file of the set: the shard it holds, the peer whose Active replica made it, its points. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ShardFile(
            String name, int shardId, String shardKey, String peerId, long size, String sha256, Long points) {}

    /** {@code config.params} of the collection and where each shard's replicas were, in which state. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Layout(
            int shardNumber,
            int replicationFactor,
            int writeConsistencyFactor,
            String shardingMethod,
            List<String> shardKeys,
            List<Shard> shards) {}

    /** One shard: its id, key (custom sharding) and replica states by peer id. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Shard(int shardId, String shardKey, Map<String, String> replicas) {}
}
