package qdrantbackup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.testing.FakeQdrant;
import qdrantbackup.testing.SnapshotTars;

class TarCheckTest {
    @TempDir
    Path dir;

    private Path snapshot() {
        Path file = dir.resolve("s.snapshot");
        FakeQdrant.writeSnapshotTar(file, "c", 5, FakeQdrant.DEFAULT_VECTORS, 2, 200 * 1024);
        return file;
    }

    @Test
    void aCompleteSnapshotPasses() {
        assertThat(TarCheck.problem(snapshot())).isNull();
    }

    @Test
    void emptyFile() throws Exception {
        assertThat(TarCheck.problem(Files.createFile(dir.resolve("e")))).isEqualTo("is empty (0 bytes)");
    }

    @Test
    void textIsNotATar() throws Exception {
        Path f = Files.writeString(dir.resolve("t"), "hello\n".repeat(200));
        assertThat(TarCheck.problem(f)).startsWith("is not a tar archive");
    }

    @Test
    void everyCutIsFound() throws Exception {
        byte[] all = Files.readAllBytes(snapshot());
        for (int cut : new int[] {all.length - 1, all.length - 1024, all.length / 2, 1000, 600}) {
            Path f = Files.write(dir.resolve("cut" + cut), Arrays.copyOf(all, cut));
            assertThat(TarCheck.problem(f)).as("cut at " + cut).contains("truncated");
        }
    }

    @Test
    void aCorruptHeaderIsFound() throws Exception {
        byte[] all = Files.readAllBytes(snapshot());
        all[513 + 512] ^= 0x33; // a later header's name
        Path f = Files.write(dir.resolve("bad"), all);
        assertThat(TarCheck.problem(f)).isNotNull();
    }

    @Test
    void aTarWithoutConfigIsNotASnapshot() throws Exception {
        Path f = dir.resolve("other.tar");
        try (var out = Files.newOutputStream(f)) {
            SnapshotTars.Writer w = new SnapshotTars.Writer(out, 0);
            w.add("readme.txt", "not a snapshot");
            w.finish();
        }
        assertThat(TarCheck.problem(f)).contains("no config.json");
        assertThat(new String(Files.readAllBytes(f), 0, 10, StandardCharsets.US_ASCII))
                .startsWith("readme");
    }
}
