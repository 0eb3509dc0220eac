package qdrantbackup.drill;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.backup.BackupRun;
import qdrantbackup.testing.ClusterState;
import qdrantbackup.testing.FakeCluster;
import qdrantbackup.testing.FakeQdrant;
import qdrantbackup.testing.S3Server;
import qdrantbackup.testing.SnapshotTars;
import qdrantbackup.testing.TestApp;

/**
 * A set of a 3-node cluster drilled into a single scratch node through the real routes: restored shard by shard,
 * then checked as any backup; a set with one vector changed in one shard file fails naming the point.
 */
class DrillSetTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    FakeCluster source;
    FakeCluster scratchNode;
    S3Server s3;
    TestApp app;

    @BeforeEach
    void start() throws Exception {
        source = FakeCluster.start(3);
        source.collection("products", 6, 2)
                .points("products", 630)
                .payloadIndex("products", "shard", "keyword")
                .payloadIndex("products", "n", "{\"type\":\"integer\",\"lookup\":true,\"range\":false}");
        scratchNode = FakeCluster.start(1);
        s3 = S3Server.start("backups");
        Map<String, String> o = s3.settings("qb");
        o.put("offsite.path-style", "true");
        o.put("drill.qdrant.url", scratchNode.url(0));
        o.put("restore.health-poll", "20ms");
        app = TestApp.start(dir, source.url(0), o);
        BackupRun run = app.backupNow("products");
        assertThat(run.isOk()).as(run.getJobs().toString()).isTrue();
    }

    @AfterEach
    void stop() {
        app.close();
        source.close();
        scratchNode.close();
        s3.close();
    }

    @SuppressWarnings("unchecked")
    private DrillReport drill() {
        List<DrillReport> reports = app.camel()
                .createProducerTemplate()
                .requestBodyAndHeader("direct:drill", null, "collection", "products", List.class);
        assertThat(reports).hasSize(1);
        DrillReport r = reports.get(0);
        assertThat(scratchNode.exists(r.scratch))
                .as("scratch collection deleted")
                .isFalse();
        assertThat(app.state.resolve(DrillJournal.FILE)).doesNotExist();
        // the production cluster is only read: nothing created, recovered or deleted there
        assertThat(source.requests("PUT", ".*")).isEmpty();
        assertThat(source.requests("DELETE", "/collections/[^/]+")).isEmpty();
        assertThat(source.requests("POST", ".*/upload")).isEmpty();
        assertThat(source.points("products")).isEqualTo(630);
        return r;
    }

    private static DrillReport.Check check(DrillReport r, String name) {
        return r.checks.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aThreeNodeSetDrilledIntoOneScratchNodePasses() {
        DrillReport r = drill();

        assertThat(r.ok).as(r.reason + " " + r.checks).isTrue();
        assertThat(r.source).isEqualTo("archive");
        assertThat(r.snapshot).contains("products-set-").endsWith("-shard-0.snapshot");
        assertThat(r.checks)
                .extracting(DrillReport.Check::name)
                .containsExactly(
                        "shards", "health", "count", "config", "payload indexes", "points", "search", "recall");
        assertThat(r.checks).allMatch(c -> c.result() == DrillReport.Result.OK);
        assertThat(check(r, "shards").detail())
                .contains("6 shard file(s) recovered on 1 of 1 node(s)")
                .contains("2 payload index(es) re-created")
                .contains("Active");
        assertThat(check(r, "count").detail()).isEqualTo("630 points, the manifest records 630");
        assertThat(check(r, "payload indexes").detail()).isEqualTo("2 equal to the manifest's");
        assertThat(check(r, "points").detail()).startsWith("100 sampled points");
        assertThat(scratchNode.requests("POST", "/collections/" + r.scratch + "/shards/\\d+/snapshots/upload"))
                .hasSize(6);
    }

    @Test
    void aSetWithOneVectorChangedInOneShardFileFailsNamingThePoint() throws Exception {
        long victim = damage();

        DrillReport r = drill();

        assertThat(r.ok).isFalse();
        assertThat(check(r, "shards").result()).isEqualTo(DrillReport.Result.OK);
        assertThat(check(r, "count").result()).isEqualTo(DrillReport.Result.OK);
        assertThat(check(r, "points").result()).isEqualTo(DrillReport.Result.FAILED);
        assertThat(check(r, "points").detail()).contains("point(s) " + victim + " differ");
        assertThat(r.reason).contains("points: point(s) " + victim + " differ from the backup's hash");
    }

    @Test
    void aSetOnlyInTheBucketIsFetchedWholeAndDrilled() throws Exception {
        try (Stream<Path> files = Files.list(app.archive.resolve("products"))) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        DrillReport r = drill();

        assertThat(r.ok).as(r.reason + " " + r.checks).isTrue();
        assertThat(r.source).isEqualTo("offsite");
        assertThat(check(r, "shards").detail()).contains("6 shard file(s) recovered");
        try (Stream<Path> left = Files.list(app.state.resolve("drills"))) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .as("only the report stays, not the download")
                    .singleElement()
                    .asString()
                    .endsWith(".json");
        }
    }

    /**
     * Changes one component of a sampled point's vector in the shard file holding it (a valid tar still) and
     * doctors the manifest to the file's new SHA-256 and size; returns the point's id.
     */
    private long damage() throws Exception {
        Path folder = app.archive.resolve("products");
        Path manifestFile;
        try (Stream<Path> files = Files.list(folder)) {
            manifestFile = files.filter(p -> p.toString().endsWith(".json"))
                    .findFirst()
                    .orElseThrow();
        }
        ObjectNode manifest = (ObjectNode) JSON.readTree(manifestFile.toFile());
        long victim =
                manifest.path("fingerprint").path("points").get(0).path("id").asLong();
        for (JsonNode f : manifest.path("cluster").path("files")) {
            Path file = folder.resolve(f.path("name").asText());
            if (!ClusterState.pointsIn(file).get("").contains(victim)) {
                continue;
            }
            SnapshotTars.changeVector(file, "fake_points.json", victim);
            String sha = FakeQdrant.sha256(file);
            long size = Files.size(file);
            ((ObjectNode) f).put("sha256", sha).put("size", size);
            for (JsonNode d : manifest.path("files")) {
                if (d.path("name").asText().equals(f.path("name").asText())) {
                    ((ObjectNode) d).put("sha256", sha).put("size", size);
                }
            }
            if (manifest.path("snapshot").asText().equals(f.path("name").asText())) {
                manifest.put("sha256", sha).put("size", size);
            }
        }
        Files.writeString(manifestFile, manifest.toString());
        return victim;
    }
}
