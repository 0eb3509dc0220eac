package qdrantbackup.lifecycle;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qdrantbackup.backup.BackupJob;
import qdrantbackup.backup.Tool;
import qdrantbackup.qdrant.SnapshotNames;
import qdrantbackup.store.ClusterSet;
import qdrantbackup.store.Manifest;
import qdrantbackup.store.local.LocalStore;
import qdrantbackup.transfer.HashingCopy;
import qdrantbackup.transfer.SafeFiles;
import qdrantbackup.transfer.TarCheck;

/**
 * At a writer's start: what a crash left between a complete backup and none. Data is committed before its manifest
 * and deleted before it, so there are two kinds: a snapshot without a manifest (a backup cut off before its manifest:
 * completed when it is a whole tar, else moved to {@code damaged/}; a set's shard file is deleted) and a manifest whose files are all gone (an
 * expiry cut off: the delete is finished). A manifest with some files missing or short goes to {@code damaged/}.
 * Folders that cannot be read (lost+found on a mounted volume) are skipped with one warning.
 */
public final class Leftovers {
    private static final Logger LOG = LoggerFactory.getLogger(Leftovers.class);
    static final String DAMAGED = "damaged";

    private Leftovers() {}

    /** Heals every collection folder (and its pre-restore copies); returns the lines it logged. */
    public static List<String> heal(Path archiveRoot) {
        List<String> done = new ArrayList<>();
        if (!Files.isDirectory(archiveRoot)) {
            return done;
        }
        for (Path dir : folders(archiveRoot, done)) {
            heal(dir, dir.getFileName().toString(), done);
            Path copies = dir.resolve(LocalStore.PRE_RESTORE);
            if (Files.isDirectory(copies, LinkOption.NOFOLLOW_LINKS)) {
                heal(copies, dir.getFileName().toString(), done);
            }
        }
        return done;
    }

    private static List<Path> folders(Path root, List<String> done) {
        List<Path> dirs = new ArrayList<>();
        try (DirectoryStream<Path> all = Files.newDirectoryStream(root)) {
            for (Path p : all) {
                if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                if (!Files.isReadable(p) || !Files.isExecutable(p)) {
                    say(
                            done,
                            false,
                            "skipped " + p + " in the archive: it cannot be read (e.g. lost+found of a"
                                    + " mounted volume); it holds no backups of this tool");
                    continue;
                }
                dirs.add(p);
            }
        } catch (IOException e) {
            say(done, false, "could not look for leftovers in " + root + ": " + e.getMessage());
        }
        return dirs;
    }

