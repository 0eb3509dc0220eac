package qdrantbackup.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.store.Manifest;
import qdrantbackup.store.local.LocalStore;
import qdrantbackup.testing.Crashes;
import qdrantbackup.testing.FakeQdrant;
import qdrantbackup.testing.Members;
import qdrantbackup.transfer.HashingCopy;

/**
 * Crash points of a backup and an expiry: a daemon in a JVM of its own halts at a named point (or is killed with
 * -9), a fresh one starts on the same folders and runs again; then every final-named file verifies, nothing is
 * left half-made, and Qdrant's disk holds no snapshot of the tool.
 */
class BackupCrashTest {
    @TempDir
    Path dir;

    FakeQdrant qdrant;
    Members members;

    @BeforeEach
    void start() {
        qdrant = FakeQdrant.start(dir.resolve("qdrant")).collection("products", 1200);
        members = new Members();
    }

    @AfterEach
    void stop() {
        members.close();
        qdrant.close();
    }

    @RepeatedTest(3)
    void killedAfterTheSnapshotWasCreatedTheNextRunCleansTheServerAndBacksUp() throws Exception {
        Members.Instance first = daemon("backup.after-snapshot-created", Map.of());
        first.post("/backup");
        crashed(first);
        assertThat(qdrant.serverSnapshots("products")).hasSize(1);

        Members.Instance second = backupAgain();
        assertThat(second.logText()).contains("was interrupted (the process ended without a clean stop)");
        healthy(1);
    }

    @RepeatedTest(3)
    void killedMidDownloadTheNextRunResumesTheSameSnapshot() throws Exception {
        long size = 4 << 20;
        qdrant.snapshotSize("products", size).slowDownload("products", Duration.ofSeconds(60), 1);
        Members.Instance first = daemon(null, Map.of());
        first.post("/backup");
        await().atMost(Duration.ofSeconds(60)).until(() -> partBytes() > size / 8);
        first.process().destroyForcibly().waitFor();
        long onDisk = partBytes();
        long sentBefore = qdrant.downloadBytesSent();

        Members.Instance second = backupAgain(Map.of());
        assertThat(second.logText())
                .contains("this run's backup of it resumes there")
                .containsPattern("resumed at " + onDisk + " bytes of \\d+");
        assertThat(qdrant.countRequests("POST", "/collections/products/snapshots"))
                .as("snapshots made: the interrupted one is reused")
                .isEqualTo(1);
        healthy(1);
        long whole =
                new LocalStore(dir.resolve("archive")).list("products").get(0).size();
        assertThat(qdrant.downloadBytesSent() - sentBefore)
                .as("bytes sent after the restart: only what the part file lacked (a cut-off may count a buffer more)")
                .isBetween(whole - onDisk, whole - onDisk + (1 << 20));
    }

    @RepeatedTest(3)
    void killedMidDownloadWithResumeOffThePartialFileGoesAndTheNextRunStartsOver() throws Exception {
        Map<String, String> noResume = Map.of("backup.resume-max-age", "0s");
        qdrant.snapshotSize("products", 4 << 20).slowDownload("products", Duration.ofSeconds(60), 1);
        Members.Instance first = daemon(null, noResume);
        first.post("/backup");
        await().atMost(Duration.ofSeconds(60)).until(() -> partBytes() > 0);
        first.process().destroyForcibly().waitFor();

        Members.Instance second = backupAgain(noResume);
        assertThat(second.logText()).contains("partial file(s) left by an interrupted transfer");
        assertThat(second.logText()).contains("left there by an interrupted run");
        healthy(1);
    }

    @RepeatedTest(3)
    void killedBeforeTheManifestTheSnapshotIsCompletedAtTheNextStart() throws Exception {
        Members.Instance first = daemon("backup.before-manifest", Map.of());
        first.post("/backup");
        crashed(first);
        assertThat(files(".snapshot")).hasSize(1);
        assertThat(files(".snapshot.json")).isEmpty();

        Members.Instance second = backupAgain();
        assertThat(second.logText()).contains("a crash came before its manifest");
        // completed, then expired by the run: a day keeps its newest backup
        healthy(1);
    }

