package qdrantbackup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InboxTest {
    @TempDir
    Path dir;

    @Test
    void aTakenNameGetsANumberAndNothingIsOverwritten() throws Exception {
        Path done = dir.resolve("done");
        Path first = Inbox.move(Files.writeString(dir.resolve("a.snapshot"), "one"), done);
        Path second = Inbox.move(Files.writeString(dir.resolve("a.snapshot"), "two"), done);
        assertThat(first).isEqualTo(done.resolve("a.snapshot"));
        assertThat(second).isEqualTo(done.resolve("a.snapshot.2"));
        assertThat(Files.readString(first)).isEqualTo("one");
        assertThat(Files.readString(second)).isEqualTo("two");
    }

    @Test
    void theUploadNameIsSafeAndListable() {
        assertThat(SnapshotSender.uploadName("restore", "produits été-1-2026-01-01-00-00-00.snapshot"))
                .matches("restore-\\d{8}-\\d{6}-produits__t_-1-2026-01-01-00-00-00\\.snapshot");
        assertThat(SnapshotSender.uploadName("rollback", "x".repeat(300)))
                .hasSizeLessThan(256)
                .endsWith(".snapshot");
    }
}
