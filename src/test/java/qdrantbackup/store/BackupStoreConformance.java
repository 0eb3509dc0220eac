package qdrantbackup.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.transfer.HashingCopy;

/**
 * What every {@link BackupStore} must do, run against each of them (as restic runs one suite against every
 * backend): a subclass gives an empty store and the few ways to reach behind it that a test needs.
 */
public abstract class BackupStoreConformance {
    protected static final String C = "products";

    @TempDir
    protected Path tmp;

    /** An empty store, the same one for the whole test. */
    protected abstract BackupStore store();

    /** Writes {@code content} straight into the store as {@code <collection>/<name>}, as an older version did. */
    protected abstract void plant(String collection, String name, byte[] content);

    /** Replaces the stored bytes of {@code <collection>/<name>} with as many others (bit rot, tampering). */
    protected abstract void damage(String collection, String name);

    /** The names of everything stored for a collection, whether a backup or not. */
    protected abstract Set<String> stored(String collection);

    /** The size from which {@link BackupStore#follow} puts a file as it downloads. */
    protected long followSize() {
        return 6L << 20;
    }

    private Path made() {
        return tmp.resolve("made");
    }

    private Manifest put(int second, long... sizes) {
        Manifest m = TestBackups.make(made(), C, second, sizes);
        store().put(m, made());
        return m;
    }

    @Test
    void putThenListNewestFirstAndFind() {
        Manifest older = put(10, 1000);
        Manifest newest = put(30, 2000);
        Manifest middle = put(20, 3000);

        assertThat(store().list(C)).containsExactly(newest, middle, older);
        assertThat(store().collections()).containsExactly(C);
        assertThat(store().find(C, middle.snapshot())).contains(middle);
        assertThat(store().find(C, "products-none.snapshot")).isEmpty();
        assertThat(store().list("users")).isEmpty();
    }

    @Test
    void namesThatDifferOnlyByTrailingSpacesUnicodeOrLengthNeverShareAPlace() {
        // 121 bytes in UTF-8, 61 characters (the test S3 server keeps objects as files with longer names)
        String longName = "é".repeat(60) + "x";
        List<String> names = List.of("a", "a ", "a  ", "pre-restore", "données", "donne\u0301es", longName);
        List<Manifest> made = new ArrayList<>();
        for (String name : names) {
            Manifest m = TestBackups.make(made(), name, 10 + made.size(), 1000 + made.size());
            store().put(m, made());
            made.add(m);
        }
        assertThat(store().collections()).containsExactlyInAnyOrderElementsOf(names);
        for (int i = 0; i < names.size(); i++) {
            assertThat(store().list(names.get(i))).as(names.get(i)).containsExactly(made.get(i));
        }
    }

    @Test
    void repeatingAPutOverwritesAndListsItOnce() {
        Manifest m = put(10, 1000);
        store().put(m, made());
        assertThat(store().list(C)).containsExactly(m);
    }

    @Test
    void hasOnlyWithTheSameSha256ForEveryFile() {
        Manifest m = put(10, 1000, 500);

        assertThat(store().has(m)).isTrue();
        assertThat(store().has(TestBackups.withOtherSha256(m, 1))).isFalse();
        assertThat(store().has(TestBackups.withOtherSha256(m, 0))).isFalse();
        assertThat(store().has(TestBackups.make(tmp.resolve("elsewhere"), C, 20, 1000)))
                .isFalse();
    }

