package qdrantbackup.lifecycle;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qdrantbackup.transfer.SafeFiles;

/**
 * {@code <archive>/.lock}: held by the one process that may write to the archive (the daemon, backup-now,
 * expire). A lock of the operating system, so a killed process never leaves it behind; the file's text only
 * says who holds it, for the message of the process that finds it taken.
 */
public final class ArchiveLock implements org.apache.camel.Service {
    private static final Logger LOG = LoggerFactory.getLogger(ArchiveLock.class);
    public static final String FILE = ".lock";
    private static final long POLL_MILLIS = 200;

    private final Path file;
    private final FileChannel channel;
    private FileLock lock;

    private ArchiveLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the archive's lock, waiting up to {@code wait} for another process to let it go.
     *
     * @throws InUseException when another process still holds it after {@code wait}
     */
    public static ArchiveLock acquire(Path archiveRoot, Duration wait, String holder) {
        SafeFiles.createPrivateDirectories(archiveRoot);
        Path file = archiveRoot.resolve(FILE);
        Instant deadline = Instant.now().plus(wait);
        boolean toldWaiting = false;
        while (true) {
            FileChannel ch = null;
            try {
                ch = FileChannel.open(
                        file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
                FileLock lock = tryLock(ch);
                if (lock != null) {
                    ch.truncate(0);
                    ch.write(
                            ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + ", " + holder + ", since "
                                            + Instant.now() + "\n")
                                    .getBytes(StandardCharsets.UTF_8)),
                            0);
                    ch.force(true);
                    return new ArchiveLock(file, ch, lock);
                }
                ch.close();
            } catch (IOException e) {
                closeQuietly(ch);
                throw new IllegalStateException("cannot lock the archive " + file + ": " + e.getMessage(), e);
            }
            if (!Instant.now().isBefore(deadline)) {
                throw new InUseException(file, holderOf(file));
            }
            if (!toldWaiting) {
                LOG.info("the archive {} is in use ({}); waiting up to {} for it", archiveRoot, holderOf(file), wait);
                toldWaiting = true;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InUseException(file, holderOf(file));
            }
        }
    }

    /** Null when another process (or another start in this JVM) holds it. */
    private static FileLock tryLock(FileChannel ch) throws IOException {
        try {
            return ch.tryLock();
        } catch (OverlappingFileLockException sameJvm) {
            return null;
        }
    }

    private static String holderOf(Path file) {
        try {
            String text = Files.readString(file).strip();
            return text.isEmpty() ? "holder unknown" : text;
        } catch (IOException e) {
            return "holder unknown";
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing held
            }
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public void start() {}

    /** Lets the lock go (the file stays: deleting it would race with a process about to lock it). */
    @Override
    public synchronized void stop() {
        if (lock == null) {
            return;
        }
        try {
            lock.release();
        } catch (IOException e) {
            LOG.debug("releasing {}: {}", file, e.toString());
        }
        lock = null;
        closeQuietly(channel);
    }

    /** Another process writes to the archive: this one must not. */
    public static final class InUseException extends RuntimeException {
        public InUseException(Path file, String holder) {
            super("the archive is in use by another qdrant-backup process (" + holder + "; lock " + file
                    + "): only one process may write to it; run backups through the daemon (POST /backup, or a"
                    + " backup-now file in the inbox), or set archive.lock-wait to wait for the other process");
        }
    }
}
