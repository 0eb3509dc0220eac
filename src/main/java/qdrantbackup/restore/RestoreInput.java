package qdrantbackup.restore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qdrantbackup.store.BackupStore;
import qdrantbackup.store.Manifest;
import qdrantbackup.store.Names;
import qdrantbackup.store.local.LocalStore;
import qdrantbackup.transfer.TarCheck;

/**
 * The input side of a restore: what was dropped, which backup it names (from the archive, else the bucket),
 * and whether the file is whole and the one its manifest describes. Nothing here changes Qdrant.
 */
final class RestoreInput {
    private static final Logger LOG = LoggerFactory.getLogger(RestoreInput.class);

    private final LocalStore archive;
    private final BackupStore offsite;

    RestoreInput(LocalStore archive, BackupStore offsite) {
        this.archive = archive;
        this.offsite = offsite;
    }

    /** Reads the drop: a request, or a snapshot with or without its manifest; settles the target. */
    RestoreReport read(RestoreReport r) {
        Path file = r.dropped();
        String name = r.getFile();
        refuseLink(file);
        if (Drop.kind(name) == Drop.Kind.REQUEST) {
            refuseLarge(file, "restore request", RestoreRequest.MAX_BYTES);
            RestoreRequest request = RestoreRequest.read(file);
            checkName("collection", request.collection());
            r.request(request);
            r.target(checkName("target", request.target()), request.replace());
        } else {
            Path manifestFile = Drop.manifestOf(file);
            Manifest manifest = null;
            String collection;
            if (manifestFile != null) {
                r.inputs().add(manifestFile);
                refuseLink(manifestFile);
                refuseLarge(manifestFile, "manifest", Manifest.MAX_BYTES);
                manifest = LocalStore.readManifest(manifestFile)
                        .orElseThrow(() -> new RestoreRefused("the manifest " + manifestFile.getFileName()
                                + " is not valid JSON or lacks collection, snapshot or sha256; put the one the"
                                + " backup wrote beside the snapshot, or remove it to restore the bare snapshot"));
                if (Manifest.FULL.equals(manifest.kind())) {
                    throw fullStorage(name);
                }
                collection = manifest.collection();
            } else if (name.startsWith("full-snapshot-")) {
                throw fullStorage(name);
            } else {
                collection = Drop.collectionFromName(name);
                if (collection == null) {
                    throw new RestoreRefused("the file name " + name + " does not say which collection it is for:"
                            + " name it <collection>-<peer_id>-<YYYY-MM-DD-HH-MM-SS>.snapshot as Qdrant does, put its"
                            + " manifest " + name + ".json beside it, or drop a .restore.json request");
                }
            }
            if (manifest != null && manifest.cluster() != null) {
                setFiles(file, manifest, r.inputs()); // filed with the drop, in done/ or failed/
            }
            r.source("inbox", file, manifest, collection, name);
            r.target(checkName("target", collection), false);
        }
        r.step("read");
        return r;
    }

