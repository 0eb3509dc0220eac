import java.nio.file.Files;
import java.nio.file.Path;
import qdrantbackup.testing.FakeCluster;

/**
 * A 3-node stand-in cluster for bench/cluster-backup.sh (runs from the test classes): collection "bench" with
 * SHARDS shards, replication 2, 6000 points, each shard snapshot padded to PAD_MB MiB and taking SNAP_MS to make.
 * Writes node 0's URL to the file named by the first argument, then serves until killed.
 */
public final class ClusterStandIn {
    public static void main(String[] args) throws Exception {
        int shards = Integer.parseInt(System.getenv().getOrDefault("SHARDS", "6"));
        long pad = Long.parseLong(System.getenv().getOrDefault("PAD_MB", "32")) << 20;
        int snapMs = Integer.parseInt(System.getenv().getOrDefault("SNAP_MS", "500"));
        FakeCluster cluster = FakeCluster.start(3).realistic(pad, snapMs);
        cluster.collection("bench", shards, 2).points("bench", 6000);
        Files.writeString(Path.of(args[0]), cluster.url(0));
        Thread.currentThread().join();
    }
}
