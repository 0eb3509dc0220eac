package qdrantbackup.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.qdrant.QdrantClient;
import qdrantbackup.qdrant.QdrantException;
import qdrantbackup.qdrant.QdrantSettings;
import qdrantbackup.qdrant.Retry;
import qdrantbackup.qdrant.SnapshotInfo;
import qdrantbackup.store.FollowingPut;
import qdrantbackup.testing.FakeQdrant;
import qdrantbackup.testing.LogCapture;
import qdrantbackup.transfer.SafeFiles;
import qdrantbackup.transfer.Transfers;

/**
 * A cut-off download goes on where it stopped with a Range request, and the whole file is still checked
 * against Qdrant's checksum: a server that ignores Range means starting over, bad bytes on disk mean failing.
 */
class ResumeDownloadTest {
    private static final long SIZE = 4 * 1024 * 1024;
    private static final String DOWNLOADS = "/collections/big/snapshots/[^/]+\\.snapshot";

    @TempDir
    Path dir;

    FakeQdrant qdrant;
    QdrantClient client;
    Path archive;

    @BeforeEach
    void start() throws IOException {
        qdrant = FakeQdrant.start(dir.resolve("qdrant")).collection("big", 10).snapshotSize("big", SIZE);
        client = new QdrantClient(new QdrantSettings(
                qdrant.url(),
                null,
                Duration.ofSeconds(5),
                Duration.ofSeconds(30),
                Duration.ofSeconds(30),
                0,
                Duration.ofMillis(10)));
        archive = Files.createDirectories(dir.resolve("archive"));
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        qdrant.close();
    }

    private SnapshotDownloader downloader(int retries) {
        return new SnapshotDownloader(
                client, new Retry(retries, Duration.ofMillis(10)), new Transfers(Duration.ZERO), d -> Long.MAX_VALUE);
    }

    private List<String> ranges() {
        return qdrant.requests("GET", DOWNLOADS).stream()
                .map(r -> r.header("Range"))
                .toList();
    }

    @Test
    void aDownloadCutOffAtHalfGoesOnWithARangeRequestAndVerifies() throws Exception {
        SnapshotInfo snapshot = client.createSnapshot("big");
        qdrant.dropConnectionOnDownload("big", 1);

        SnapshotDownloader.Verified got;
        try (LogCapture logs = new LogCapture()) {
            got = downloader(1).fetch("big", archive, snapshot, snapshot.name(), null);
            assertThat(logs.text()).containsPattern("resumed at \\d+ bytes of " + SIZE + " \\(206 Partial Content\\)");
        }

        List<String> ranges = ranges();
        assertThat(ranges).hasSize(2);
        assertThat(ranges.get(0)).isNull();
        assertThat(ranges.get(1)).matches("bytes=\\d+-");
        long resumedAt = Long.parseLong(ranges.get(1).replaceAll("\\D", ""));
        assertThat(resumedAt).isBetween(1L, SIZE / 2);
        // half, then the rest: about 1.5 times the file, not twice
        assertThat(qdrant.downloadBytesSent()).isEqualTo(SIZE / 2 + SIZE - resumedAt);
        assertThat(qdrant.downloadBytesSent()).isLessThan(SIZE * 16 / 10);
        assertThat(got.sha256()).isEqualTo(snapshot.checksum());
        assertThat(Files.mismatch(got.file(), qdrant.snapshotFile("big", snapshot.name())))
                .isEqualTo(-1);
        assertThat(parts()).isEmpty();
    }

    @Test
    void aServerThatIgnoresRangeMeansStartingOverAndStillVerifies() throws Exception {
        qdrant.snapshotsOnS3(true);
        SnapshotInfo snapshot = client.createSnapshot("big");
        qdrant.dropConnectionOnDownload("big", 1);

        SnapshotDownloader.Verified got;
        try (LogCapture logs = new LogCapture()) {
            got = downloader(1).fetch("big", archive, snapshot, snapshot.name(), null);
            assertThat(logs.text()).contains("ignored the Range request").contains("starting over from 0 of " + SIZE);
        }

        assertThat(ranges().get(1)).matches("bytes=\\d+-");
        assertThat(qdrant.downloadBytesSent()).isEqualTo(SIZE / 2 + SIZE);
        assertThat(got.size()).isEqualTo(SIZE);
        assertThat(got.sha256()).isEqualTo(snapshot.checksum());
        assertThat(Files.mismatch(got.file(), qdrant.snapshotFile("big", snapshot.name())))
                .isEqualTo(-1);
        assertThat(parts()).isEmpty();
    }

    @Test
    void bytesDamagedOnDiskBeforeTheResumeFailTheChecksumAndLeaveNoFile() throws Exception {
        SnapshotInfo snapshot = client.createSnapshot("big");
        qdrant.dropConnectionOnDownload("big", 1);
        Path part = archive.resolve(snapshot.name() + SafeFiles.PART);
        // called once the first attempt is cut off, before the second one: the disk rots the first bytes
        FollowingPut rot = new FollowingPut() {
            @Override
            public void written(long bytes) {}

            @Override
            public void complete(String sha256) {}

            @Override
            public void abort() {
                try (RandomAccessFile f = new RandomAccessFile(part.toFile(), "rw")) {
                    f.seek(100);
                    f.write(new byte[] {1, 2, 3, 4});
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        };

        assertThatThrownBy(() -> downloader(1).fetch("big", archive, snapshot, snapshot.name(), rot))
                .isInstanceOf(QdrantException.class)
                .hasMessageContaining("is not what Qdrant made")
                .hasMessageContaining("differs from Qdrant's " + snapshot.checksum());
        assertThat(ranges()).hasSize(2).last().asString().matches("bytes=\\d+-");
        try (Stream<Path> left = Files.list(archive)) {
            assertThat(left).isEmpty();
        }
    }

    private List<Path> parts() throws IOException {
        try (Stream<Path> files = Files.list(archive)) {
            return files.filter(p -> p.toString().endsWith(SafeFiles.PART)).toList();
        }
    }
}
