package qdrantbackup.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.backup.BackupJob;
import qdrantbackup.backup.BackupRun;
import qdrantbackup.store.ClusterSet;
import qdrantbackup.store.Manifest;
import qdrantbackup.store.local.LocalStore;
import qdrantbackup.testing.ClusterState;
import qdrantbackup.testing.FakeCluster;
import qdrantbackup.testing.FakeQdrant;
import qdrantbackup.testing.LogCapture;
import qdrantbackup.testing.TestApp;

/** A collection of a 3-node cluster backed up through the real routes as a set of shard snapshots. */
class ClusterBackupTest {
    @TempDir
    Path dir;

    private final FakeCluster cluster = FakeCluster.start(3);
    private TestApp app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        cluster.close();
    }

    private BackupRun backup(String collection) throws Exception {
        app = TestApp.start(dir, cluster.url(0), Map.of());
        return app.backupNow(collection);
    }

    private Manifest manifest(String collection) throws Exception {
        List<Path> found;
        try (var files = Files.list(app.archive.resolve(collection))) {
            found = files.filter(p -> p.toString().endsWith(".json")).toList();
        }
        assertThat(found).hasSize(1);
        return LocalStore.readManifest(found.get(0)).orElseThrow();
    }

    /** Every point id the set's files carry, each file checked to hold only its own shard. */
    private List<Long> pointsInSet(String collection, Manifest m) {
        List<Long> ids = new ArrayList<>();
        for (ClusterSet.ShardFile f : m.cluster().files()) {
            Path file = app.archive.resolve(collection).resolve(f.name());
            assertThat(FakeQdrant.sha256(file)).isEqualTo(f.sha256());
            Map<String, List<Long>> in = ClusterState.pointsIn(file);
            assertThat(in.keySet()).containsExactly("");
            assertThat((long) in.get("").size()).isEqualTo(f.points());
            ids.addAll(in.get(""));
        }
        return ids;
    }

    private static BackupJob job(BackupRun run) {
        assertThat(run.getJobs()).hasSize(1);
        return run.getJobs().get(0);
    }

    @Test
    void sixShardsWithReplicationTwoGiveOneFilePerShardAndEveryPointOnce() throws Exception {
        cluster.collection("products", 6, 2).points("products", 630).alias("shop", "products");
        BackupRun run = backup("products");
        assertThat(job(run).getResult()).as(job(run).line()).isEqualTo(BackupJob.Result.OK);
        assertThat(run.isOk()).isTrue();

        Manifest m = manifest("products");
        assertThat(m.pointCount()).isEqualTo(630);
        assertThat(m.aliases()).containsEntry("shop", "products");
        assertThat(m.dataFiles()).hasSize(6);
        ClusterSet set = m.cluster();
        assertThat(set.method()).isEqualTo("shards");
        assertThat(set.nodes())
                .extracting(ClusterSet.Node::peerId)
                .containsExactlyInAnyOrder(cluster.node(0).peerId, cluster.node(1).peerId, cluster.node(2).peerId);
        assertThat(set.nodes()).allSatisfy(n -> assertThat(n.qdrantVersion()).isEqualTo(FakeQdrant.VERSION));
        assertThat(set.files()).extracting(ClusterSet.ShardFile::shardId).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(set.pointCount()).isEqualTo(630);
        assertThat(set.layout().shardNumber()).isEqualTo(6);
        assertThat(set.layout().replicationFactor()).isEqualTo(2);
        assertThat(set.layout().shards())
                .allSatisfy(s -> assertThat(s.replicas()).hasSize(2));
        // each shard taken once, the work spread over the nodes (two each)
        assertThat(set.files().stream().map(ClusterSet.ShardFile::peerId).distinct())
                .hasSize(3);
        assertThat(pointsInSet("products", m))
                .containsExactlyInAnyOrderElementsOf(
                        LongStream.rangeClosed(1, 630).boxed().toList());
        for (int i = 0; i < 3; i++) {
            assertThat(cluster.serverSnapshots(i)).as("node " + i).isEmpty();
        }
        assertThat(cluster.requests("POST", "/collections/products/snapshots")).isEmpty();
        assertThat(app.backupNow("products").isOk()).isTrue(); // a second run: a second set beside the first
    }

    @Test
    void aCollectionWhoseOnlyShardLivesOnAnotherNodeIsTakenFromThatNode() throws Exception {
        cluster.collection("logs", 1, 1).place("logs", 0, 2).points("logs", 600);
        BackupRun run = backup("logs");
        assertThat(job(run).getResult()).as(job(run).line()).isEqualTo(BackupJob.Result.OK);
        Manifest m = manifest("logs");
        assertThat(m.cluster().files()).singleElement().satisfies(f -> {
            assertThat(f.peerId()).isEqualTo(cluster.node(2).peerId);
            assertThat(f.points()).isEqualTo(600);
        });
        assertThat(pointsInSet("logs", m)).hasSize(600);
    }

    @Test
    void aNodeThatDoesNotAnswerFailsTheCollectionByName() throws Exception {
        cluster.collection("products", 6, 2).points("products", 630);
        cluster.down(2);
        BackupRun run = backup("products");
        BackupJob job = job(run);
        assertThat(job.getResult()).isEqualTo(BackupJob.Result.FAILED);
        assertThat(run.isOk()).isFalse();
        assertThat(job.getError())
                .contains("did not answer")
                .contains("127.0.0.3:" + cluster.port())
                .contains(cluster.node(2).peerId);
        assertThat(app.archive.resolve("products"))
                .satisfiesAnyOf(
                        p -> assertThat(p).doesNotExist(), p -> assertThat(p).isEmptyDirectory());
    }

    @Test
    void aDeadReplicaIsNeverTakenAndAShardWithoutAnActiveOneFails() throws Exception {
        cluster.collection("products", 3, 2).points("products", 300);
        cluster.replicaState("products", 1, 1, "Dead"); // shard 1 lives on nodes 1 and 2
        app = TestApp.start(dir, cluster.url(0), Map.of());
        assertThat(job(app.backupNow("products")).getResult()).isEqualTo(BackupJob.Result.OK);
        Manifest m = manifest("products");
        assertThat(m.cluster().files().get(1).peerId()).isEqualTo(cluster.node(2).peerId);
        assertThat(m.cluster().layout().shards().get(1).replicas())
                .containsEntry(cluster.node(1).peerId, "Dead")
                .containsEntry(cluster.node(2).peerId, "Active");

        cluster.replicaState("products", 1, 2, "Partial");
        BackupJob failed = job(app.backupNow("products"));
        assertThat(failed.getResult()).isEqualTo(BackupJob.Result.FAILED);
        assertThat(failed.getError())
                .contains("no Active replica of shard 1")
                .contains("Dead")
                .contains("Partial");
        assertThat(manifest("products").snapshot()).isEqualTo(m.snapshot()); // no second, partial set
    }

    @Test
    void aShardMovedWhileTheSetIsMadeMakesItAgain() throws Exception {
        cluster.collection("products", 6, 2).points("products", 630);
        cluster.onNextSnapshot(path -> cluster.move("products", 5, 0, 1));
        try (LogCapture logs = new LogCapture()) {
            BackupRun run = backup("products");
            assertThat(job(run).getResult()).as(job(run).line()).isEqualTo(BackupJob.Result.OK);
            assertThat(logs.text()).contains("the shard layout changed while the set was made");
        }
        Manifest m = manifest("products");
        assertThat(m.cluster().layout().shards().get(5).replicas())
                .containsOnlyKeys(cluster.node(1).peerId, cluster.node(2).peerId);
        assertThat(pointsInSet("products", m)).hasSize(630);
        try (var files = Files.list(app.archive.resolve("products"))) {
            assertThat(files.filter(p -> p.toString().endsWith(".snapshot"))).hasSize(6); // the first try is gone
        }
    }

    @Test
    void aLayoutThatKeepsMovingFailsAfterOneRetry() throws Exception {
        cluster.collection("products", 2, 1).points("products", 20);
        int[] flips = {0};
        java.util.function.Consumer<String>[] hook = new java.util.function.Consumer[1];
        hook[0] = path -> {
            cluster.onNextSnapshot(hook[0]);
            if (!path.contains("/shards/0/")) {
                return;
            }
            flips[0]++;
            // shard 0 goes back and forth between nodes 0 and 1, as a rebalancing that never settles
            if (flips[0] % 2 == 1) {
                cluster.move("products", 0, 0, 1);
            } else {
                cluster.move("products", 0, 1, 0);
            }
        };
        cluster.onNextSnapshot(hook[0]);
        BackupJob job = job(backup("products"));
        assertThat(job.getResult()).isEqualTo(BackupJob.Result.FAILED);
        assertThat(job.getError()).contains("the shard layout changed while the set was made, twice");
        try (var files = Files.list(app.archive.resolve("products"))) {
            assertThat(files.toList()).isEmpty();
        }
    }

    @Test
    void customShardingRecordsEveryShardKey() throws Exception {
        Map<String, int[]> keys = new java.util.LinkedHashMap<>();
        keys.put("eu", new int[] {0, 1});
        keys.put("us", new int[] {2, 0});
        keys.put("asia", new int[] {1, 2});
        cluster.customCollection("tenants", keys).points("tenants", 90);
        BackupRun run = backup("tenants");
        assertThat(job(run).getResult()).as(job(run).line()).isEqualTo(BackupJob.Result.OK);
        Manifest m = manifest("tenants");
        assertThat(m.cluster().layout().shardingMethod()).isEqualTo("custom");
        assertThat(m.cluster().layout().shardKeys()).containsExactly("asia", "eu", "us");
        assertThat(m.cluster().files())
                .extracting(ClusterSet.ShardFile::shardKey)
                .containsExactly("eu", "us", "asia");
        assertThat(pointsInSet("tenants", m)).hasSize(90);
    }
}
