package qdrantbackup.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.store.FollowingPut;
import qdrantbackup.testing.S3Server;
import qdrantbackup.transfer.HashingCopy;
import software.amazon.awssdk.core.sync.RequestBody;

class S3ObjectsTest {
    private static final long MIB = 1024 * 1024;
    private static S3Server server;

    @TempDir
    Path dir;

    private final List<S3Objects> targets = new ArrayList<>();

    @BeforeAll
    static void startServer() {
        server = S3Server.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @AfterEach
    void closeTargets() {
        server.failPartsFrom(0);
        targets.forEach(S3Objects::close);
    }

    private OffsiteSettings settings(String prefix) {
        return qdrantbackup.store.s3.Buckets.settings(server.bucket(), prefix)
                .withEndpoint(server.endpoint(), true)
                .withCredentials(server.accessKey(), server.secretKey())
                .withUpload(5 * MIB, 4);
    }

    private S3Objects target(OffsiteSettings s) {
        S3Objects t = S3Objects.create(s);
        targets.add(t);
        return t;
    }

    @Test
    void smallFileIsOnePutWithSha256Metadata() throws Exception {
        S3Objects t = target(settings("/small//run-1/"));
        Path f = randomFile("a.snapshot", 10_000);
        int partsBefore = server.partUploadsSeen();
        AtomicLong last = new AtomicLong();

        t.put(key(t, "coll", "a.snapshot"), f, sha256(f), (done, total) -> last.set(done));

        String key = "small/run-1/coll/a.snapshot";
        assertThat(key(t, "coll", "a.snapshot")).isEqualTo(key);
        assertThat(server.bytes(key)).isEqualTo(Files.readAllBytes(f));
        assertThat(server.metadata(key)).containsEntry("sha256", sha256(f));
        assertThat(server.partUploadsSeen()).isEqualTo(partsBefore);
        assertThat(last.get()).isEqualTo(10_000);

        ObjectInfo stat = t.stat(key(t, "coll", "a.snapshot")).orElseThrow();
        assertThat(stat.size()).isEqualTo(10_000);
        assertThat(stat.sha256()).isEqualTo(sha256(f));
        assertThat(stat.lastModified()).isNotNull();
        assertThat(stat.key()).isEqualTo(key);
        assertThat(t.stat(key(t, "coll", "missing.snapshot"))).isEmpty();

        // safe to repeat: same key, overwritten
        t.put(key(t, "coll", "a.snapshot"), f, null, null);
        assertThat(server.keys("small/")).containsExactly(key);
    }

    @Test
    void anArchivedFileThatNoLongerMatchesItsRecordedHashIsNeverShipped() throws Exception {
        S3Objects t = target(settings("rot"));
        for (long size : new long[] {10_000, 12 * MIB + 5}) {
            Path f = randomFile("r" + size + ".snapshot", size);
            String recorded = sha256(f);
            byte[] bytes = Files.readAllBytes(f);
            bytes[(int) (size / 2)] ^= 0x5a; // one flipped byte on the archive's disk, same size
            Files.write(f, bytes);
            String key = key(t, "coll", f.getFileName().toString());

            assertThatThrownBy(() -> t.put(key, f, recorded, null))
                    .isInstanceOf(FileCheck.DamagedFileException.class)
                    .hasMessageContaining("is damaged")
                    .hasMessageContaining(recorded);

            assertThat(server.keys("rot/"))
                    .as("nothing shipped for " + size + " bytes")
                    .isEmpty();
            assertThat(server.listMultipartUploads()).isEmpty();
        }
    }

    @Test
    void uploadsACrashLeftOpenAreAbortedAndOthersOnlyWhenOldEnough() throws Exception {
        S3Objects t = target(settings("open"));
        Path state = Files.createDirectories(dir.resolve("state"));
        t.recordUploadsIn(state);
        // a crashed process of this tool: its upload recorded with a pid that no longer runs
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        String crashed = server.client()
                .createMultipartUpload(b -> b.bucket(server.bucket()).key("open/coll/crashed.snapshot"))
                .uploadId();
        Files.writeString(
                state.resolve(UploadRecords.FILE),
                "[{\"key\":\"open/coll/crashed.snapshot\",\"uploadId\":\"" + crashed + "\",\"pid\":" + gone.pid()
                        + ",\"started\":\"2026-12-01T02:00:00Z\"}]");
        // someone else's, no record: left alone while young
        server.client().createMultipartUpload(b -> b.bucket(server.bucket()).key("open/coll/other.snapshot"));
        // outside the prefix: never touched
        server.client().createMultipartUpload(b -> b.bucket(server.bucket()).key("elsewhere/x.snapshot"));

        try {
            assertThat(t.abortAbandoned(Duration.ofDays(1))).isEqualTo(1);
            assertThat(server.listMultipartUploads())
                    .noneMatch(u -> u.contains("crashed"))
                    .anyMatch(u -> u.startsWith("open/coll/other.snapshot"))
                    .anyMatch(u -> u.startsWith("elsewhere/"));
            assertThat(Files.readString(state.resolve(UploadRecords.FILE))).doesNotContain(crashed);
        } finally {
            server.listMultipartUploads()
                    .forEach(u -> server.client()
                            .abortMultipartUpload(b -> b.bucket(server.bucket())
                                    .key(u.split(" ")[0])
                                    .uploadId(u.split(" ")[1])));
        }
    }

    @Test
    void anUploadACrashLeftOpenIsResumedFromItsCheckedParts() throws Exception {
        S3Objects t = target(settings("resume"));
        Path state = Files.createDirectories(dir.resolve("state-resume"));
        t.recordUploadsIn(state);
        Path f = randomFile("r.snapshot", 3 * 5 * MIB + 77); // four parts of 5 MiB
        String key = key(t, "coll", "r.snapshot");
        byte[] bytes = Files.readAllBytes(f);
        // the crashed process had sent parts 1 and 2, part 2 with wrong bytes (cut off, or the file changed since)
        String id = server.client()
                .createMultipartUpload(
                        b -> b.bucket(server.bucket()).key(key).metadata(Map.of(S3Objects.SHA256_METADATA, sha256(f))))
                .uploadId();
        byte[] wrong = java.util.Arrays.copyOfRange(bytes, (int) (5 * MIB), (int) (10 * MIB));
        wrong[7] ^= 1;
        for (var part : List.of(java.util.Arrays.copyOfRange(bytes, 0, (int) (5 * MIB)), wrong)) {
            int n = part == wrong ? 2 : 1;
            server.client()
                    .uploadPart(
                            b -> b.bucket(server.bucket()).key(key).uploadId(id).partNumber(n),
                            software.amazon.awssdk.core.sync.RequestBody.fromBytes(part));
        }
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.writeString(
                state.resolve(UploadRecords.FILE),
                "[{\"key\":\"" + key + "\",\"uploadId\":\"" + id + "\",\"pid\":" + gone.pid()
                        + ",\"started\":\"2026-12-01T02:00:00Z\"}]");
        int partsBefore = server.partUploadsSeen();

        t.put(key, f, sha256(f), null);

        assertThat(server.partUploadsSeen() - partsBefore)
                .as("part 1 kept; the wrong part 2 and parts 3, 4 sent")
                .isEqualTo(3);
        assertThat(server.bytes(key)).isEqualTo(bytes);
        assertThat(server.listMultipartUploads()).isEmpty();
        assertThat(Files.readString(state.resolve(UploadRecords.FILE)).replaceAll("\\s", ""))
                .isEqualTo("[]");
    }

    @Test
    void anUploadIsRecordedWhileOpenAndForgottenOnceComplete() throws Exception {
        S3Objects t = target(settings("rec"));
        Path state = Files.createDirectories(dir.resolve("state-rec"));
        t.recordUploadsIn(state);
        server.failPartsFrom(2);
        Path f = randomFile("big.snapshot", 12 * MIB);
        assertThatThrownBy(() -> t.put(key(t, "coll", "big.snapshot"), f, null, null));
        server.failPartsFrom(0);
        t.put(key(t, "coll", "big.snapshot"), f, null, null);
        assertThat(Files.readString(state.resolve(UploadRecords.FILE)).replaceAll("\\s", ""))
                .isEqualTo("[]");
    }

    @Test
    void emptyPrefixGivesCollectionSlashFile() {
        S3Objects t = target(settings(""));
        assertThat(key(t, "c", "f.snapshot")).isEqualTo("c/f.snapshot");
        assertThatThrownBy(() -> key(t, "c", "../x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> key(t, "a/b", "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void largeFileGoesUpInParallelParts() throws Exception {
        S3Objects t = target(settings("large"));
        Path f = randomFile("big.snapshot", 40 * MIB + 123);
        String sha = sha256(f);
        int partsBefore = server.partUploadsSeen();
        List<Long> progress = new ArrayList<>();

        t.put(key(t, "coll", "big.snapshot"), f, sha, (done, total) -> {
            assertThat(total).isEqualTo(40 * MIB + 123);
            progress.add(done);
        });

        String key = "large/coll/big.snapshot";
        byte[] stored = server.bytes(key);
        assertThat(stored.length).isEqualTo(40 * MIB + 123);
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(stored)))
                .isEqualTo(sha);
        assertThat(server.metadata(key)).containsEntry("sha256", sha);
        assertThat(server.partUploadsSeen() - partsBefore).isEqualTo(9); // 8 full parts of 5 MiB + 123 bytes
        assertThat(progress).isSorted().last().isEqualTo(40 * MIB + 123);
        assertThat(server.listMultipartUploads()).isEmpty();
    }

    /** Writes {@code source} into {@code target} in {@code chunk}-byte pieces, telling {@code upload} after each. */
    private static void writeFollowed(Path source, Path target, int chunk, FollowingPut upload) throws IOException {
        byte[] all = Files.readAllBytes(source);
        try (OutputStream out = Files.newOutputStream(target)) {
            for (int off = 0; off < all.length; off += chunk) {
                int n = Math.min(chunk, all.length - off);
                out.write(all, off, n);
                out.flush();
                upload.written(off + n);
            }
        }
    }

    @Test
    void streamingUploadSendsPartsWhileTheFileGrowsAndCreatesTheObjectOnlyOnComplete() throws Exception {
        S3Objects t = target(settings("stream"));
        Path source = randomFile("src.snapshot", 17 * MIB + 77);
        String sha = sha256(source);
        Path part = dir.resolve("s.snapshot.part");
        int partsBefore = server.partUploadsSeen();

        FollowingPut upload = t.follow(key(t, "coll", "s.snapshot"), part, 17 * MIB + 77, sha);
        writeFollowed(source, part, 3 * 1024 * 1024 + 11, upload);
        // parts went up before anything was verified, but no object exists yet
        await().atMost(Duration.ofSeconds(30)).until(() -> server.partUploadsSeen() - partsBefore == 4);
        assertThat(server.keys("stream/")).isEmpty();
        // the archive renames the verified file: the upload keeps reading what it opened
        Files.move(part, dir.resolve("s.snapshot"));

        upload.complete(sha.toUpperCase());

        byte[] stored = server.bytes("stream/coll/s.snapshot");
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(stored)))
                .isEqualTo(sha);
        assertThat(server.metadata("stream/coll/s.snapshot")).containsEntry("sha256", sha);
        assertThat(server.partUploadsSeen() - partsBefore).isEqualTo(4); // 3 parts of 5 MiB + 2 MiB and 77 bytes
        assertThat(server.listMultipartUploads()).isEmpty();
    }

