package qdrantbackup.store.s3;

import com.fasterxml.jackson.core.JsonProcessingException;
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
import qdrantbackup.store.BackupStore;
import qdrantbackup.store.FollowingPut;
import qdrantbackup.store.Manifest;
import qdrantbackup.transfer.CrashPoint;
import qdrantbackup.transfer.SafeFiles;

/**
 * The S3 bucket as a {@link BackupStore}: {@code <prefix>/<collection>/<file>} beside
 * {@code <prefix>/<collection>/<snapshot>.json}. Data files go first, the manifest last, so a manifest in
 * the bucket means the files beside it are complete. Each object carries its SHA-256 as user metadata.
 */
public final class S3Store implements BackupStore, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(S3Store.class);

    private final ObjectStore objects;
    private java.time.Duration abandonedAfter = java.time.Duration.ofDays(1);
    private final OffsiteSettings settings;
    private final KeyLayout layout;
    private final ManifestReader manifests;

    /** The store over {@code objects} (already wrapped as wanted), laid out as {@code settings} say. */
    public S3Store(ObjectStore objects, OffsiteSettings settings) {
        this.objects = objects;
        this.settings = settings;
        this.layout = new KeyLayout(settings.prefix());
        this.manifests = new ManifestReader(objects);
    }

    /** The bucket of the settings, with its own client, retries and progress lines. */
    public static S3Store create(OffsiteSettings settings) {
        return create(settings, RetryingObjects.Policy.DEFAULT);
    }

    public static S3Store create(OffsiteSettings settings, RetryingObjects.Policy retries) {
        ObjectStore s3 = new ProgressObjects(S3Objects.create(settings), settings.bucket());
        return new S3Store(new RetryingObjects(s3, retries), settings);
    }

    public OffsiteSettings settings() {
        return settings;
    }

    /** The object operations underneath, by key (see {@link #layout()}). */
    public ObjectStore objects() {
        return objects;
    }

    public KeyLayout layout() {
        return layout;
    }

    @Override
    public String describe() {
        String prefix = layout.prefix();
        return "s3://" + settings.bucket() + (prefix.isEmpty() ? "" : "/" + prefix);
    }

    /** The objects laid out as {@code <collection>/<file>} of one collection, or of all for null. */
    public List<RemoteObject> objects(String collectionOrNull) {
        return objects.list(layout.listPrefix(collectionOrNull)).stream()
                .flatMap(o -> layout.parse(o).stream())
                .toList();
    }

    /** The names of the objects of a collection, for messages. */
    public Set<String> names(String collection) {
        return objects(collection).stream().map(RemoteObject::fileName).collect(Collectors.toSet());
    }

    @Override
    public List<String> collections() {
        return objects(null).stream()
                .map(RemoteObject::collection)
                .distinct()
                .sorted()
                .toList();
    }

    /** The complete backups: a manifest with every data file it names beside it at the recorded size. */
    @Override
    public List<Manifest> list(String collection) {
        return complete(objects(collection));
    }

    /** Every complete backup in the bucket, newest first per collection. */
    public List<Manifest> listAll() {
        return complete(objects(null));
    }

    /**
     * Every manifest in the bucket, of one collection or (null) of all, also those whose data files are missing
     * or cut short: the read-back must see the backups that listing hides, to report them.
     */
    public List<Manifest> allManifests(String collectionOrNull) {
        List<RemoteObject> candidates = objects(collectionOrNull).stream()
                .filter(o -> o.fileName().endsWith(Manifest.SUFFIX))
                .toList();
        return manifests.read(candidates);
    }

    private List<Manifest> complete(List<RemoteObject> found) {
        Map<String, RemoteObject> byKey = new HashMap<>();
        found.forEach(o -> byKey.put(o.key(), o));
        List<RemoteObject> candidates = found.stream()
                .filter(o -> o.fileName().endsWith(Manifest.SUFFIX))
                .toList();
        List<Manifest> out = new ArrayList<>();
        for (Manifest m : manifests.read(candidates)) {
            boolean whole = m.dataFiles().stream().allMatch(f -> {
                RemoteObject data = byKey.get(keyOrNull(m.collection(), f.name()));
                return data != null && data.size() == f.size();
            });
            if (whole && byKey.containsKey(keyOrNull(m.collection(), m.fileName()))) {
                out.add(m);
            }
        }
        out.sort(Comparator.comparing(Manifest::collection)
                .thenComparing(Comparator.comparing(Manifest::createdAt).reversed()));
        return out;
    }

    /** The key, or null for names that cannot be one (a manifest naming them is not a backup of ours). */
    private String keyOrNull(String collection, String fileName) {
        try {
            return layout.key(collection, fileName);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public boolean has(Manifest backup) {
        for (Manifest.DataFile f : backup.dataFiles()) {
            if (!holds(backup.collection(), f)) {
                return false;
            }
        }
        return objects.stat(layout.key(backup.collection(), backup.fileName())).isPresent();
    }

    /** Whether the file is in the bucket with its size and SHA-256 (as metadata). */
    private boolean holds(String collection, Manifest.DataFile f) {
        Optional<ObjectInfo> o = objects.stat(layout.key(collection, f.name()));
        return o.isPresent()
                && o.get().size() == f.size()
                && f.sha256().equalsIgnoreCase(o.get().sha256());
    }

    /** Uploads each data file the bucket lacks (a file put while it downloaded is there already), then the manifest. */
    @Override
    public void put(Manifest backup, Path folder) {
        for (Manifest.DataFile f : backup.dataFiles()) {
            if (!holds(backup.collection(), f)) {
                objects.put(layout.key(backup.collection(), f.name()), folder.resolve(f.name()), f.sha256(), null);
            }
        }
        CrashPoint.reached("offsite.before-manifest");
        try {
            objects.put(layout.key(backup.collection(), backup.fileName()), SafeFiles.JSON.writeValueAsBytes(backup));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the manifest of " + backup.snapshot() + ": " + e, e);
        }
    }

    /** Parts go up while the download arrives; only for files of at least one part with a known checksum. */
    @Override
    public FollowingPut follow(String collection, Manifest.DataFile file, Path partFile) {
        if (file.sha256() == null || file.sha256().isBlank() || file.size() < objects.partSize()) {
            return null;
        }
        try {
            return objects.follow(layout.key(collection, file.name()), partFile, file.size(), file.sha256());
        } catch (RuntimeException e) {
            LOG.warn(
                    "{}: cannot upload {} during its download ({}); it is uploaded once archived",
                    collection,
                    file.name(),
                    e.getMessage());
            return null;
        }
    }

    /** Downloads every data file (verified against the manifest), then writes the manifest; all or nothing. */
    @Override
    public void fetch(Manifest backup, Path folder) {
        SafeFiles.createPrivateDirectories(folder);
        List<Path> fetched = new ArrayList<>();
        try {
            for (Manifest.DataFile f : backup.dataFiles()) {
                Path file = folder.resolve(f.name());
                objects.get(layout.key(backup.collection(), f.name()), file, f.size(), f.sha256(), null);
                fetched.add(file);
            }
            SafeFiles.writeJson(folder.resolve(backup.fileName()), backup);
        } catch (RuntimeException e) {
            fetched.forEach(SafeFiles::deleteQuietly);
            throw e;
        }
    }

    /** Data files first, then the manifests (see below); an interrupted delete is finished by {@link #cleanUp}. */
    @Override
    public void delete(List<Manifest> backups) {
        // data first, manifests last: a failure between leaves small manifests the listing ignores (their data is
        // gone), never data objects that no manifest lists and no run would ever expire
        objects.delete(backups.stream()
                .flatMap(b -> b.dataFiles().stream().map(f -> layout.key(b.collection(), f.name())))
                .toList());
        CrashPoint.reached("offsite.between-deletes");
        objects.delete(backups.stream()
                .map(b -> layout.key(b.collection(), b.fileName()))
                .toList());
    }

    @Override
    public void checkWritable() {
        objects.checkWritable();
    }

    /** Open multipart uploads are recorded in {@code stateDir}; unexplained ones are aborted after {@code age}. */
    public S3Store recordUploadsIn(Path stateDir, java.time.Duration age) {
        objects.recordUploadsIn(stateDir);
        this.abandonedAfter = age;
        return this;
    }

    /**
     * Aborts the multipart uploads a crash left open (billed until then) and deletes the manifests whose data
     * files are all gone (an expiry cut off between its two deletes); a failure is a warning.
     */
    @Override
    public void cleanUp() {
        try {
            List<String> finished = finishInterruptedDeletes();
            if (!finished.isEmpty()) {
                LOG.warn(
                        "{}: finished the interrupted delete of {} backup(s) whose data was gone already: {}",
                        describe(),
                        finished.size(),
                        finished);
            }
        } catch (RuntimeException e) {
            LOG.warn("{}: could not look for manifests an interrupted delete left: {}", describe(), e.getMessage());
        }
        try {
            int aborted = objects.abortAbandoned(abandonedAfter);
            if (aborted > 0) {
                LOG.warn("{}: aborted {} multipart upload(s) a crash had left open", describe(), aborted);
            }
        } catch (RuntimeException e) {
            LOG.warn("{}: could not look for multipart uploads a crash left open: {}", describe(), e.getMessage());
        }
    }

    /** Deletes the manifests none of whose data files is in the bucket; returns their keys. */
    private List<String> finishInterruptedDeletes() {
        List<RemoteObject> found = objects(null);
        Set<String> keys = found.stream().map(RemoteObject::key).collect(Collectors.toSet());
        List<String> orphans = new ArrayList<>();
        for (Manifest m : manifests.read(found.stream()
                .filter(o -> o.fileName().endsWith(Manifest.SUFFIX))
                .toList())) {
            String own = keyOrNull(m.collection(), m.fileName());
            boolean noData = m.dataFiles().stream().noneMatch(f -> keys.contains(keyOrNull(m.collection(), f.name())));
            if (own != null && keys.contains(own) && noData) {
                orphans.add(own);
            }
        }
        objects.delete(orphans);
        return orphans;
    }

    @Override
    public void close() {
        manifests.close();
        objects.close();
    }
}
