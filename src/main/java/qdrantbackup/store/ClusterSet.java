package qdrantbackup.store;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

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
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClusterSet(String method, List<Node> nodes, List<ShardFile> files, Layout layout, Long pointCount) {
    public static final String SHARDS = "shards";

    private static final java.util.regex.Pattern SHARD_FILE =
            java.util.regex.Pattern.compile(".+-set-\\d{4}(-\\d{2}){5}-shard-\\d+\\.snapshot");

    /** Whether {@code name} is the name this tool gives a set's shard files: {@code <c>-set-<time>-shard-<id>.snapshot}. */
    public static boolean isShardFileName(String name) {
        return SHARD_FILE.matcher(name).matches();
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