    @Test
    void streamingUploadWithAnotherSha256IsAbortedAndLeavesNothing() throws Exception {
        S3Objects t = target(settings("stream-bad"));
        Path source = randomFile("src.snapshot", 11 * MIB);
        Path part = dir.resolve("b.snapshot.part");
        FollowingPut upload = t.follow(key(t, "coll", "b.snapshot"), part, 11 * MIB, sha256(source));
        writeFollowed(source, part, 1024 * 1024, upload);

        assertThatThrownBy(() -> upload.complete("00" + sha256(source).substring(2)))
                .isInstanceOf(OffsiteException.class)
                .hasMessageContaining("aborted");

        assertThat(server.keys("stream-bad/")).isEmpty();
        assertThat(server.listMultipartUploads()).isEmpty();
        assertThat(server.backendMultipartUploads()).isEmpty();
    }

    @Test
    void streamingUploadOfACutOffFileCannotCompleteAndAbortLeavesNothing() throws Exception {
        S3Objects t = target(settings("stream-cut"));
        Path source = randomFile("src.snapshot", 12 * MIB);
        Path part = dir.resolve("c.snapshot.part");
        FollowingPut cut = t.follow(key(t, "coll", "c.snapshot"), part, 24 * MIB, sha256(source));
        writeFollowed(source, part, 1024 * 1024, cut); // only half of the announced size arrives

        assertThatThrownBy(() -> cut.complete(sha256(source)))
                .isInstanceOf(OffsiteException.class)
                .hasMessageContaining("incomplete");
        assertThat(server.listMultipartUploads()).isEmpty();

        FollowingPut cancelled = t.follow(key(t, "coll", "d.snapshot"), part, 12 * MIB, sha256(source));
        cancelled.written(12 * MIB);
        cancelled.abort();

        assertThat(server.keys("stream-cut/")).isEmpty();
        assertThat(server.listMultipartUploads()).isEmpty();
        assertThat(server.backendMultipartUploads()).isEmpty();
    }