    @Test
    void fetchGivesTheVerifiedFilesAndTheManifest() throws IOException {
        Manifest m = put(10, 70_000);
        Path into = tmp.resolve("fetched");

        store().fetch(m, into);

        Path file = into.resolve(m.snapshot());
        assertThat(file).hasSameBinaryContentAs(made().resolve(m.snapshot()));
        assertThat(HashingCopy.sha256(file)).isEqualTo(m.sha256());
        assertThat(into.resolve(m.fileName())).exists();
        assertThat(filesIn(into)).containsExactlyInAnyOrder(m.snapshot(), m.fileName());
        // readable by the owner only, like everything else in the archive
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(into.resolve(m.fileName()))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(into)))
                .isEqualTo("rwx------");
    }

    @Test
    void aSetOfTwoDataFilesIsListedFetchedAndDeletedWhole() throws IOException {
        Manifest m = put(10, 4000, 3000);

        Manifest listed = store().list(C).get(0);
        assertThat(listed.dataFiles()).hasSize(2).isEqualTo(m.dataFiles());
        Path into = tmp.resolve("fetched");
        store().fetch(listed, into);
        for (Manifest.DataFile f : m.dataFiles()) {
            assertThat(into.resolve(f.name())).hasSameBinaryContentAs(made().resolve(f.name()));
        }

        store().delete(List.of(listed));
        assertThat(store().list(C)).isEmpty();
        assertThat(stored(C)).isEmpty();
    }

    @Test
    void deleteTakesTheManifestAndTheDataFilesAndLeavesTheOthers() {
        Manifest gone = put(10, 1000);
        Manifest kept = put(20, 1000);

        store().delete(List.of(gone));

        assertThat(store().list(C)).containsExactly(kept);
        assertThat(stored(C)).containsExactlyInAnyOrder(kept.snapshot(), kept.fileName());
    }

    @Test
    void aDamagedFileIsRefusedOnFetchAndNothingIsLeftInTheFolder() {
        Manifest one = put(10, 50_000);
        damage(C, one.snapshot());
        Path into = tmp.resolve("fetched");

        assertThatThrownBy(() -> store().fetch(one, into)).hasMessageContaining(one.snapshot());
        assertThat(filesIn(into)).isEmpty();

        Manifest set = put(20, 5000, 6000);
        damage(C, set.dataFiles().get(1).name());
        assertThatThrownBy(() -> store().fetch(set, into))
                .hasMessageContaining(set.dataFiles().get(1).name());
        assertThat(filesIn(into))
                .as("the first file of the set, fetched whole, is not left either")
                .isEmpty();
    }

    @Test
    void listingGoesPastAThousandObjects() throws Exception {
        int backups = 501; // 1,002 objects
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Manifest>> puts = new ArrayList<>();
            for (int i = 0; i < backups; i++) {
                int second = i;
                puts.add(pool.submit(() -> {
                    Path folder = tmp.resolve("many-" + second);
                    Manifest m = TestBackups.make(folder, C, second, 16);
                    store().put(m, folder);
                    return m;
                }));
            }
            for (Future<Manifest> p : puts) {
                p.get();
            }
        } finally {
            pool.shutdown();
        }

        List<Manifest> listed = store().list(C);

        assertThat(listed).hasSize(backups);
        assertThat(listed.get(0).snapshot()).isEqualTo(TestBackups.name(C, backups - 1));
        assertThat(listed.get(backups - 1).snapshot()).isEqualTo(TestBackups.name(C, 0));
        assertThat(store().list(C)).as("listed again").isEqualTo(listed);
    }

    @Test
    void aPutThatFailsHalfwayLeavesNothingListed() throws IOException {
        Manifest m = TestBackups.make(made(), C, 10, 1000, 2000);
        Files.delete(made().resolve(m.dataFiles().get(1).name())); // the second file cannot be read

        assertThatThrownBy(() -> store().put(m, made())).isNotNull();

        assertThat(store().list(C)).isEmpty();
        assertThat(store().find(C, m.snapshot())).isEmpty();
        assertThat(store().has(m)).isFalse();
    }

    @Test
    void anAbortedFollowingPutLeavesNothing() {
        Manifest m = TestBackups.make(made(), C, 10, followSize());
        Manifest.DataFile file = m.dataFiles().get(0);
        FollowingPut put = store().follow(C, file, made().resolve(file.name()));
        assumeTrue(put != null, "this store does not put files as they download");

        put.written(file.size());
        put.abort();

        assertThat(store().list(C)).isEmpty();
        assertThat(stored(C)).isEmpty();
    }

    @Test
    void aCompletedFollowingPutIsABackupOnlyOnceTheSetIsPut() {
        Manifest m = TestBackups.make(made(), C, 10, followSize());
        Manifest.DataFile file = m.dataFiles().get(0);
        FollowingPut put = store().follow(C, file, made().resolve(file.name()));
        assumeTrue(put != null, "this store does not put files as they download");

        put.written(file.size());
        put.complete(file.sha256());
        assertThat(store().list(C)).as("no manifest yet").isEmpty();

        store().put(m, made());
        assertThat(store().list(C)).containsExactly(m);
        assertThat(store().has(m)).isTrue();
    }

    @Test
    void aFormatOneManifestIsListedAndFetched() throws IOException {
        byte[] snapshot = "a snapshot written by version 1".getBytes(StandardCharsets.UTF_8);
        String name = TestBackups.formatOneSnapshot(C);
        plant(C, name, snapshot);
        plant(
                C,
                name + Manifest.SUFFIX,
                TestBackups.formatOneManifest(C, snapshot).getBytes(StandardCharsets.UTF_8));

        List<Manifest> listed = store().list(C);

        assertThat(listed).hasSize(1);
        Manifest m = listed.get(0);
        assertThat(m.format()).isNull();
        assertThat(m.aliases()).containsEntry("shop", C);
        assertThat(m.dataFiles()).containsExactly(new Manifest.DataFile(name, snapshot.length, m.sha256()));
        assertThat(store().has(m)).isTrue();
        Path into = tmp.resolve("fetched");
        store().fetch(m, into);
        assertThat(Files.readAllBytes(into.resolve(name))).isEqualTo(snapshot);
    }

    @Test
    void filesThatAreNotManifestsAreNotBackups() {
        Manifest m = put(10, 1000);
        plant(C, "notes.json", "{ not json".getBytes(StandardCharsets.UTF_8));
        plant(C, "other.json", "{\"collection\": \"products\"}".getBytes(StandardCharsets.UTF_8));
        plant(C, "orphan.snapshot", new byte[10]);

        assertThat(store().list(C)).containsExactly(m);
    }

    private static List<String> filesIn(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
