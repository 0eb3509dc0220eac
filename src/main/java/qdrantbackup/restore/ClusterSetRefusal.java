package qdrantbackup.restore;

import qdrantbackup.store.Manifest;

/**
 * A cluster set (one shard snapshot per shard) cannot be uploaded as a collection snapshot: each file holds one
 * shard. Until the restore of sets exists, it is refused before anything changes.
 */
final class ClusterSetRefusal {
    private ClusterSetRefusal() {}

    static void check(Manifest manifest) {
        if (manifest != null && manifest.cluster() != null) {
            throw new RestoreRefused("backup " + manifest.snapshot() + " of " + manifest.collection()
                    + " is a cluster set of " + manifest.dataFiles().size() + " shard snapshot(s) from "
                    + manifest.cluster().nodes().size() + " node(s); this version cannot restore a cluster set yet:"
                    + " nothing was changed; restore it with a version that supports cluster sets (README"
                    + " \"Clusters\")");
        }
    }
}
