package qdrantbackup.testing;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;

/** Damage a checksum sees and a size check does not: one byte flipped in the middle of a file. */
public final class Damage {
    private Damage() {}

    /** Flips every bit of the byte in the middle of {@code file}; its size stays. */
    public static void flipMiddleByte(Path file) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            long at = f.length() / 2;
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0xff);
        }
    }
}
