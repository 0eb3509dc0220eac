package qdrantbackup.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.store.Manifest;
import qdrantbackup.store.local.LocalStore;
import qdrantbackup.store.s3.Buckets;
import qdrantbackup.store.s3.S3Store;
import qdrantbackup.testing.Crashes;
import qdrantbackup.testing.FakeQdrant;
import qdrantbackup.testing.Members;
import qdrantbackup.testing.S3Server;

/**
 * Crash points on the way to the bucket: mid multipart upload (after part 2) and after the object, before its
 * manifest object. The next start and run leave no multipart upload open and the bucket holding the backup whole.
 */
class OffsiteCrashTest {
    S3Server s3;

    @TempDir
    Path dir;

    FakeQdrant qdrant;
    Members members;
    String prefix;

    @BeforeEach
    void start() {
        // a server of its own: a process killed mid-request can leave a half-written object that breaks listings
        s3 = S3Server.start();
        // 12 MiB: three parts of 5 MiB, sent while the download arrives
        qdrant = FakeQdrant.start(dir.resolve("qdrant")).collection("products", 1200);
        qdrant.snapshotSize("products", 12 << 20);
        members = new Members();
        prefix = "crash-" + dir.getFileName();
    }

    @AfterEach
    void stop() {
        members.close();
        qdrant.close();
        s3.close();
    }

    @RepeatedTest(3)
    void killedMidUploadTheNextRunAbortsTheOpenUploadAndShipsTheBackup() throws Exception {
        // one part at a time: S3Proxy's file back end keeps a part cut off mid-request as a file without its
        // metadata, which breaks every later listing (S3 itself keeps nothing of an unfinished request)
        Members.Instance first = daemon("offsite.mid-upload", Map.of("offsite.upload-threads", "1"));
        first.post("/backup");
        crashed(first);
        assertThat(s3.listMultipartUploads())
                .as("the crash left an upload open")
                .isNotEmpty();

        Members.Instance second = backupAgain();
        assertThat(second.logText()).contains("was left open by process");
        shipped();
    }

    @RepeatedTest(3)
    void killedBeforeTheManifestObjectTheNextRunCompletesTheBackupInTheBucket() throws Exception {
        Members.Instance first = daemon("offsite.before-manifest");
        first.post("/backup");
        crashed(first);
        try (S3Store bucket = bucket()) {
            assertThat(bucket.list("products")).as("no manifest object yet").isEmpty();
        }

        backupAgain();
        shipped();
    }

    @RepeatedTest(3)
    void killedBetweenTheDeletesOfABucketExpiryTheNextRunDeletesTheLeftManifest() throws Exception {
        Path old = dir.resolve("old");
        java.time.Instant when = java.time.Instant.now().minus(java.time.Duration.ofDays(40));
        String name = "products-1-" + when.toString().substring(0, 10) + "-02-00-00.snapshot";
        java.nio.file.Files.createDirectories(old);
        String sha = FakeQdrant.writeSnapshotTar(
                old.resolve(name), "products", 10, FakeQdrant.DEFAULT_VECTORS, 1, 16 * 1024);
        Manifest expired = new Manifest(
                "products",
                name,
                Manifest.COLLECTION,
                java.nio.file.Files.size(old.resolve(name)),
                sha,
                when.toString(),
                "1.19.0",
                10L,
                null,
                Map.of(),
                "test");
        try (S3Store bucket = bucket()) {
            bucket.put(expired, old);
        }
        Map<String, String> monthsOff = Map.of("retention.weekly", "0", "retention.monthly", "0");
        Members.Instance first = daemon("offsite.between-deletes", monthsOff);
        first.post("/backup");
        crashed(first);
        try (S3Store bucket = bucket()) {
            assertThat(bucket.names("products")).as("the old data went first").doesNotContain(name);
            assertThat(bucket.names("products")).contains(expired.fileName());
        }

        Members.Instance second = Crashes.backupRun(daemon(null, monthsOff));
        assertThat(second.logText()).contains("finished the interrupted delete of 1 backup(s)");
        try (S3Store bucket = bucket()) {
            assertThat(bucket.names("products")).doesNotContain(expired.fileName());
            for (Manifest m : bucket.list("products")) {
                assertThat(bucket.has(m)).isTrue();
            }
        }
        shipped();
    }

    // ---- helpers ----

    private S3Store bucket() {
        return S3Store.create(Buckets.settings(s3.bucket(), prefix)
                .withEndpoint(s3.endpoint(), true)
                .withCredentials(s3.accessKey(), s3.secretKey()));
    }

    /** Every backup in the archive is in the bucket too, no upload is left open, Qdrant's disk is clean. */
    private void shipped() {
        List<Manifest> local = new LocalStore(dir.resolve("archive")).list("products");
        assertThat(local).isNotEmpty();
        try (S3Store bucket = bucket()) {
            for (Manifest m : local) {
                assertThat(bucket.has(m)).as(m.snapshot() + " in the bucket").isTrue();
            }
        }
        assertThat(s3.listMultipartUploads()).as("multipart uploads left open").isEmpty();
        assertThat(qdrant.serverSnapshots("products")).isEmpty();
    }

    private Members.Instance daemon(String crashAt) throws IOException {
        return daemon(crashAt, Map.of());
    }

    private Members.Instance daemon(String crashAt, Map<String, String> extra) throws IOException {
        Map<String, String> offsite = new LinkedHashMap<>(s3.settings(prefix));
        offsite.putAll(extra);
        offsite.put("offsite.part-size", "5MB");
        return Crashes.ready(members.start(
                "a", dir, Crashes.daemon(qdrant.url(), dir.resolve("archive"), offsite), Crashes.at(crashAt)));
    }

    private Members.Instance backupAgain() throws Exception {
        return Crashes.backupRun(daemon(null));
    }

    private static void crashed(Members.Instance member) throws Exception {
        Crashes.halted(member);
    }
}
