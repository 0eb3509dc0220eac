package qdrantbackup.restore;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Checks that a file is a whole tar archive holding a Qdrant collection snapshot, reading only the
 * 512-byte headers (entries are skipped by seeking, so a multi-GB file costs a few reads): every
 * header's checksum is right, no entry runs past the end of the file, the end-of-archive marker is
 * there, and {@code config.json} is at the top level.
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
            ByteBuffer header = ByteBuffer.allocate(BLOCK);
            long position = 0;
            boolean config = false;
            int entries = 0;
            String longName = null;
            while (true) {
                if (position + BLOCK > size) {
                    return entries == 0
                            ? "is not a tar archive (too short)"
                            : "is a truncated tar archive (it ends after " + size + " bytes, inside entry " + entries
                                    + "); copy the whole file again";
                }
                header.clear();
                in.read(header, position);
                byte[] h = header.array();
                if (allZero(h)) {
                    // the end-of-archive marker is two zero blocks; a file cut inside it is cut short
                    header.clear();
                    if (position + 2 * BLOCK > size
                            || in.read(header, position + BLOCK) < BLOCK
                            || !allZero(header.array())) {
                        return "is a truncated tar archive (the end-of-archive marker is incomplete); copy the"
                                + " whole file again";
                    }
                    return config
                            ? null
                            : entries == 0
                                    ? "is not a tar archive"
                                    : "is a tar archive but not a Qdrant collection snapshot (no config.json)";
                }
                if (!checksumOk(h)) {
                    return entries == 0
                            ? "is not a tar archive (no valid tar header at the start)"
                            : "is a damaged tar archive (bad header at byte " + position + ")";
                }
                long length = octal(h, 124, 12);
                char type = (char) h[156];
                String name = longName != null ? longName : name(h);
                longName = null;
                long data = (length + BLOCK - 1) / BLOCK * BLOCK;
                if (position + BLOCK + data > size) {
                    return "is a truncated tar archive (entry " + name + " runs past the end of the file at " + size
                            + " bytes); copy the whole file again";
                }
                if (type == 'L') {
                    ByteBuffer nameBuf = ByteBuffer.allocate((int) Math.min(length, 4096));
                    in.read(nameBuf, position + BLOCK);
                    longName = new String(nameBuf.array(), 0, nameBuf.position(), StandardCharsets.UTF_8)
                            .replace("\0", "");
                } else {
                    entries++;
                    String clean = name.startsWith("./") ? name.substring(2) : name;
                    config |= clean.equals("config.json");
                }
                position += BLOCK + data;
            }
        } catch (IOException e) {
            return "cannot be read (" + e.getMessage() + ")";
        }
    }

    private static boolean allZero(byte[] h) {
        for (byte b : h) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean checksumOk(byte[] h) {
        long stored;
        try {
            stored = octal(h, 148, 8);
        } catch (NumberFormatException e) {
            return false;
        }
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xff);
        }
        return sum == stored;
    }

    private static String name(byte[] h) {
        String name = cString(h, 0, 100);
        String prefix =
                new String(h, 257, 6, StandardCharsets.US_ASCII).startsWith("ustar") ? cString(h, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    private static String cString(byte[] h, int offset, int length) {
        int end = offset;
        while (end < offset + length && h[end] != 0) {
            end++;
        }
        return new String(h, offset, end - offset, StandardCharsets.UTF_8);
    }

    /** An octal number field (NUL/space padded), or GNU base-256 for large sizes. */
    static long octal(byte[] h, int offset, int length) {
        if ((h[offset] & 0x80) != 0) {
            long v = 0;
            for (int i = offset + 1; i < offset + length; i++) {
                v = (v << 8) | (h[i] & 0xff);
            }
            return v;
        }
        String s = cString(h, offset, length).trim();
        if (s.isEmpty()) {
            return 0;
        }
        return Long.parseLong(s, 8);
    }
}
