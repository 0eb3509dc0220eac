package qdrantbackup.archive;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local archive: {@code <root>/<collection>/<snapshot>} beside {@code <snapshot>.json}.
 * A file gets its final name only once complete and verified (written as {@code .part}, then
 * renamed atomically); the manifest is written last, so a snapshot without one is not a backup.
 * Everything is created readable by the owner only.
 */
public final class Archive {
    private static final Logger LOG = LoggerFactory.getLogger(Archive.class);
    public static final String PART = ".part";
    public static final String PRE_RESTORE = "pre-restore";
    public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path root;

    public Archive(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** The folder of one collection's backups, created when missing. */
    public Path folder(String collection) {
        Path dir = root.resolve(Names.check("collection", collection)).normalize();
        if (!dir.getParent().equals(root)) {
            throw new IllegalArgumentException("collection name '" + collection + "' would leave the archive");
        }
        createPrivateDirectories(dir);
        return dir;
    }

    /**
     * {@code <root>/<collection>/pre-restore}: copies of a collection taken just before a restore
     * replaced it. A sub-folder, so {@link #list} never counts them as backups (retention leaves them).
     */
    public Path preRestoreFolder(String collection) {
        Path dir = folder(collection).resolve(PRE_RESTORE);
        createPrivateDirectories(dir);
        return dir;
    }

    /** Where a download in progress is written: never the final name. */
    public Path partFile(String collection, String snapshot) {
        return folder(collection).resolve(Names.check("snapshot", snapshot) + PART);
    }

    /** Gives a verified part file its final name, atomically. */
    public Path commit(Path part, String collection, String snapshot) {
        Path target = folder(collection).resolve(Names.check("snapshot", snapshot));
        move(part, target);
        return target;
    }

    /** Writes the manifest (atomically), which makes the snapshot beside it a complete backup. */
    public ArchivedBackup writeManifest(Manifest manifest) {
        return writeManifest(manifest, folder(manifest.collection()));
    }

    /** Writes the manifest (atomically) into {@code dir}, beside its snapshot. */
    public ArchivedBackup writeManifest(Manifest manifest, Path dir) {
        Path target = dir.resolve(manifest.fileName());
        Path temp = dir.resolve(manifest.fileName() + PART);
        try {
            createPrivateFile(temp);
            JSON.writeValue(temp.toFile(), manifest);
            move(temp, target);
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new UncheckedIOException("cannot write manifest " + target + ": " + e.getMessage(), e);
        }
        return new ArchivedBackup(manifest, dir.resolve(manifest.snapshot()), target);
    }

    /** Collections with a folder in the archive. */
    public List<String> collections() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .filter(n -> Names.problem(n) == null)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the archive " + root + ": " + e.getMessage(), e);
        }
    }

    /**
     * The complete backups of one collection, newest first: a manifest whose snapshot file is there
     * with the recorded size. Anything else in the folder (notes, part files, pre-restore copies)
     * is not a backup and is left alone.
     */
    public List<ArchivedBackup> list(String collection) {
        Path dir = root.resolve(Names.check("collection", collection));
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<ArchivedBackup> backups = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json"))
                    .toList()) {
                readManifest(file).ifPresent(m -> {
                    Path snapshot = dir.resolve(m.snapshot());
                    if (collection.equals(m.collection())
                            && Names.problem(m.snapshot()) == null
                            && sizeOf(snapshot) == m.size()) {
                        backups.add(new ArchivedBackup(m, snapshot, file));
                    }
                });
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        backups.sort(Comparator.comparing((ArchivedBackup b) -> b.manifest().createdAt())
                .reversed());
        return backups;
    }

    /** Every complete backup in the archive, newest first per collection. */
    public List<ArchivedBackup> listAll() {
        List<ArchivedBackup> all = new ArrayList<>();
        collections().forEach(c -> all.addAll(list(c)));
        return all;
    }

    public Optional<ArchivedBackup> find(String collection, String snapshot) {
        return list(collection).stream()
                .filter(b -> b.snapshot().equals(snapshot))
                .findFirst();
    }

    /** Deletes a backup: manifest first (so a half-deleted backup is never listed), then the file. */
    public void delete(ArchivedBackup backup) {
        try {
            Files.deleteIfExists(backup.manifestFile());
            Files.deleteIfExists(backup.snapshotFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + backup.snapshotFile() + ": " + e.getMessage(), e);
        }
    }

    public static Optional<Manifest> readManifest(Path file) {
        try {
            Manifest m = JSON.readValue(file.toFile(), Manifest.class);
            return m.snapshot() == null || m.collection() == null || m.sha256() == null
                    ? Optional.empty()
                    : Optional.of(m);
        } catch (IOException notAManifest) {
            return Optional.empty();
        }
    }

    public static void createPrivateFile(Path file) throws IOException {
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        }
    }

    public static void createPrivateDirectories(Path dir) {
        dir = dir.toAbsolutePath();
        try {
            if (!Files.isDirectory(dir)) {
                createPrivateDirectories(dir.getParent());
                try {
                    Files.createDirectory(
                            dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } catch (UnsupportedOperationException notPosix) {
                    Files.createDirectory(dir);
                }
            }
        } catch (java.nio.file.FileAlreadyExistsException raced) {
            // another collection's thread made it first
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create folder " + dir + ": " + e.getMessage(), e);
        }
    }

    public static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", file, e.getMessage());
        }
    }

    /** Renames {@code from} to {@code to}, atomically where the file system can. */
    public static void moveAtomically(Path from, Path to) {
        move(from, to);
    }

    private static void move(Path from, Path to) {
        try {
            try {
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rename " + from + " to " + to + ": " + e.getMessage(), e);
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException missing) {
            return -1;
        }
    }
}
