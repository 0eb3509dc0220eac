package qdrantbackup.transfer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * File operations a backup can rely on: private files and folders (owner only), and a commit that
 * flushes the file, renames it atomically and flushes its folder, so a file with a final name survives a
 * power cut whole.
 */
public final class SafeFiles {
    private static final Logger LOG = LoggerFactory.getLogger(SafeFiles.class);
    /** The suffix of a file still being written: never a final name. */
    public static final String PART = ".part";

    private SafeFiles() {}

    /** Creates an empty file readable by the owner only (replacing one that is there). */
    public static void createPrivateFile(Path file) throws IOException {
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        }
    }

    /** Creates the folder and its missing parents, each readable by the owner only. */
    public static void createPrivateDirectories(Path dir) {
        Path abs = dir.toAbsolutePath();
        try {
            if (!Files.isDirectory(abs)) {
                createPrivateDirectories(abs.getParent());
                try {
                    Files.createDirectory(
                            abs, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } catch (UnsupportedOperationException notPosix) {
                    Files.createDirectory(abs);
                }
            }
        } catch (FileAlreadyExistsException raced) {
            // another thread made it first
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create folder " + abs + ": " + e.getMessage(), e);
        }
    }

    /** Flushes {@code part} to disk, renames it to {@code target} (atomically where possible), flushes the folder. */
    public static void commit(Path part, Path target) {
        try {
            force(part);
            move(part, target);
            forceFolder(target.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot commit " + part + " as " + target + ": " + e.getMessage(), e);
        }
    }

    /** Renames without flushing: for a file that is flushed already, or whose loss costs nothing. */
    public static void moveAtomically(Path from, Path to) {
        try {
            move(from, to);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rename " + from + " to " + to + ": " + e.getMessage(), e);
        }
    }

    /** Flushes a file's content to the disk. */
    public static void force(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    /** Flushes a folder, so that a rename or delete in it survives a power cut (a no-op where unsupported). */
    public static void forceFolder(Path dir) {
        if (dir == null) {
            return;
        }
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("cannot flush folder {}: {}", dir, e.toString());
        }
    }

    /** The mapper of every JSON file the tool writes (indented, for operators to read). */
    public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Writes {@code value} as JSON to {@code target} durably: a private part file, flushed, then committed. */
    public static void writeJson(Path target, Object value) {
        Path part = target.resolveSibling(target.getFileName() + PART);
        try {
            createPrivateFile(part);
            JSON.writeValue(part.toFile(), value);
            commit(part, target);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(part);
            throw new UncheckedIOException(
                    "cannot write " + target + ": " + e.getMessage(),
                    e instanceof IOException io ? io : new IOException(e));
        }
    }

    public static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", file, e.getMessage());
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
