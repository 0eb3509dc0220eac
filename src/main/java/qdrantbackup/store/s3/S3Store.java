package qdrantbackup.store.s3;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qdrantbackup.offsite.RemoteObject;
import qdrantbackup.offsite.S3Target;
import qdrantbackup.store.BackupStore;
import qdrantbackup.store.FollowingPut;
import qdrantbackup.store.Manifest;
import qdrantbackup.transfer.SafeFiles;
import qdrantbackup.transfer.TransferLog;

/**
 * The S3 bucket as a {@link BackupStore}: {@code <prefix>/<collection>/<file>} beside
 * {@code <prefix>/<collection>/<snapshot>.json}. Data files go first, the manifest last, so a manifest in
 * the bucket means the files beside it are complete. Each object carries its SHA-256 as user metadata.
 */
public final class S3Store implements BackupStore {
    private static final Logger LOG = LoggerFactory.getLogger(S3Store.class);
    /** Larger objects named *.json are not read as manifests. */
    static final long MAX_MANIFEST_BYTES = 4L << 20;

    private final S3Target target;

    public S3Store(S3Target target) {
        this.target = target;
    }

    @Override
    public String describe() {
        String prefix = target.settings().prefix();
        return "s3://" + target.settings().bucket() + (prefix.isEmpty() ? "" : "/" + prefix);
    }

    @Override
    public List<String> collections() {
        return target.list(null).stream()
                .map(RemoteObject::collection)
                .distinct()
                .sorted()
                .toList();
    }

    /**
     * The complete backups: a manifest object with every data file it names beside it at the recorded size.
     * Each manifest is read (one GET per backup); a manifest that cannot be read is skipped with a warning.
     */
    @Override
    public List<Manifest> list(String collection) {
        return complete(collection, target.list(collection));
    }

    /** Every complete backup in the bucket, newest first per collection. */
    public List<Manifest> listAll() {
        return complete(null, target.list(null));
    }

    private List<Manifest> complete(String collection, List<RemoteObject> objects) {
        Map<String, RemoteObject> byKey = new HashMap<>();
        objects.forEach(o -> byKey.put(o.key(), o));
        List<Manifest> out = new ArrayList<>();
        for (RemoteObject o : objects) {
            if (!o.fileName().endsWith(Manifest.SUFFIX) || o.size() > MAX_MANIFEST_BYTES) {
                continue; // not a manifest of ours: a manifest is a few KB
            }
            readManifest(o)
                    .filter(m -> m.collection().equals(o.collection())
                            && m.fileName().equals(o.fileName())
                            && m.dataFiles().stream().allMatch(f -> {
                                RemoteObject data = byKey.get(target.key(o.collection(), f.name()));
                                return data != null && data.size() == f.size();
                            }))
                    .ifPresent(out::add);
        }
        out.sort(Comparator.comparing(Manifest::collection)
                .thenComparing(Comparator.comparing(Manifest::createdAt).reversed()));
        return collection == null
                ? out
                : out.stream().filter(m -> m.collection().equals(collection)).toList();
    }