    @RepeatedTest(3)
    void killedBetweenTheDeletesOfAnExpiryTheNextStartFinishesTheDelete() throws Exception {
        LocalStore archive = new LocalStore(dir.resolve("archive"));
        for (int daysAgo : new int[] {1, 40}) {
            Instant when = Instant.now().minus(Duration.ofDays(daysAgo));
            String name = "products-1-" + when.toString().substring(0, 10) + "-02-00-00.snapshot";
            Path file = archive.folder("products").resolve(name);
            String sha = FakeQdrant.writeSnapshotTar(file, "products", 10, FakeQdrant.DEFAULT_VECTORS, 1, 16 * 1024);
            archive.put(
                    new Manifest(
                            "products",
                            name,
                            Manifest.COLLECTION,
                            Files.size(file),
                            sha,
                            when.toString(),
                            "1.19.0",
                            10L,
                            null,
                            Map.of(),
                            "test"),
                    archive.folder("products"));
        }
        Members.Instance first = daemon(
                "expire.between-deletes",
                Map.of(
                        "retention.schedule.enabled", "true",
                        "retention.schedule.cron", "0/1 * * * * ?",
                        "retention.weekly", "0",
                        "retention.monthly", "0"));
        crashed(first);
        assertThat(files(".snapshot")).as("the old data went first").hasSize(1);
        assertThat(files(".snapshot.json")).hasSize(2);

        Members.Instance second = daemon(null, Map.of());
        await().atMost(Duration.ofSeconds(60))
                .until(() -> files(".snapshot.json").size() == 1);
        assertThat(second.logText()).contains("finished the interrupted delete");
        assertThat(archive.list("products")).hasSize(1);
        verified();
    }

    // ---- helpers ----

    private Members.Instance daemon(String crashAt, Map<String, String> extra) throws IOException {
        return Crashes.ready(members.start(
                "a", dir, Crashes.daemon(qdrant.url(), dir.resolve("archive"), extra), Crashes.at(crashAt)));
    }

    /** A fresh process on the same folders runs a backup to its end. */
    private Members.Instance backupAgain() throws Exception {
        return backupAgain(Map.of());
    }

    private Members.Instance backupAgain(Map<String, String> extra) throws Exception {
        return Crashes.backupRun(daemon(null, extra));
    }

    private long partBytes() throws IOException {
        long bytes = 0;
        for (Path p : files(".part")) {
            bytes += Files.size(p);
        }
        return bytes;
    }

    private static void crashed(Members.Instance member) throws Exception {
        Crashes.halted(member);
    }

    /** {@code backups} complete backups that verify, nothing half-made, Qdrant's disk clean. */
    private void healthy(int backups) throws IOException {
        assertThat(new LocalStore(dir.resolve("archive")).list("products")).hasSize(backups);
        verified();
        assertThat(qdrant.serverSnapshots("products"))
                .as("snapshots left on Qdrant's disk")
                .isEmpty();
    }

    /** Every manifest's files match it; every snapshot has a manifest; no partial file. */
    private void verified() throws IOException {
        assertThat(files(".part")).isEmpty();
        for (Path json : files(".snapshot.json")) {
            Manifest m = LocalStore.readManifest(json).orElseThrow();
            for (Manifest.DataFile f : m.dataFiles()) {
                assertThat(HashingCopy.sha256(json.resolveSibling(f.name())))
                        .as(f.name())
                        .isEqualTo(f.sha256());
            }
        }
        for (Path snapshot : files(".snapshot")) {
            assertThat(snapshot.resolveSibling(snapshot.getFileName() + ".json"))
                    .exists();
        }
    }

    private List<Path> files(String suffix) throws IOException {
        Path root = dir.resolve("archive");
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(p -> p.getFileName().toString().endsWith(suffix)).toList();
        }
    }
}
