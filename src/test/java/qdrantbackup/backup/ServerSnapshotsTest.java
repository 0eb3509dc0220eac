package qdrantbackup.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.qdrant.QdrantClient;
import qdrantbackup.qdrant.QdrantSettings;
import qdrantbackup.testing.FakeQdrant;
import qdrantbackup.testing.LogCapture;
import qdrantbackup.testing.TestApp;
import qdrantbackup.transfer.SafeFiles;

/**
 * Snapshots left on Qdrant's disk by a killed run are deleted by the next one, from the tool's own record
 * (never one someone else made); a snapshot request that timed out is found by listing, never sent twice.
 */
class ServerSnapshotsTest {
    private static final String CREATE = "/collections/products/snapshots";

    @TempDir
    Path dir;

    FakeQdrant qdrant;

    @BeforeEach
    void start() {
        qdrant = FakeQdrant.start(dir.resolve("qdrant")).collection("products", 50);
    }

    @AfterEach
    void stop() {
        qdrant.close();
    }

    private QdrantClient client() {
        return new QdrantClient(new QdrantSettings(
                qdrant.url(),
                null,
                Duration.ofSeconds(5),
                Duration.ofSeconds(30),
                Duration.ofSeconds(30),
                0,
                Duration.ofMillis(10)));
    }

    @Test
    void theNextRunDeletesWhatAKilledRunLeftAndNothingElse() throws Exception {
        QdrantClient client = client();
        java.time.Instant t = java.time.Instant.parse("2026-12-01T01:00:00Z");
        qdrant.withClock(java.time.Clock.fixed(t, java.time.ZoneOffset.UTC));
        String left = client.createSnapshot("products").name();
        qdrant.withClock(java.time.Clock.fixed(t.plusSeconds(60), java.time.ZoneOffset.UTC));
        String operators = client.createSnapshot("products").name();
        String pendingBefore = operators;
        // what a run killed before its DELETEs leaves: one snapshot it knew, one whose create got no answer
        qdrant.withClock(java.time.Clock.fixed(t.plusSeconds(120), java.time.ZoneOffset.UTC));
        String unanswered = client.createSnapshot("products").name();
        qdrant.withClock(java.time.Clock.systemUTC());
        long deadPid = 999_999_999L;
        SafeFiles.createPrivateDirectories(dir.resolve("state"));
        SafeFiles.writeJson(
                dir.resolve("state").resolve(ServerSnapshots.FILE),
                List.of(
                        new ServerSnapshots.Entry("products", left, "2026-12-01T00:00:00Z", List.of(), deadPid),
                        new ServerSnapshots.Entry(
                                "products", null, "2026-12-01T00:00:00Z", List.of(left, pendingBefore), deadPid)));

        BackupRun run;
        try (LogCapture logs = new LogCapture();
                TestApp app = TestApp.start(dir, qdrant.url(), Map.of())) {
            run = app.backupNow();
            assertThat(logs.lines())
                    .anyMatch(l -> l.contains("products: deleted snapshot " + left
                            + " from the server, left there by an interrupted run"))
                    .anyMatch(l -> l.contains("products: deleted snapshot " + unanswered + " from the server"));
        }

        assertThat(run.isOk()).as(run.getJobs().toString()).isTrue();
        assertThat(qdrant.serverSnapshots("products")).containsExactly(operators);
        assertThat(qdrant.serverSnapshots("products")).doesNotContain(left, unanswered);
        assertThat(SafeFiles.JSON.readTree(
                        dir.resolve("state").resolve(ServerSnapshots.FILE).toFile()))
                .isEmpty();
    }

    @Test
    void aSnapshotRequestThatTimesOutIsFoundByListingNotSentAgain() throws Exception {
        qdrant.delayNext("POST", CREATE, Duration.ofSeconds(3), 1);
        BackupRun run;
        try (LogCapture logs = new LogCapture();
                TestApp app = TestApp.start(dir, qdrant.url(), Map.of("qdrant.snapshot-timeout", "500ms"))) {
            run = app.backupNow();
            assertThat(logs.lines())
                    .anyMatch(l -> l.contains("products: Qdrant did not answer the snapshot request")
                            && l.contains("the listing shows the snapshot it made"));
        }

        assertThat(run.isOk()).as(run.getJobs().toString()).isTrue();
        assertThat(qdrant.countRequests("POST", CREATE)).isEqualTo(1);
        assertThat(qdrant.serverSnapshots("products")).isEmpty();
        assertThat(Files.list(dir.resolve("archive").resolve("products"))).hasSize(2);
    }

    @Test
    void anInterruptedDownloadIsKeptForAResumeOnlyWhileYoungAndStillOnTheServer() throws Exception {
        QdrantClient client = client();
        qdrant.collection("orders", 50).collection("users", 50);
        Path state = dir.resolve("state");
        Path archive = dir.resolve("archive");
        Files.createDirectories(archive);
        long deadPid = 999_999_999L;
        java.time.Instant now = java.time.Instant.now();
        // products: young, part on disk; orders: its snapshot older than the limit; users: gone from the server
        List<ServerSnapshots.Entry> left = new java.util.ArrayList<>();
        Map<String, Path> parts = new java.util.HashMap<>();
        for (String c : List.of("products", "orders", "users")) {
            qdrantbackup.qdrant.SnapshotInfo made = client.createSnapshot(c);
            Path part = archive.resolve(c + ".snapshot.part");
            Files.write(part, new byte[1000]);
            parts.put(c, part);
            java.time.Instant when = c.equals("orders") ? now.minus(Duration.ofHours(7)) : now;
            left.add(new ServerSnapshots.Entry(
                    c,
                    made.name(),
                    when.toString(),
                    List.of(),
                    deadPid,
                    new ServerSnapshots.Download(part.toString(), made, 50L, when.toString())));
        }
        client.deleteSnapshot("users", left.get(2).name());
        SafeFiles.createPrivateDirectories(state);
        SafeFiles.writeJson(state.resolve(ServerSnapshots.FILE), left);

        assertThat(ServerSnapshots.resumableParts(state, Duration.ofHours(6)))
                .containsExactlyInAnyOrder(parts.get("products"), parts.get("users"));
        ServerSnapshots journal = new ServerSnapshots(client, state, Duration.ofHours(6));
        journal.cleanLeftovers();
        assertThat(qdrant.serverSnapshots("orders"))
                .as("too old to resume: deleted")
                .isEmpty();
        assertThat(parts.get("orders")).doesNotExist();
        assertThat(qdrant.serverSnapshots("products"))
                .containsExactly(left.get(0).name());

        assertThat(journal.resume("users"))
                .as("gone from the server: start over")
                .isEmpty();
        assertThat(parts.get("users")).doesNotExist();
        CollectionSnapshot.Taken resumed = journal.resume("products").orElseThrow();
        assertThat(resumed.resumed()).isTrue();
        assertThat(resumed.name()).isEqualTo(left.get(0).name());
        assertThat(resumed.pointsBefore()).isEqualTo(50L);
        assertThat(journal.resume("products")).as("taken once").isEmpty();

        // a run that never reached a kept snapshot deletes it at its end
        ServerSnapshots another = new ServerSnapshots(client, state, Duration.ofHours(6));
        SafeFiles.writeJson(state.resolve(ServerSnapshots.FILE), List.of(left.get(0)));
        another.cleanLeftovers();
        another.releaseKept();
        assertThat(qdrant.serverSnapshots("products")).isEmpty();
        assertThat(parts.get("products")).doesNotExist();
    }
}