    @Test
    void failedPartAbortsTheMultipartUpload() throws Exception {
        S3Objects t = target(settings("failing"));
        Path f = randomFile("big.snapshot", 30 * MIB);
        server.failPartsFrom(3);

        assertThatThrownBy(() -> t.put(key(t, "coll", "big.snapshot"), f, sha256(f), null))
                .isInstanceOf(OffsiteException.class)
                .hasMessageContaining("s3://" + server.bucket() + "/failing/coll/big.snapshot")
                .hasMessageContaining("multipart upload");

        assertThat(server.keys("failing/")).isEmpty();
        assertThat(server.listMultipartUploads()).isEmpty();
        assertThat(server.backendMultipartUploads()).isEmpty();
        assertThat(server.storedFiles()).noneMatch(name -> name.contains("failing"));

        // repeat once the store is healthy again
        server.failPartsFrom(0);
        t.put(key(t, "coll", "big.snapshot"), f, sha256(f), null);
        assertThat(server.metadata("failing/coll/big.snapshot")).containsEntry("sha256", sha256(f));
        assertThat(server.listMultipartUploads()).isEmpty();
    }

    @Test
    void listFollowsContinuationTokensAndDeleteBatches() throws Exception {
        S3Objects t = target(settings("many"));
        putTinyObjects(server, "many/coll/", 1_050);
        server.client().putObject(b -> b.bucket(server.bucket()).key("many/other/o"), RequestBody.fromString("yy"));
        server.client().putObject(b -> b.bucket(server.bucket()).key("many/loose"), RequestBody.fromString("z"));

        List<RemoteObject> coll = list(t, "coll");
        assertThat(coll).hasSize(1_050);
        assertThat(coll).allSatisfy(o -> {
            assertThat(o.collection()).isEqualTo("coll");
            assertThat(o.size()).isEqualTo(1);
            assertThat(o.lastModified()).isNotNull();
        });
        assertThat(coll.get(7).fileName()).isEqualTo("f-0007");
        List<RemoteObject> all = list(t, null);
        assertThat(all).hasSize(1_051); // "many/loose" is not <collection>/<file>
        assertThat(all).extracting(RemoteObject::collection).containsOnly("coll", "other");

        assertThatThrownBy(() -> t.delete(List.of("elsewhere/coll/x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not under the prefix");

        t.delete(coll.stream().map(RemoteObject::key).toList());
        assertThat(list(t, "coll")).isEmpty();
        assertThat(server.keys("many/")).containsExactlyInAnyOrder("many/other/o", "many/loose");
    }

    @Test
    void deleteUsesBatchesOfAThousandWhereDeleteObjectsWorks() throws Exception {
        try (S3Server lenient = S3Server.start("lenient", true)) {
            OffsiteSettings s = qdrantbackup.store.s3.Buckets.settings(lenient.bucket(), "b")
                    .withEndpoint(lenient.endpoint(), true)
                    .withCredentials(lenient.accessKey(), lenient.secretKey());
            try (S3Objects t = S3Objects.create(s)) {
                putTinyObjects(lenient, "b/coll/", 1_050);
                List<String> keys =
                        list(t, "coll").stream().map(RemoteObject::key).toList();
                assertThat(keys).hasSize(1_050);
                int before = lenient.batchDeletesSeen();
                t.delete(keys);
                assertThat(lenient.batchDeletesSeen() - before).isEqualTo(2);
                assertThat(lenient.keys("b/")).isEmpty();
            }
        }
    }

    @Test
    void downloadVerifiesSha256() throws Exception {
        S3Objects t = target(settings("dl"));
        Path f = randomFile("s.snapshot", 12 * MIB + 5);
        t.put(key(t, "coll", "s.snapshot"), f, sha256(f), null);

        Path target = dir.resolve("restore/s.snapshot");
        AtomicLong last = new AtomicLong();
        t.get(key(t, "coll", "s.snapshot"), target, -1, null, (done, total) -> last.set(done));
        assertThat(target).hasSameBinaryContentAs(f);
        assertThat(last.get()).isEqualTo(12 * MIB + 5);
        assertThat(dir.resolve("restore/s.snapshot.part")).doesNotExist();

        // an object whose bytes do not match its sha256 metadata
        server.client()
                .putObject(
                        b -> b.bucket(server.bucket())
                                .key("dl/coll/bad.snapshot")
                                .metadata(Map.of("sha256", "00".repeat(32))),
                        RequestBody.fromString("corrupted"));
        Path bad = dir.resolve("restore/bad.snapshot");
        assertThatThrownBy(() -> t.get(key(t, "coll", "bad.snapshot"), bad, -1, null, null))
                .isInstanceOf(OffsiteException.class)
                .hasMessageContaining("sha256 mismatch")
                .hasMessageContaining("dl/coll/bad.snapshot");
        assertThat(bad).doesNotExist();
        assertThat(dir.resolve("restore/bad.snapshot.part")).doesNotExist();

        assertThatThrownBy(() -> t.get(key(t, "coll", "nothing.snapshot"), dir.resolve("restore/n"), -1, null, null))
                .isInstanceOf(OffsiteException.class)
                .hasMessageContaining("does not exist");
        assertThat(dir.resolve("restore/n.part")).doesNotExist();
    }

    @Test
    void checkWritableLeavesNothingBehind() {
        S3Objects t = target(settings("probe"));
        t.checkWritable();
        assertThat(server.keys("probe/")).isEmpty();
    }

    @Test
    void wrongCredentialsNameTheFixAndNeverTheKeys() throws Exception {
        String wrongSecret = "wrong-secret-" + System.nanoTime();
        String wrongAccess = "AKWRONG" + System.nanoTime();
        S3Objects badSecret = target(settings("creds").withCredentials(server.accessKey(), wrongSecret));
        S3Objects badAccess = target(settings("creds").withCredentials(wrongAccess, wrongSecret));
        Path small = randomFile("c.snapshot", 100);
        Path big = randomFile("cbig.snapshot", 6 * MIB);

        for (S3Objects t : List.of(badSecret, badAccess)) {
            List<Throwable> failures = List.of(
                    catchIt(t::checkWritable),
                    catchIt(() -> t.put(key(t, "coll", "c.snapshot"), small, null, null)),
                    catchIt(() -> t.put(key(t, "coll", "cbig.snapshot"), big, null, null)),
                    catchIt(() -> list(t, null)),
                    catchIt(() -> t.stat(key(t, "coll", "c.snapshot"))),
                    catchIt(() -> t.get(key(t, "coll", "c.snapshot"), dir.resolve("x"), -1, null, null)));
            for (Throwable e : failures) {
                assertThat(e)
                        .isInstanceOf(OffsiteException.class)
                        .hasMessageContaining("S3 refused the credentials")
                        .hasMessageContaining("check offsite.access-key/secret-key or the AWS credential chain");
                String all = stackTrace(e);
                assertThat(all).doesNotContain(wrongSecret, server.secretKey(), wrongAccess, server.accessKey());
            }
            assertThat(t.settings().toString())
                    .doesNotContain(wrongSecret, wrongAccess, server.accessKey())
                    .contains("accessKey=****", "secretKey=****");
        }
        assertThat(server.keys("creds/")).isEmpty();
    }

    @Test
    void missingBucketNamesTheFix() throws Exception {
        S3Objects t = target(settings("p").withBucket("no-such-bucket"));
        Path small = randomFile("m.snapshot", 100);
        for (Throwable e : List.of(
                catchIt(t::checkWritable),
                catchIt(() -> t.put(key(t, "coll", "m.snapshot"), small, null, null)),
                catchIt(() -> list(t, "coll")),
                catchIt(() -> t.stat(key(t, "coll", "m.snapshot"))))) {
            assertThat(e)
                    .isInstanceOf(OffsiteException.class)
                    .hasMessageContaining("bucket no-such-bucket does not exist")
                    .hasMessageContaining("create it or fix offsite.bucket");
            assertThat(stackTrace(e)).doesNotContain(server.secretKey(), server.accessKey());
        }
    }

    @Test
    void unreachableStoreIsReportedClearly() throws Exception {
        try (S3Server other = S3Server.start("other")) {
            OffsiteSettings s = qdrantbackup.store.s3.Buckets.settings(other.bucket(), "x")
                    .withEndpoint(other.endpoint(), true)
                    .withCredentials(other.accessKey(), other.secretKey());
            try (S3Objects t = S3Objects.create(s)) {
                t.checkWritable();
                other.stop();
                assertThatThrownBy(t::checkWritable)
                        .isInstanceOf(OffsiteException.class)
                        .hasMessageContaining("cannot reach S3 at " + other.endpoint())
                        .hasMessageContaining("check offsite.endpoint");
            }
        }
    }

    @Test
    void settingsDefaultsAndValidation() {
        OffsiteSettings s = qdrantbackup.store.s3.Buckets.settings("b", null);
        assertThat(s.partSizeBytes()).isEqualTo(16 * MIB);
        assertThat(s.uploadThreads()).isEqualTo(4);
        assertThat(s.checksumMode()).isEqualTo("when_required");
        assertThat(s.region()).isEqualTo("us-east-1");
        assertThat(s.prefix()).isEmpty();
        assertThat(s.withChecksumMode("WHEN-SUPPORTED").checksumMode()).isEqualTo("when_supported");
        assertThatThrownBy(() -> s.withUpload(MIB, 2)).hasMessageContaining("5 MiB");
        assertThatThrownBy(() -> s.withChecksumMode("always")).hasMessageContaining("when_required");
        assertThat(s.toString()).contains("<default chain>");
        assertThat(MultipartCalls.partSizeFor(200_000 * MIB, 16 * MIB)).isEqualTo(20 * MIB);
        assertThat(MultipartCalls.partSizeFor(100 * MIB, 16 * MIB)).isEqualTo(16 * MIB);
    }

    // ------------------------------------------------------------------

    private static void putTinyObjects(S3Server s3, String keyPrefix, int count) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> puts = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String key = String.format("%sf-%04d", keyPrefix, i);
                puts.add(pool.submit(() ->
                        s3.client().putObject(b -> b.bucket(s3.bucket()).key(key), RequestBody.fromString("x"))));
            }
            for (Future<?> p : puts) {
                p.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    private Path randomFile(String name, long size) throws IOException {
        Path f = dir.resolve(name);
        Random r = new Random(size);
        byte[] buf = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(f)) {
            long left = size;
            while (left > 0) {
                r.nextBytes(buf);
                int n = (int) Math.min(buf.length, left);
                out.write(buf, 0, n);
                left -= n;
            }
        }
        return f;
    }

    private static String sha256(Path f) {
        try {
            return HashingCopy.sha256(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String key(S3Objects t, String collection, String fileName) {
        return new KeyLayout(t.settings().prefix()).key(collection, fileName);
    }

    /** The objects laid out as {@code <collection>/<file>}, as the store sees them. */
    private static List<RemoteObject> list(S3Objects t, String collection) {
        return new S3Store(t, t.settings()).objects(collection);
    }

    private static Throwable catchIt(Runnable r) {
        try {
            r.run();
        } catch (Throwable t) {
            return t;
        }
        throw new AssertionError("expected a failure");
    }

    private static String stackTrace(Throwable e) {
        StringWriter w = new StringWriter();
        e.printStackTrace(new PrintWriter(w));
        return w.toString();
    }
}
