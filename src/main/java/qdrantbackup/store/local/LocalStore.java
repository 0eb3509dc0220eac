package qdrantbackup.store.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qdrantbackup.store.BackupStore;
import qdrantbackup.store.Manifest;
import qdrantbackup.store.Names;
import qdrantbackup.transfer.CrashPoint;
import qdrantbackup.transfer.HashingCopy;
import qdrantbackup.transfer.SafeFiles;

/**
 * The local archive: {@code <root>/<collection>/<file>} beside {@code <snapshot>.json}. A file gets its final
 * name only once complete and verified (written as {@code .part}, flushed, renamed, its folder flushed); the
 * manifest is written last, so data files without one are not a backup. Everything is created readable by the
 * owner only. Downloads land here first: {@link #incoming} and {@link #commit} are the archive's own steps.
 */
public final class LocalStore implements BackupStore {
    private static final Logger LOG = LoggerFactory.getLogger(LocalStore.class);
    public static final String PRE_RESTORE = "pre-restore";

    private final Path root;

    public LocalStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    @Override
    public String describe() {
        return "local";
    }

    /** The folder of one collection's backups, created when missing. */
    public Path folder(String collection) {
        Path dir = root.resolve(Names.check("collection", collection)).normalize();
        if (!dir.getParent().equals(root)) {
            throw new IllegalArgumentException("collection name '" + collection + "' would leave the archive");
        }
        SafeFiles.createPrivateDirectories(dir);
        return dir;
    }

    /**
     * {@code <root>/<collection>/pre-restore}: copies of a collection taken just before a restore replaced it. A
     * sub-folder, so {@link #list} never counts them as backups (retention leaves them).
     */
    public Path preRestoreFolder(String collection) {
        Path dir = folder(collection).resolve(PRE_RESTORE);
        SafeFiles.createPrivateDirectories(dir);
        return dir;
    }

    /** Where a data file in progress is written: never the final name. */
    public Path incoming(String collection, String fileName) {
        return folder(collection).resolve(Names.checkFile("snapshot", fileName) + SafeFiles.PART);
    }

    /** Gives a verified part file its final name: flushed, renamed, folder flushed. */
    public Path commit(Path part, String collection, String fileName) {
        Path target = folder(collection).resolve(Names.checkFile("snapshot", fileName));
        SafeFiles.commit(part, target);
        return target;
    }

    /** Where one data file of a backup held here is. */
    public Path path(Manifest backup, String fileName) {
        return root.resolve(Names.check("collection", backup.collection())).resolve(Names.checkFile("file", fileName));
    }

    /** The first data file of a backup held here (today's single snapshot). */
    public Path firstFile(Manifest backup) {
        return path(backup, backup.dataFiles().get(0).name());
    }

    /** The manifest file of a backup held here. */
    public Path manifestPath(Manifest backup) {
        return root.resolve(Names.check("collection", backup.collection())).resolve(backup.fileName());
    }