    private Optional<Manifest> readManifest(RemoteObject o) {
        try {
            Path temp = Files.createTempFile("qdrant-backup-manifest", Manifest.SUFFIX);
            try {
                Files.delete(temp);
                target.download(o.collection(), o.fileName(), temp, null);
                Manifest m = SafeFiles.JSON.readValue(temp.toFile(), Manifest.class);
                return m.isComplete() ? Optional.of(m) : Optional.empty();
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (Exception e) {
            LOG.warn(
                    "{}: manifest {} cannot be read, it is not counted as a backup: {}",
                    describe(),
                    o.key(),
                    e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public boolean has(Manifest backup) {
        for (Manifest.DataFile f : backup.dataFiles()) {
            Optional<RemoteObject> o = target.stat(backup.collection(), f.name());
            if (o.isEmpty()
                    || o.get().size() != f.size()
                    || !f.sha256().equalsIgnoreCase(o.get().sha256())) {
                return false;
            }
        }
        return target.stat(backup.collection(), backup.fileName()).isPresent();
    }

    /** Uploads each data file the bucket lacks (a file put while it downloaded is there already), then the manifest. */
    @Override
    public void put(Manifest backup, Path folder) {
        for (Manifest.DataFile f : backup.dataFiles()) {
            Optional<RemoteObject> there = target.stat(backup.collection(), f.name());
            if (there.isPresent()
                    && there.get().size() == f.size()
                    && f.sha256().equalsIgnoreCase(there.get().sha256())) {
                continue;
            }
            TransferLog log = new TransferLog("upload " + f.name() + " to " + describe());
            target.upload(folder.resolve(f.name()), backup.collection(), f.name(), f.sha256(), log::bytes);
            log.done(f.size());
        }
        Path manifest = folder.resolve(backup.fileName());
        if (!Files.isRegularFile(manifest)) {
            throw new IllegalStateException(
                    "cannot upload " + backup.snapshot() + ": its manifest " + manifest + " is missing");
        }
        target.upload(manifest, backup.collection(), backup.fileName(), null, null);
    }

    /** Parts go up while the download arrives; only for files of at least one part with a known checksum. */
    @Override
    public FollowingPut follow(String collection, Manifest.DataFile file, Path partFile) {
        if (file.sha256() == null
                || file.sha256().isBlank()
                || file.size() < target.settings().partSizeBytes()) {
            return null;
        }
        S3Target.StreamingUpload upload;
        try {
            upload = target.startStreaming(partFile, collection, file.name(), file.size(), file.sha256());
        } catch (RuntimeException e) {
            LOG.warn(
                    "{}: cannot upload {} during its download ({}); it is uploaded once archived",
                    collection,
                    file.name(),
                    e.getMessage());
            return null;
        }
        TransferLog log = new TransferLog("upload " + file.name() + " to " + describe() + " (during the download)");
        return new FollowingPut() {
            @Override
            public void written(long bytes) {
                upload.written(bytes);
            }

            @Override
            public void complete(String sha256) {
                upload.complete(sha256);
                log.done(file.size());
            }

            @Override
            public void abort() {
                try {
                    upload.abort();
                } catch (RuntimeException e) {
                    LOG.warn("aborting the upload of {} failed: {}", file.name(), e.getMessage());
                }
            }
        };
    }

    /** Downloads every data file (verified against the manifest), then the manifest. */
    @Override
    public void fetch(Manifest backup, Path folder) {
        SafeFiles.createPrivateDirectories(folder);
        for (Manifest.DataFile f : backup.dataFiles()) {
            TransferLog log = new TransferLog("download " + f.name() + " from " + describe());
            Path file = folder.resolve(f.name());
            target.download(backup.collection(), f.name(), file, log::bytes);
            verify(file, f);
        }
        SafeFiles.writeJson(folder.resolve(backup.fileName()), backup);
    }

    /** Manifests first (a half-deleted backup is then no longer listed), then the data files. */
    @Override
    public void delete(List<Manifest> backups) {
        target.delete(backups.stream()
                .map(b -> target.key(b.collection(), b.fileName()))
                .toList());
        target.delete(backups.stream()
                .flatMap(b -> b.dataFiles().stream().map(f -> target.key(b.collection(), f.name())))
                .toList());
    }

    private static void verify(Path file, Manifest.DataFile f) {
        try {
            String sha = qdrantbackup.transfer.HashingCopy.sha256(file);
            if (Files.size(file) != f.size() || !sha.equalsIgnoreCase(f.sha256())) {
                Files.deleteIfExists(file);
                throw new IllegalStateException("the bucket's copy of " + f.name() + " does not match its manifest"
                        + " (SHA-256 " + sha + ", the manifest says " + f.sha256() + "): it is damaged");
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void checkWritable() {
        target.checkWritable();
    }

    /** The names of the objects of a collection, for messages. */
    public Set<String> names(String collection) {
        return target.list(collection).stream().map(RemoteObject::fileName).collect(Collectors.toSet());
    }

    public S3Target target() {
        return target;
    }
}
