package qdrantbackup.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.LongConsumer;

/**
 * Copies a stream to a file in 1 MiB pieces, computing SHA-256 as the bytes go by: memory stays
 * flat whatever the size, and the file is read only once.
 */
public final class HashingCopy {
    static final int BUFFER = 1 << 20;

    /** Bytes written and their hex SHA-256. */
    public record Result(long size, String sha256) {}

    private HashingCopy() {}

    /** Writes {@code in} to {@code target} (created or truncated), reporting to {@code log}. */
    public static Result copy(InputStream in, Path target, long expected, TransferLog log) throws IOException {
        return copy(in, target, expected, log, null);
    }

    /**
     * As {@link #copy(InputStream, Path, long, TransferLog)}, telling {@code written} (when not null) how many bytes
     * are in the file after each write, so a reader of the same file can follow the download.
     */
    public static Result copy(InputStream in, Path target, long expected, TransferLog log, LongConsumer written)
            throws IOException {
        return copy(in, target, 0, null, expected, log, written);
    }

    /**
     * Writes {@code in} to {@code target} from byte {@code start} on (the file cut there first), continuing
     * {@code prefix}, the SHA-256 state of the bytes before {@code start} (see {@link #digestOf}); {@code start} 0
     * writes the whole file. The result is the whole file's size and SHA-256; {@code written} and {@code log} see
     * positions in the whole file.
     */
    public static Result copy(
            InputStream in,
            Path target,
            long start,
            MessageDigest prefix,
            long expected,
            TransferLog log,
            LongConsumer written)
            throws IOException {
        MessageDigest sha = start > 0 ? prefix : sha256();
        byte[] buffer = new byte[BUFFER];
        long done = Math.max(0, start);
        try (FileChannel out = start > 0
                ? FileChannel.open(target, StandardOpenOption.WRITE)
                : FileChannel.open(
                        target,
                        StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.CREATE)) {
            if (start > 0) {
                out.truncate(start).position(start);
            }
            int n;
            while ((n = in.readNBytes(buffer, 0, buffer.length)) > 0) {
                if (log != null && log.stopped()) {
                    throw new IOException("stopped after " + done + " bytes: the application is stopping");
                }
                sha.update(buffer, 0, n);
                ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
                while (chunk.hasRemaining()) {
                    out.write(chunk);
                }
                done += n;
                if (written != null) {
                    written.accept(done);
                }
                if (log != null) {
                    log.bytes(done, expected);
                }
            }
        }
        return new Result(done, HexFormat.of().formatHex(sha.digest()));
    }

    /** The SHA-256 state after the first {@code bytes} bytes of {@code file}, read in 1 MiB pieces. */
    public static MessageDigest digestOf(Path file, long bytes) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            return digest(in, 0, bytes, sha256());
        }
    }

    /** Feeds {@code length} bytes of {@code in} from {@code offset} on into {@code digest}, in 1 MiB pieces. */
    public static MessageDigest digest(FileChannel in, long offset, long length, MessageDigest digest)
            throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
        long pos = offset;
        long end = offset + length;
        while (pos < end) {
            buffer.clear().limit((int) Math.min(BUFFER, end - pos));
            int n = in.read(buffer, pos);
            if (n < 0) {
                throw new IOException("the file ends at " + pos + " bytes, before " + end);
            }
            digest.update(buffer.flip());
            pos += n;
        }
        return digest;
    }

    /** SHA-256 of a file already on disk. */
    public static String sha256(Path file) throws IOException {
        MessageDigest sha = sha256();
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            while (in.read(buffer.clear()) > 0) {
                sha.update(buffer.flip());
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** Hex SHA-256 of a few bytes in memory. */
    public static String sha256(byte[] content) {
        return HexFormat.of().formatHex(sha256().digest(content));
    }

    /** A fresh SHA-256 digest (every Java has one). */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java has no SHA-256", e);
        }
    }
}
