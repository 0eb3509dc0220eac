package qdrantbackup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.command.CommandLine;
import qdrantbackup.lifecycle.ArchiveLock;
import qdrantbackup.store.local.LocalStore;
import qdrantbackup.testing.FakeQdrant;
import qdrantbackup.testing.LockHolder;
import qdrantbackup.testing.LogCapture;
import qdrantbackup.testing.TestApp;

/**
 * One writer per archive: a second process (here a child JVM holding {@code <archive>/.lock}, as the
 * daemon does) makes backup-now exit 4 without touching anything; the read-only commands still run and
 * delete nothing; a killed holder's lock is gone with it.
 */
class OneWriterTest {
    @TempDir
    Path dir;

    FakeQdrant qdrant;
    Process holder;
    Path config;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws Exception {
        qdrant = FakeQdrant.start(dir.resolve("qdrant")).collection("products", 120);
        config = TestApp.settingsFile(dir, qdrant.url(), Map.of());
    }

    @AfterEach
    void stop() {
        if (holder != null) {
            holder.destroyForcibly();
        }
        qdrant.close();
    }

    private int dispatch(String... args) throws Exception {
        out.reset();
        err.reset();
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(new String[] {"--config", config.toString(), "--routes", "routes"}, 0, all, args.length, 4);
        return App.dispatch(
                CommandLine.parse(all),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void aSecondWriterExitsFourAndTouchesNothingWhileReadersRun() throws Exception {
        Path archive = dir.resolve("archive");
        holder = LockHolder.start(archive);
        // the download of a restore running in the daemon
        Path download = Files.createDirectories(archive.resolve("products")).resolve("products-1.snapshot.part");
        Files.writeString(download, "half a snapshot");

        assertThat(dispatch("backup-now")).isEqualTo(App.ARCHIVE_IN_USE);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .startsWith("qdrant-backup cannot start: the archive is in use by another qdrant-backup process (pid "
                        + holder.pid() + ", run, since ")
                .contains("POST /backup", "archive.lock-wait")
                .hasLineCount(1);
        assertThat(qdrant.countRequests("POST", "/collections/.*/snapshots.*")).isZero();
        assertThat(dispatch("expire")).isEqualTo(App.ARCHIVE_IN_USE);

        assertThat(dispatch("list")).isZero();
        assertThat(dispatch("expire", "--dry-run")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("dry run: nothing was deleted");
        assertThat(dispatch("check")).isZero();
        assertThat(download).hasContent("half a snapshot");

        // kill -9: the operating system lets the lock go with the process
        holder.destroyForcibly().waitFor();
        assertThat(dispatch("backup-now")).isZero();
        assertThat(new LocalStore(archive).list("products")).hasSize(1);
    }

    @Test
    void aSecondWriterWaitsForTheLockWhenAskedTo() throws Exception {
        Path archive = dir.resolve("archive");
        holder = LockHolder.start(archive);
        ArchiveLock lock;
        try (LogCapture logs = new LogCapture()) {
            var waiting = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> ArchiveLock.acquire(archive, Duration.ofSeconds(30), "backup-now"));
            // the second writer says it waits, and takes the lock once the holder lets it go
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .until(() ->
                            logs.text().contains("is in use") && logs.text().contains("waiting up to"));
            assertThat(waiting).isNotDone();
            LockHolder.release(holder);
            lock = waiting.get(30, java.util.concurrent.TimeUnit.SECONDS);
        }
        try {
            assertThat(Files.readString(lock.file()))
                    .startsWith("pid " + ProcessHandle.current().pid() + ", backup-now");
        } finally {
            lock.stop();
        }
    }

    @Test
    void withoutAWaitTheSecondWriterIsRefusedAtOnce() throws Exception {
        Path archive = dir.resolve("archive");
        holder = LockHolder.start(archive);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> ArchiveLock.acquire(archive, Duration.ZERO, "backup-now"))
                .isInstanceOf(ArchiveLock.InUseException.class)
                .hasMessageContaining("pid " + holder.pid());
    }
}
