package qdrantbackup.restore;

import java.nio.file.Path;
import java.time.Duration;
import qdrantbackup.cluster.ClusterNodes;
import qdrantbackup.qdrant.QdrantClient;
import qdrantbackup.store.Manifest;

/**
 * A cluster set put into a new collection of another Qdrant (one node or a cluster), as a restore does it but
 * without safety copy, aliases or journal: what a restore drill needs for its scratch collection.
 */
public final class SetInto {
    private final ClusterRestore sets;

    /**
     * @param qdrant  the Qdrant to restore into
     * @param nodes   its nodes (none found: one node, every shard local)
     * @param timeout how long every replica may take to become Active
     */
    public SetInto(QdrantClient qdrant, ClusterNodes nodes, Duration timeout, Duration poll) {
        this.sets = new ClusterRestore(qdrant, nodes, timeout, poll);
    }

    /**
     * Checks that every file of set {@code m} is beside {@code first}, whole and of its size; creates
     * {@code target} with the set's layout, recovers every shard (each checked by Qdrant against its SHA-256),
     * re-creates the payload indexes and waits until every replica is Active. Returns what was done.
     */
    public String restore(String target, Manifest m, Path first) {
        ClusterRestore.verify(m, first);
        String recovered = sets.restore(target, m, first.getParent());
        return recovered + "; " + sets.waitActive(target, m);
    }
}
