package qdrantbackup.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * A tiny POSIX (ustar) tar writer and reader, enough to build and inspect Qdrant-like snapshot
 * files without a compression/archive dependency.
 *
 * <p>Writer: 512-byte headers, regular files only, two zero blocks at the end. Reader: checks the
 * header checksum (so random bytes are rejected like a real unpacker would) and keeps only small
 * entries in memory.
 */
public final class SnapshotTars {

    static final int BLOCK = 512;

    private SnapshotTars() {}

    /** Streams tar entries to an output stream; the caller owns (and closes) the stream. */
    public static final class Writer {
        private final OutputStream out;
        private final long mtimeSeconds;

        public Writer(OutputStream out, long mtimeSeconds) {
            this.out = out;
            this.mtimeSeconds = mtimeSeconds;
        }

        public Writer add(String name, byte[] data) throws IOException {
            out.write(header(name, data.length, mtimeSeconds));
            out.write(data);
            pad(data.length);
            return this;
        }

        public Writer add(String name, String text) throws IOException {
            return add(name, text.getBytes(StandardCharsets.UTF_8));
        }

        /** Adds a file's content, streamed (used to nest collection snapshots in a full snapshot). */
        public Writer add(String name, Path file) throws IOException {
            long size = Files.size(file);
            out.write(header(name, size, mtimeSeconds));
            try (InputStream in = Files.newInputStream(file)) {
                in.transferTo(out);
            }
            pad(size);
            return this;
        }

        /** Adds an entry of {@code size} pseudo-random bytes, written in chunks. */
        public Writer addRandom(String name, long size, Random random) throws IOException {
            out.write(header(name, size, mtimeSeconds));
            byte[] chunk = new byte[64 * 1024];
            long left = size;
            while (left > 0) {
                int n = (int) Math.min(chunk.length, left);
                random.nextBytes(chunk);
                out.write(chunk, 0, n);
                left -= n;
            }
            pad(size);
            return this;
        }

        /** Writes the end-of-archive marker (two zero blocks). */
        public void finish() throws IOException {
            out.write(new byte[2 * BLOCK]);
            out.flush();
        }

        private void pad(long size) throws IOException {
            int rest = (int) (size % BLOCK);
            if (rest != 0) {
                out.write(new byte[BLOCK - rest]);
            }
        }
    }

    /** Bytes an entry of {@code size} bytes takes in the archive (header + padded content). */
    static long entryFootprint(long size) {
        return BLOCK + (size + BLOCK - 1) / BLOCK * BLOCK;
    }

    static byte[] header(String name, long size, long mtime) {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        if (nameBytes.length > 100) {
            throw new IllegalArgumentException("tar entry name longer than 100 bytes: " + name);
        }
        byte[] h = new byte[BLOCK];
        System.arraycopy(nameBytes, 0, h, 0, nameBytes.length);
        octal(h, 100, 8, 0644);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, size);
        octal(h, 136, 12, mtime);
        h[156] = '0';
        put(h, 257, "ustar\0");
        put(h, 263, "00");
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        octal(h, 148, 7, checksum(h));
        h[155] = ' ';
        return h;
    }

    private static void octal(byte[] h, int off, int len, long value) {
        String s = Long.toOctalString(value);
        String padded = "0".repeat(Math.max(0, len - 1 - s.length())) + s;
        put(h, off, padded);
        h[off + len - 1] = 0;
    }

    private static void put(byte[] h, int off, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, off, b.length);
    }

    private static long checksum(byte[] h) {
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        return sum;
    }

    /**
     * Reads a tar archive and returns its entries in order: the content of entries up to
     * {@code maxEntryBytes} bytes, an empty array for larger ones (skipped, not loaded).
     *
     * @throws IOException if the data is not a well-formed tar (bad header checksum, truncated)
     */
    public static Map<String, byte[]> read(InputStream in, long maxEntryBytes) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        byte[] h = new byte[BLOCK];
        while (true) {
            if (!readFully(in, h)) {
                throw new IOException("failed to iterate over archive: unexpected end of archive");
            }
            if (isZero(h)) {
                return entries;
            }
            verifyHeader(h);
            String name = cString(h, 0, 100);
            long size = parseOctal(h, 124, 12);
            long padded = (size + BLOCK - 1) / BLOCK * BLOCK;
            if (size <= maxEntryBytes) {
                byte[] data = new byte[(int) size];
                if (!readFully(in, data)) {
                    throw new EOFException("failed to iterate over archive: truncated entry " + name);
                }
                in.skipNBytes(padded - size);
                entries.put(name, data);
            } else {
                in.skipNBytes(padded);
                entries.put(name, new byte[0]);
            }
        }
    }

    public static Map<String, byte[]> read(byte[] tar, long maxEntryBytes) throws IOException {
        return read(new ByteArrayInputStream(tar), maxEntryBytes);
    }

    public static Map<String, byte[]> read(Path tar, long maxEntryBytes) throws IOException {
        try (InputStream in = Files.newInputStream(tar)) {
            return read(in, maxEntryBytes);
        }
    }

    private static void verifyHeader(byte[] h) throws IOException {
        long stored;
        try {
            stored = parseOctal(h, 148, 8);
        } catch (NumberFormatException e) {
            throw new IOException("failed to iterate over archive: invalid header", e);
        }
        byte[] copy = h.clone();
        for (int i = 148; i < 156; i++) {
            copy[i] = ' ';
        }
        if (checksum(copy) != stored) {
            throw new IOException("failed to iterate over archive: archive header checksum mismatch");
        }
    }

    private static boolean readFully(InputStream in, byte[] buf) throws IOException {
        int off = 0;
        while (off < buf.length) {
            int n = in.read(buf, off, buf.length - off);
            if (n < 0) {
                return false;
            }
            off += n;
        }
        return true;
    }

    private static boolean isZero(byte[] h) {
        for (byte b : h) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static String cString(byte[] h, int off, int len) {
        int end = off;
        while (end < off + len && h[end] != 0) {
            end++;
        }
        return new String(h, off, end - off, StandardCharsets.UTF_8);
    }

    private static long parseOctal(byte[] h, int off, int len) {
        String s = cString(h, off, len).trim();
        return s.isEmpty() ? 0 : Long.parseLong(s, 8);
    }

    /**
     * Damages a backup the way checksums cannot see: adds 0.25 to the first component of point {@code id}'s vector
     * in the points document {@code entry} of the tar, and writes the tar back whole (a valid tar, a new SHA-256).
     */
    public static void changeVector(Path file, String entry, long id) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Map<String, byte[]> entries = read(file, 1 << 24);
        ObjectNode doc = (ObjectNode) json.readTree(entries.get(entry));
        for (JsonNode p : doc.path("points")) {
            if (p.path("id").asLong() == id) {
                ArrayNode v = (ArrayNode) p.path("vector");
                v.set(0, v.get(0).floatValue() + 0.25f);
            }
        }
        Path doctored = file.resolveSibling("doctored.tmp");
        try (OutputStream out = Files.newOutputStream(doctored)) {
            Writer w = new Writer(out, 0);
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                w.add(e.getKey(), e.getKey().equals(entry) ? json.writeValueAsBytes(doc) : e.getValue());
            }
            w.finish();
        }
        Files.move(doctored, file, StandardCopyOption.REPLACE_EXISTING);
    }
}