    @Override
    public List<String> collections() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(root)) {
            // a folder this user cannot read (lost+found of a mounted volume) holds none of our backups
            return dirs.filter(p -> Files.isDirectory(p) && Files.isReadable(p) && Files.isExecutable(p))
                    .map(p -> p.getFileName().toString())
                    .filter(n -> Names.problem(n) == null)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the archive " + root + ": " + e.getMessage(), e);
        }
    }

    /**
     * The complete backups of one collection, newest first: a manifest whose files are all there with the
     * recorded sizes. Anything else in the folder (notes, part files, pre-restore copies) is left alone.
     */
    @Override
    public List<Manifest> list(String collection) {
        Path dir = root.resolve(Names.check("collection", collection));
        return listFolder(dir, collection);
    }

    /** The complete backups in any folder laid out as the archive's (e.g. a pre-restore folder), newest first. */
    public static List<Manifest> listFolder(Path dir, String collection) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Manifest> backups = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(Manifest.SUFFIX))
                    .toList()) {
                readManifest(file)
                        .filter(m -> collection.equals(m.collection())
                                && file.getFileName().toString().equals(m.fileName()))
                        .filter(m -> m.dataFiles().stream()
                                .allMatch(f -> Names.fileProblem(f.name()) == null
                                        && sizeOf(dir.resolve(f.name())) == f.size()))
                        .ifPresent(backups::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        backups.sort(Comparator.comparing(Manifest::createdAt).reversed());
        return backups;
    }

    @Override
    public boolean has(Manifest backup) {
        return find(backup.collection(), backup.snapshot())
                .filter(m -> m.sameData(backup))
                .isPresent();
    }

    /**
     * Puts a backup: files already in this collection's folder (a download committed there) are checked for
     * their recorded size; files elsewhere are copied in, verified. Then the manifest, durably.
     */
    @Override
    public void put(Manifest backup, Path from) {
        Path dir = folder(backup.collection());
        boolean inPlace = from.toAbsolutePath().normalize().equals(dir);
        for (Manifest.DataFile f : backup.dataFiles()) {
            Path target = dir.resolve(Names.checkFile("file", f.name()));
            if (!inPlace) {
                copyVerified(from.resolve(f.name()), target, f);
            } else if (sizeOf(target) != f.size()) {
                throw new IllegalStateException("cannot archive " + backup.snapshot() + ": " + target + " has "
                        + sizeOf(target) + " bytes, the manifest says " + f.size());
            }
        }
        writeManifest(backup, dir);
    }

    /** Writes the manifest into {@code dir} (durably), which makes the files beside it a complete backup. */
    public static void writeManifest(Manifest manifest, Path dir) {
        SafeFiles.writeJson(dir.resolve(manifest.fileName()), manifest);
    }

    /** Copies every data file (verified) and writes the manifest; on a failure, removes what it copied. */
    @Override
    public void fetch(Manifest backup, Path folder) {
        SafeFiles.createPrivateDirectories(folder);
        List<Path> fetched = new ArrayList<>();
        try {
            for (Manifest.DataFile f : backup.dataFiles()) {
                Path target = folder.resolve(Names.checkFile("file", f.name()));
                copyVerified(path(backup, f.name()), target, f);
                fetched.add(target);
            }
            writeManifest(backup, folder);
        } catch (RuntimeException e) {
            fetched.forEach(SafeFiles::deleteQuietly);
            throw e;
        }
    }

    @Override
    public void delete(List<Manifest> backups) {
        for (Manifest backup : backups) {
            // data first, manifest last: a crash between leaves a manifest without data, which the listing
            // ignores and the next start removes (lifecycle.Leftovers), never data that nothing lists
            try {
                for (Manifest.DataFile f : backup.dataFiles()) {
                    Files.deleteIfExists(path(backup, f.name()));
                }
                SafeFiles.forceFolder(manifestPath(backup).getParent());
                CrashPoint.reached("expire.between-deletes");
                Files.deleteIfExists(manifestPath(backup));
                SafeFiles.forceFolder(manifestPath(backup).getParent());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + backup.snapshot() + ": " + e.getMessage(), e);
            }
        }
    }

    /** The archive is local: writable when its root can be created and written (checked at start-up). */
    @Override
    public void checkWritable() {
        SafeFiles.createPrivateDirectories(root);
        if (!Files.isWritable(root)) {
            throw new IllegalStateException("the archive " + root + " is not writable: give the user write access");
        }
    }

    /** Reads a manifest, or empty when the file is not one of ours (not JSON, or lacking its fields). */
    public static Optional<Manifest> readManifest(Path file) {
        if (sizeOf(file) > Manifest.MAX_BYTES) {
            LOG.debug("{} is larger than a manifest can be: not read", file);
            return Optional.empty();
        }
        try {
            Manifest m = SafeFiles.JSON.readValue(file.toFile(), Manifest.class);
            return m.isComplete() ? Optional.of(m) : Optional.empty();
        } catch (IOException notAManifest) {
            return Optional.empty();
        }
    }

    private static void copyVerified(Path source, Path target, Manifest.DataFile f) {
        Path part = target.resolveSibling(target.getFileName() + SafeFiles.PART);
        try (var in = Files.newInputStream(source)) {
            SafeFiles.createPrivateFile(part);
            HashingCopy.Result copied = HashingCopy.copy(in, part, f.size(), null);
            if (copied.size() != f.size() || !copied.sha256().equalsIgnoreCase(f.sha256())) {
                throw new IllegalStateException("copy of " + source + " does not match its manifest (" + copied.size()
                        + " bytes, SHA-256 " + copied.sha256() + "; expected " + f.size() + " bytes, " + f.sha256()
                        + "): the file is damaged");
            }
            SafeFiles.commit(part, target);
        } catch (IOException e) {
            SafeFiles.deleteQuietly(part);
            throw new UncheckedIOException("cannot copy " + source + " to " + target + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            SafeFiles.deleteQuietly(part);
            throw e;
        }
    }

    static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException missing) {
            LOG.trace("no file {}", file);
            return -1;
        }
    }
}
