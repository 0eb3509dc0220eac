package qdrantbackup.transfer;

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

    /** A header for config.json whose 12-byte size field is {@code size}, with a right checksum unless asked. */
    private static byte[] header(byte[] size, boolean rightChecksum) {
        byte[] h = new byte[512];
        byte[] name = "config.json".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(name, 0, h, 0, name.length);
        System.arraycopy("0000644\0".getBytes(StandardCharsets.US_ASCII), 0, h, 100, 8);
        System.arraycopy(size, 0, h, 124, Math.min(12, size.length));
        h[156] = '0';
        System.arraycopy("ustar\0".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 6);
        long sum = 0;
        for (int i = 0; i < 512; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xff);
        }
        String field = String.format("%06o\0 ", rightChecksum ? sum : sum + 1);
        System.arraycopy(field.getBytes(StandardCharsets.US_ASCII), 0, h, 148, 8);
        return h;
    }

    private String checkWithin5s(byte[]... blocks) throws Exception {
        Path f = dir.resolve("hostile.snapshot");
        try (var out = Files.newOutputStream(f)) {
            for (byte[] b : blocks) {
                out.write(b);
            }
        }
        return org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                java.time.Duration.ofSeconds(5), () -> TarCheck.problem(f));
    }

    private static byte[] octal(String digits) {
        return (digits + "\0").getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] base256(long value, boolean negative) {
        byte[] b = new byte[12];
        for (int i = 11; i > 0; i--) {
            b[i] = (byte) (negative ? 0xff : value);
            value >>>= 8;
        }
        b[0] = (byte) (negative ? 0xff : 0x80);
        return b;
    }

    @Test
    void hostileHeadersAreRefusedInBoundedTimeWithoutLooping() throws Exception {
        byte[] zeros = new byte[1024];
        // a negative base-256 size once made the check spin forever
        assertThat(checkWithin5s(header(base256(0, true), true), zeros)).isNotNull();
        assertThat(checkWithin5s(header(base256(Long.MAX_VALUE >> 8, false), true), zeros))
                .isNotNull();
        assertThat(checkWithin5s(header(octal("77777777777"), true), zeros)).contains("truncated");
        assertThat(checkWithin5s(header(octal("zzzz"), true), zeros)).isNotNull();
        assertThat(checkWithin5s(header(octal("00000000000"), false), zeros)).startsWith("is not a tar archive");
        // the archive ends in the middle of a header
        byte[] good = header(octal("00000000004"), true);
        byte[] data = new byte[512];
        assertThat(checkWithin5s(good, data, java.util.Arrays.copyOf(good, 200)))
                .isNotNull()
                .doesNotContain("\0");
        assertThat(checkWithin5s(good, data, zeros)).isNull();
    }
}