    /**
     * The other shard files of a cluster set dropped with its manifest, beside the first (the inbox holds them
     * back, see {@link InboxFilter}); names from the manifest are checked before any is touched.
     */
    private static void setFiles(Path first, Manifest m, List<Path> inputs) {
        List<Path> others = new java.util.ArrayList<>();
        for (Manifest.DataFile f : m.dataFiles()) {
            if (f.name().equals(first.getFileName().toString())) {
                continue;
            }
            String problem = qdrantbackup.store.Names.fileProblem(f.name());
            if (problem != null) {
                throw new RestoreRefused("the manifest of " + first.getFileName() + " names the file " + f.name()
                        + ", which cannot be a file beside it (" + problem + "); put the manifest the backup wrote");
            }
            Path other = first.resolveSibling(f.name());
            if (java.nio.file.Files.exists(other, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                others.add(other);
            }
        }
        inputs.addAll(others); // first: a refused set leaves the inbox whole
        for (Path other : others) {
            refuseLink(other);
        }
    }

    /** For a request: finds the backup in the archive, or fetches it from the bucket into the archive. */
    RestoreReport locate(RestoreReport r) {
        RestoreRequest request = r.request();
        if (request == null) {
            return r;
        }
        String collection = request.collection();
        // the archive first: a backup it holds never waits for (or fails with) the bucket
        List<Manifest> local = archive.list(collection);
        Manifest wanted = request.latest()
                ? newest(local, List.of())
                : pick(local, List.of(), checkName("snapshot", request.snapshot()));
        List<Manifest> remote = List.of();
        if (wanted == null) {
            remote = remote(collection);
            wanted = request.latest() ? newest(local, remote) : pick(local, remote, request.snapshot());
        }
        if (wanted == null && request.latest()) {
            throw new RestoreRefused("collection " + collection + " has no backup in the local archive ("
                    + archive.root().resolve(collection) + ") nor offsite (" + offsite.describe()
                    + "); check the name");
        }
        if (wanted == null) {
            List<String> known =
                    new ArrayList<>(local.stream().map(Manifest::snapshot).toList());
            remote.stream()
                    .map(Manifest::snapshot)
                    .filter(n -> !known.contains(n))
                    .forEach(known::add);
            throw new RestoreRefused("snapshot " + request.snapshot() + " of collection " + collection
                    + " is neither in the local archive nor offsite (" + offsite.describe() + "); ask for \"latest\""
                    + (known.isEmpty() ? "" : " or one of " + known.subList(0, Math.min(5, known.size()))));
        }
        Manifest chosen = wanted;
        String where = "archive";
        Optional<Manifest> here = archive.find(collection, chosen.snapshot());
        if (here.isEmpty()) {
            LOG.info(
                    "restore: {} is not in the local archive, downloading it from {}",
                    chosen.snapshot(),
                    offsite.describe());
            offsite.fetch(chosen, archive.folder(collection));
            here = archive.find(collection, chosen.snapshot());
            where = "offsite";
        }
        Manifest backup = here.orElseThrow(() -> new IllegalStateException("the download of " + chosen.snapshot()
                + " from " + offsite.describe() + " did not give a complete backup"));
        r.source(where, archive.firstFile(backup), backup, collection, backup.snapshot());
        r.step("locate");
        return r;
    }

    /** The bucket's backups, asked only when the archive lacks the one wanted; an outage says what to do. */
    private List<Manifest> remote(String collection) {
        if (!offsite.enabled()) {
            return List.of();
        }
        try {
            return offsite.list(collection);
        } catch (RuntimeException e) {
            throw new RestoreRefused("the backup of collection " + collection + " is not in the local archive ("
                    + archive.root().resolve(collection) + ") and " + offsite.describe() + " does not answer ("
                    + e.getMessage() + "): try again when the bucket answers, or copy the backup's snapshot and"
                    + " manifest into the inbox");
        }
    }

    /**
     * The file is a whole snapshot tar (its headers) and has the manifest's size. Its SHA-256 is not read here:
     * the upload hashes the bytes as it sends them and Qdrant, given the manifest's as {@code checksum}, refuses
     * a file that differs before it touches the collection (one read of the file, not two).
     */
    RestoreReport verify(RestoreReport r) {
        Path file = r.sourceFile();
        String problem = TarCheck.problem(file);
        if (problem != null) {
            throw new RestoreRefused("the file " + file.getFileName() + " " + problem);
        }
        r.check("tar", true, "a complete tar archive with config.json");
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        Manifest m = r.manifest();
        if (m != null && m.size() != size) {
            throw mismatch(file, "it has " + size + " bytes, the manifest says " + m.size());
        }
        r.verified(size, m == null ? null : m.sha256());
        r.step("verify");
        return r;
    }

    /** The file is not the one its manifest describes: refused, nothing changed. */
    static RestoreRefused mismatch(Path file, String how) {
        return new RestoreRefused("the file " + file.getFileName() + " does not match its manifest (" + how + "): it"
                + " is damaged or not the backup the manifest describes; nothing in Qdrant was changed; copy it again");
    }

    /** A link in the inbox is never followed: not a byte of what it points at is read. */
    static void refuseLink(Path file) {
        if (Files.isSymbolicLink(file)) {
            throw new RestoreRefused("the file " + file.getFileName() + " is a symbolic link: the inbox never follows"
                    + " links (it could point at any file of this machine); copy the real file into the inbox instead");
        }
    }

    /** Checked before parsing: a huge JSON file must not fill the heap. */
    static void refuseLarge(Path file, String what, long max) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (size > max) {
            throw new RestoreRefused("the " + what + " " + file.getFileName() + " has " + size + " bytes, more than"
                    + " the " + max + " bytes a " + what + " may have: it is not one; drop the right file");
        }
    }

    static String checkName(String what, String name) {
        String problem = "snapshot".equals(what) ? Names.fileProblem(name) : Names.collectionProblem(name);
        if (problem != null) {
            throw new RestoreRefused("the " + what + " name '" + name.replaceAll("\\p{Cntrl}", "?") + "' is refused: "
                    + problem + "; use a plain collection name");
        }
        return name;
    }

    /** The newest backup of the archive and the bucket together. */
    static Manifest newest(List<Manifest> local, List<Manifest> remote) {
        List<Manifest> all = new ArrayList<>(local);
        all.addAll(remote);
        // names end in Qdrant's time stamp: they settle a tie
        return all.stream()
                .max(Comparator.comparing(Manifest::createdAt).thenComparing(Manifest::snapshot))
                .orElse(null);
    }

    private static Manifest pick(List<Manifest> local, List<Manifest> remote, String snapshot) {
        return local.stream()
                .filter(m -> m.snapshot().equals(snapshot))
                .findFirst()
                .or(() -> remote.stream()
                        .filter(m -> m.snapshot().equals(snapshot))
                        .findFirst())
                .orElse(null);
    }

    private static RestoreRefused fullStorage(String name) {
        return new RestoreRefused(name + " is a full-storage snapshot: Qdrant restores those only at"
                + " start-up (qdrant --storage-snapshot " + name + "), not over the API");
    }
}