    private static void heal(Path dir, String collection, List<String> done) {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> all = Files.newDirectoryStream(dir)) {
            all.forEach(files::add);
        } catch (IOException e) {
            say(done, false, "skipped " + dir + ": " + e.getMessage());
            return;
        }
        Set<String> claimed = new HashSet<>();
        for (Path f : files) {
            String name = f.getFileName().toString();
            if (!name.endsWith(".snapshot" + Manifest.SUFFIX) || !Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            Optional<Manifest> read = LocalStore.readManifest(f);
            if (read.isEmpty()) {
                continue; // not one of ours
            }
            Manifest m = read.get();
            m.dataFiles().forEach(d -> claimed.add(d.name()));
            int missing = 0;
            boolean wrong = false;
            for (Manifest.DataFile d : m.dataFiles()) {
                Path data = dir.resolve(d.name());
                if (!Files.exists(data, LinkOption.NOFOLLOW_LINKS)) {
                    missing++;
                } else if (size(data) != d.size()) {
                    wrong = true;
                }
            }
            if (missing == m.dataFiles().size()) {
                SafeFiles.deleteQuietly(f);
                SafeFiles.forceFolder(dir);
                say(
                        done,
                        true,
                        "finished the interrupted delete of " + m.snapshot() + " in " + dir
                                + " (its data was gone, its manifest is now too)");
            } else if (missing > 0 || wrong) {
                aside(dir, f, m, done, missing > 0 ? "files missing" : "files shorter or longer than recorded");
            }
        }
        for (Path f : files) {
            String name = f.getFileName().toString();
            if (name.endsWith(".snapshot")
                    && !claimed.contains(name)
                    && Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)
                    && !Files.exists(f.resolveSibling(name + Manifest.SUFFIX), LinkOption.NOFOLLOW_LINKS)) {
                if (ClusterSet.isShardFileName(name)) {
                    unfinishedSet(f, done);
                } else {
                    complete(dir, f, collection, done);
                }
            }
        }
    }

    /**
     * A shard file of a set whose manifest was never written: the set cannot be completed (its coverage was
     * never proven, shards may be missing), and a partial set is never kept, so the file is deleted.
     */
    private static void unfinishedSet(Path file, List<String> done) {
        SafeFiles.deleteQuietly(file);
        SafeFiles.forceFolder(file.getParent());
        say(
                done,
                true,
                "deleted " + file + ": a shard file of a cluster set cut off before its manifest (a partial set is"
                        + " never kept; the next backup makes a whole one)");
    }

    /** A snapshot whose manifest was never written: a whole tar gets one (marked recovered), else it goes aside. */
    private static void complete(Path dir, Path file, String collection, List<String> done) {
        String name = file.getFileName().toString();
        String problem = TarCheck.problem(file);
        if (problem != null) {
            moveAside(dir, List.of(file));
            say(
                    done,
                    false,
                    "moved " + file + " to " + DAMAGED + "/: it has no manifest and is not a whole snapshot (" + problem
                            + "); delete it once you have looked at it");
            return;
        }
        try {
            HashingCopy.Result hashed = new HashingCopy.Result(Files.size(file), HashingCopy.sha256(file));
            boolean full = collection.equals(BackupJob.FULL_STORAGE);
            Manifest m = new Manifest(
                    collection,
                    name,
                    full ? Manifest.FULL : Manifest.COLLECTION,
                    hashed.size(),
                    hashed.sha256(),
                    Files.getLastModifiedTime(file).toInstant().toString(),
                    null,
                    null,
                    null,
                    null,
                    Tool.NAME_VERSION + " (recovered after a crash: no point count, config or aliases)");
            m = m.withSnapshotFacts(
                    null, null, SnapshotNames.time(name).map(Object::toString).orElse(null));
            LocalStore.writeManifest(m, dir);
            say(
                    done,
                    true,
                    "completed " + file + ": a crash came before its manifest; it is a whole snapshot (" + hashed.size()
                            + " bytes, sha256 " + hashed.sha256() + ") and now has one (without a point count)");
        } catch (IOException | RuntimeException e) {
            say(done, false, "could not complete " + file + " (it has no manifest): " + e.getMessage());
        }
    }

    private static void aside(Path dir, Path manifest, Manifest m, List<String> done, String why) {
        List<Path> move = new ArrayList<>(List.of(manifest));
        m.dataFiles().stream()
                .map(d -> dir.resolve(d.name()))
                .filter(Files::exists)
                .forEach(move::add);
        moveAside(dir, move);
        say(
                done,
                false,
                "moved the damaged backup " + m.snapshot() + " to " + dir.resolve(DAMAGED) + " (" + why
                        + "); it is no longer listed or restored");
    }

    private static void moveAside(Path dir, List<Path> files) {
        Path to = dir.resolve(DAMAGED);
        SafeFiles.createPrivateDirectories(to);
        for (Path f : files) {
            SafeFiles.commit(f, to.resolve(f.getFileName()));
        }
        SafeFiles.forceFolder(dir);
    }

    private static long size(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            return -1;
        }
    }

    private static void say(List<String> done, boolean healed, String line) {
        done.add(line);
        if (healed) {
            LOG.warn("{}", line);
        } else {
            LOG.error("{}", line);
        }
    }
}
