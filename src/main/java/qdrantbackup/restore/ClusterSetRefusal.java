package qdrantbackup.restore;

import qdrantbackup.store.Manifest;

/**
 * A cluster set dropped into the inbox is refused before anything changes: its other shard files would be taken
 * for drops of their own. A set is restored by a request (.restore.json or the restore command), which finds all
 * its files in the archive or the bucket.
 */
final class ClusterSetRefusal {
    private ClusterSetRefusal() {}

    static void check(Manifest manifest) {
        if (manifest != null && manifest.cluster() != null) {
            throw new RestoreRefused("backup " + manifest.snapshot() + " of " + manifest.collection()
                    + " is a cluster set of " + manifest.dataFiles().size() + " shard snapshot(s) from "
                    + manifest.cluster().nodes().size() + " node(s); a set is not restored from the inbox:"
                    + " nothing was changed; drop a .restore.json request {\"collection\": \"" + manifest.collection()
                    + "\", \"snapshot\": \"" + manifest.snapshot() + "\"} instead (it finds every file of the set"
                    + " in the archive or the bucket; README \"Clusters\")");
        }
    }
}
