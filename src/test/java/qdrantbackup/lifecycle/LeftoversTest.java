package qdrantbackup.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.store.Manifest;
import qdrantbackup.store.local.LocalStore;
import qdrantbackup.testing.FakeQdrant;

class LeftoversTest {
    @TempDir
    Path root;

    private Path folder() {
        return new LocalStore(root).folder("products");
    }

    private Manifest backup(String name) {
        Path file = folder().resolve(name);
        String sha = FakeQdrant.writeSnapshotTar(file, "products", 10, FakeQdrant.DEFAULT_VECTORS, 1, 16 * 1024);
        Manifest m = new Manifest(
                "products",
                name,
                Manifest.COLLECTION,
                file.toFile().length(),
                sha,
                "2026-11-30T02:00:00Z",
                "1.19.0",
                10L,
                null,
                Map.of(),
                "test");
        new LocalStore(root).put(m, folder());
        return m;
    }

    @Test
    void aWholeSnapshotWithoutItsManifestIsCompletedAndListed() throws Exception {
        Manifest m = backup("products-1-2026-11-30-02-00-00.snapshot");
        Files.delete(folder().resolve(m.fileName()));

        List<String> lines = Leftovers.heal(root);

        assertThat(lines).singleElement().asString().contains("completed").contains(m.sha256());
        Manifest healed = new LocalStore(root).list("products").get(0);
        assertThat(healed.sha256()).isEqualTo(m.sha256());
        assertThat(healed.size()).isEqualTo(m.size());
        assertThat(healed.pointCount()).as("not known without the manifest").isNull();
        assertThat(healed.qdrantCreated()).isEqualTo("2026-11-30T02:00:00Z");
    }

    @Test
    void aSnapshotWithoutManifestThatIsNoWholeTarIsMovedAside() throws Exception {
        Path broken = Files.write(folder().resolve("products-1-2026-11-30-02-00-00.snapshot"), new byte[700]);

        List<String> lines = Leftovers.heal(root);

        assertThat(lines).singleElement().asString().contains("damaged/").contains("not a whole snapshot");
        assertThat(broken).doesNotExist();
        assertThat(folder().resolve("damaged").resolve(broken.getFileName())).exists();
        assertThat(new LocalStore(root).list("products")).isEmpty();
    }

    @Test
    void aManifestWhoseDataIsGoneIsRemovedAndOneWithShortDataGoesAside() throws Exception {
        Manifest gone = backup("products-1-2026-11-29-02-00-00.snapshot");
        Manifest shortOne = backup("products-1-2026-11-30-02-00-00.snapshot");
        Manifest fine = backup("products-1-2026-12-01-02-00-00.snapshot");
        Files.delete(folder().resolve(gone.snapshot()));
        Files.write(folder().resolve(shortOne.snapshot()), new byte[10]);

        List<String> lines = Leftovers.heal(root);

        assertThat(lines).hasSize(2);
        assertThat(folder().resolve(gone.fileName())).doesNotExist();
        assertThat(folder().resolve("damaged").resolve(shortOne.fileName())).exists();
        assertThat(folder().resolve("damaged").resolve(shortOne.snapshot())).exists();
        assertThat(new LocalStore(root).list("products"))
                .extracting(Manifest::snapshot)
                .containsExactly(fine.snapshot());
        assertThat(Leftovers.heal(root)).as("a second start finds nothing").isEmpty();
    }

    @Test
    void anUnreadableFolderSuchAsLostAndFoundIsSkipped() throws Exception {
        assumeFalse(
                "root".equals(System.getProperty("user.name")),
                "skipped: running as root, every folder is readable (the tool runs as a plain user)");
        backup("products-1-2026-11-30-02-00-00.snapshot");
        Path lost = Files.createDirectory(root.resolve("lost+found"));
        Files.setPosixFilePermissions(lost, PosixFilePermissions.fromString("---------"));
        try {
            assertThat(Leftovers.heal(root)).singleElement().asString().contains("lost+found");
            assertThat(new LocalStore(root).collections()).containsExactly("products");
        } finally {
            Files.setPosixFilePermissions(lost, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void theShardFilesOfASetCutOffBeforeItsManifestAreDeletedAndAWholeSetIsLeftAlone() throws Exception {
        String whole = "products-set-2026-11-30-02-00-00";
        List<Manifest.DataFile> files = new java.util.ArrayList<>();
        for (int shard = 0; shard < 2; shard++) {
            Path f = folder().resolve(whole + "-shard-" + shard + ".snapshot");
            String sha = FakeQdrant.writeSnapshotTar(f, "products", 10, FakeQdrant.DEFAULT_VECTORS, 1, 16 * 1024);
            files.add(new Manifest.DataFile(f.getFileName().toString(), Files.size(f), sha));
        }
        Manifest set = new Manifest(
                "products",
                files.get(0).name(),
                Manifest.COLLECTION,
                files.get(0).size(),
                files.get(0).sha256(),
                "2026-11-30T02:00:00Z",
                "1.19.0",
                20L,
                null,
                Map.of(),
                "test",
                Manifest.FORMAT,
                files,
                20L,
                false,
                null,
                null,
                null);
        LocalStore.writeManifest(set, folder());
        List<Path> cutOff = List.of(
                folder().resolve("products-set-2026-12-01-02-00-00-shard-0.snapshot"),
                folder().resolve("products-set-2026-12-01-02-00-00-shard-1.snapshot"));
        for (Path f : cutOff) {
            FakeQdrant.writeSnapshotTar(f, "products", 10, FakeQdrant.DEFAULT_VECTORS, 1, 16 * 1024);
        }

        List<String> lines = Leftovers.heal(root);

        assertThat(lines)
                .hasSize(2)
                .allSatisfy(l -> assertThat(l)
                        .contains("deleted")
                        .contains("products-set-2026-12-01-02-00-00-shard-")
                        .contains("cut off before its manifest"));
        cutOff.forEach(f -> assertThat(f).doesNotExist());
        assertThat(folder().resolve("damaged")).doesNotExist();
        List<Manifest> listed = new LocalStore(root).list("products");
        assertThat(listed).extracting(Manifest::snapshot).containsExactly(set.snapshot());
        for (Manifest.DataFile f : files) {
            assertThat(folder().resolve(f.name())).exists();
        }
    }
}
