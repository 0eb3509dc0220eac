package qdrantbackup.transfer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;

/**
 * Checks that a file is a whole tar archive holding a Qdrant collection snapshot, reading only the headers
 * (Apache Commons Compress's {@link TarFile} seeks from header to header, so a multi-GB file costs a few reads,
 * and it refuses hostile headers: bad checksums, negative, huge or non-numeric sizes): no entry runs past the
 * end of the file, the end-of-archive marker is there, and {@code config.json} is at the top level.
 */
public final class TarCheck {
    static final int BLOCK = 512;

    private TarCheck() {}

    /** Null when the file is a complete snapshot tar, else why not (for "the file …"). */
    public static String problem(Path file) {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = in.size();
            if (size == 0) {
                return "is empty (0 bytes)";
            }
            if (size < BLOCK) {
                return "is not a tar archive (too short)";
            }
            List<TarArchiveEntry> entries;
            // TarFile closes the channel it reads: it gets its own
            try (TarFile tar = new TarFile(FileChannel.open(file, StandardOpenOption.READ))) {
                entries = tar.getEntries();
            } catch (IOException | RuntimeException e) {
                return unreadable(in, size, e);
            }
            if (entries.isEmpty()) {
                return "is not a tar archive";
            }
            long end = 0;
            for (TarArchiveEntry e : entries) {
                long dataEnd = e.getDataOffset() + (e.getSize() + BLOCK - 1) / BLOCK * BLOCK;
                if (e.getSize() < 0 || dataEnd > size) {
                    return "is a truncated tar archive (entry " + printable(e.getName()) + " runs past the end of the"
                            + " file at " + size + " bytes); copy the whole file again";
                }
                String header = headerProblem(in, e.getDataOffset() - BLOCK);
                if (header != null) {
                    return (e == entries.get(0) ? "is not a tar archive (" : "is a damaged tar archive (") + header
                            + " in the header of " + printable(e.getName()) + ")";
                }
                end = Math.max(end, dataEnd);
            }
            if (!endMarker(in, end, size)) {
                return "is a truncated tar archive (the end-of-archive marker is incomplete); copy the whole file"
                        + " again";
            }
            boolean config = entries.stream()
                    .map(e -> e.getName().startsWith("./") ? e.getName().substring(2) : e.getName())
                    .anyMatch("config.json"::equals);
            return config ? null : "is a tar archive but not a Qdrant collection snapshot (no config.json)";
        } catch (IOException e) {
            return "cannot be read (" + e.getMessage() + ")";
        }
    }

    /** Why the reader gave up: the first header, a later one, or the file ending inside one. */
    private static String unreadable(FileChannel in, long size, Exception e) throws IOException {
        ByteBuffer first = ByteBuffer.allocate(BLOCK);
        in.read(first, 0);
        if (!checksumOk(first.array())) {
            return "is not a tar archive (no valid tar header at the start)";
        }
        String why = String.valueOf(e.getMessage());
        if (why.toLowerCase(java.util.Locale.ROOT).matches(".*(eof|truncated).*") || size % BLOCK != 0) {
            return "is a truncated tar archive (it ends after " + size + " bytes); copy the whole file again";
        }
        return "is a damaged tar archive (" + printable(why) + ")";
    }

    /** Two zero blocks right after the last entry's data. */
    private static boolean endMarker(FileChannel in, long end, long size) throws IOException {
        if (end + 2L * BLOCK > size) {
            return false;
        }
        ByteBuffer marker = ByteBuffer.allocate(2 * BLOCK);
        while (marker.hasRemaining() && in.read(marker, end + marker.position()) > 0) {
            // positional reads until the two blocks are in
        }
        for (byte b : marker.array()) {
            if (b != 0) {
                return false;
            }
        }
        return !marker.hasRemaining();
    }

    /**
     * What is wrong with an entry's own header, or null: the reader checks neither the checksum nor that the
     * size is a number (octal digits padded with spaces or NULs, or base-256).
     */
    private static String headerProblem(FileChannel in, long headerAt) throws IOException {
        ByteBuffer h = ByteBuffer.allocate(BLOCK);
        if (headerAt < 0 || in.read(h, headerAt) < BLOCK) {
            return "no header";
        }
        byte[] b = h.array();
        if (!checksumOk(b)) {
            return "a wrong checksum";
        }
        if ((b[124] & 0x80) == 0) {
            for (int i = 124; i < 136; i++) {
                int c = b[i] & 0xff;
                if (!(c >= '0' && c <= '7') && c != ' ' && c != 0) {
                    return "a size that is not a number";
                }
            }
        }
        return null;
    }

    private static boolean checksumOk(byte[] h) {
        long stored = 0;
        boolean digits = false;
        for (int i = 148; i < 156; i++) {
            int c = h[i] & 0xff;
            if (c >= '0' && c <= '7') {
                stored = stored * 8 + (c - '0');
                digits = true;
            } else if (c != 0 && c != ' ') {
                return false;
            }
        }
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xff);
        }
        return digits && sum == stored;
    }

    /** Names and messages come from the file: no control characters into a report or a log. */
    private static String printable(String s) {
        String p = s.replaceAll("\\p{Cntrl}", "?");
        return p.length() > 200 ? p.substring(0, 200) + "…" : p;
    }
}
