package qdrantbackup.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.testing.FakeQdrant;
import qdrantbackup.testing.TestApp;

/** Collections whose names look like the archive's own folders, or differ only by a trailing space. */
class CollectionNamesTest {
    @TempDir
    Path dir;

    FakeQdrant qdrant;
    TestApp app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        qdrant.close();
    }

    @Test
    void aCollectionNamedLikeAReservedFolderFailsClearlyAndTheOthersAreKeptApart() throws Exception {
        qdrant = FakeQdrant.start(dir.resolve("qdrant"))
                .collection("full-storage", 5)
                .collection("pre-restore", 6)
                .collection("a", 7)
                .collection("a ", 8);
        app = TestApp.start(dir, qdrant.url(), Map.of("backup.full-storage", "true"));

        BackupRun run = app.backupNow();

        Map<String, BackupJob> jobs = new java.util.HashMap<>();
        run.getJobs().forEach(j -> jobs.put((j.isFull() ? "FULL:" : "") + j.getCollection(), j));
        assertThat(jobs.get("full-storage").getResult()).isEqualTo(BackupJob.Result.FAILED);
        assertThat(jobs.get("full-storage").getError())
                .isEqualTo("collection name 'full-storage' is refused: it is the name of the folder of the"
                        + " full-storage snapshots (backup.full-storage) in the archive; rename the collection or give"
                        + " it an alias");
        for (String ok : new String[] {"pre-restore", "a", "a ", "FULL:full-storage"}) {
            assertThat(jobs.get(ok).getResult()).as(ok).isEqualTo(BackupJob.Result.OK);
        }
        // the full-storage folder holds the full snapshot only; "a" and "a " have a folder each
        try (Stream<Path> files = Files.list(app.archive.resolve("full-storage"))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .allMatch(n -> n.startsWith("full-snapshot-"), "only full-storage snapshots");
        }
        assertThat(app.archive.resolve("a").resolve(jobs.get("a").getSnapshot()))
                .exists();
        assertThat(app.archive.resolve("a ").resolve(jobs.get("a ").getSnapshot()))
                .exists();
        assertThat(jobs.get("a").getSha256()).isNotEqualTo(jobs.get("a ").getSha256());
    }
}
