package qdrantbackup.transfer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Free space on the disk a file is written to: checked before a download (its size plus a margin), and
 * a full disk recognised as such, so it is reported as the disk's problem and never retried.
 */
public final class DiskSpace {
    /** Room kept beside a download: the manifest, the folder's entries, another process's writes. */
    static final long MARGIN = 1024 * 1024;

    private DiskSpace() {}

    /** The bytes a file of {@code size} bytes needs: the size, a margin and 1% for the file system's own blocks. */
    public static long needed(long size) {
        return size + MARGIN + size / 100;
    }

    /** The bytes this process may still write in {@code dir} (Long.MAX_VALUE when it cannot be told). */
    public static long free(Path dir) {
        try {
            return Files.getFileStore(dir).getUsableSpace();
        } catch (IOException | RuntimeException e) {
            return Long.MAX_VALUE;
        }
    }

    /** True when {@code e}, or a cause of it, is the operating system's "No space left on device". */
    public static boolean isDiskFull(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DiskFullException
                    || (t instanceof IOException
                            && String.valueOf(t.getMessage()).contains("No space left on device"))) {
                return true;
            }
        }
        return false;
    }

    /** The disk of a folder cannot take a file: not worth a retry, nothing the other side did wrong. */
    public static final class DiskFullException extends RuntimeException {
        public DiskFullException(String what, Path dir, long needed, long free, Throwable cause) {
            super(
                    "no space left on the disk of " + dir.toAbsolutePath() + " for " + what + ": it needs " + needed
                            + " bytes, " + free
                            + " bytes are free; free some space or move archive.dir to a larger disk"
                            + " (the other collections go on)",
                    cause);
        }
    }
}
