package qdrantbackup.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.backup.BackupRun;
import qdrantbackup.store.Fingerprint;
import qdrantbackup.store.Manifest;
import qdrantbackup.store.local.LocalStore;
import qdrantbackup.testing.FakeCluster;
import qdrantbackup.testing.TestApp;

/** A cluster set's manifest carries a fingerprint taken through qdrant.url over every shard of the collection. */
class ClusterSetFingerprintTest {
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

    private Manifest backUp(String collection) throws Exception {
        app = TestApp.start(dir, cluster.url(0), Map.of());
        BackupRun run = app.backupNow(collection);
        assertThat(run.isOk()).as(run.getJobs().toString()).isTrue();
        List<Path> found;
        try (var files = Files.list(app.archive.resolve(collection))) {
            found = files.filter(p -> p.toString().endsWith(".json")).toList();
        }
        assertThat(found).hasSize(1);
        return LocalStore.readManifest(found.get(0)).orElseThrow();
    }

    /** The shard holding each point id. */
    private Map<Long, Integer> shardOf(String collection, int shards) {
        Map<Long, Integer> out = new java.util.HashMap<>();
        for (int s = 0; s < shards; s++) {
            for (long id : cluster.shardPoints(collection, s)) {
                out.put(id, s);
            }
        }
        return out;
    }

    @Test
    void aSetsFingerprintSamplesAndSearchesEveryShard() throws Exception {
        cluster.collection("products", 6, 2).points("products", 630).payloadIndex("products", "n", "integer");
        Manifest m = backUp("products");

        Fingerprint f = m.fingerprint();
        assertThat(f).as("the set's manifest has a fingerprint").isNotNull();
        assertThat(f.changed()).isFalse();
        assertThat(f.points()).hasSize(100);
        assertThat(f.probes()).hasSize(20).allSatisfy(p -> assertThat(p.top()).hasSize(10));
        assertThat(f.payloadIndexes()).isEqualTo(Map.of("n", "integer"));
        Map<Long, Integer> shard = shardOf("products", 6);
        Set<Integer> sampled = new HashSet<>();
        f.points().forEach(p -> sampled.add(shard.get(p.id().asLong())));
        assertThat(sampled).as("shards the sample came from").containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
        Set<Integer> found = new HashSet<>();
        f.probes().forEach(p -> p.top().forEach(h -> found.add(shard.get(h.id().asLong()))));
        assertThat(found).as("shards the exact searches found points in").containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
        // the fingerprint was taken through qdrant.url, the node every other call of the tool goes to
        assertThat(cluster.requests("POST", "/collections/products/points/query"))
                .isNotEmpty()
                .allMatch(r -> r.node() == 0);
    }

    @Test
    void aSetOfACollectionTakingWritesSaysSoInItsFingerprint() throws Exception {
        cluster.collection("products", 6, 2).points("products", 630);
        cluster.onNextSnapshot(path -> cluster.points("products", 30));
        Manifest m = backUp("products");

        assertThat(m.pointCount()).isEqualTo(630);
        assertThat(m.pointCountAfter()).isEqualTo(660);
        assertThat(m.fingerprint()).isNotNull();
        assertThat(m.fingerprint().changed()).as("changed while backed up").isTrue();
    }
}
