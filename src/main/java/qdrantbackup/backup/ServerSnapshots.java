package qdrantbackup.backup;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qdrantbackup.qdrant.NoAnswerException;
import qdrantbackup.qdrant.QdrantClient;
import qdrantbackup.qdrant.QdrantException;
import qdrantbackup.qdrant.SnapshotInfo;
import qdrantbackup.transfer.SafeFiles;

/**
 * {@code <state.dir>/server-snapshots.json}: the snapshots this tool made on Qdrant's disk (backups, safety
 * copies, restore uploads) and has not deleted yet. A process killed before its DELETE leaves its entries;
 * the next process's first snapshot deletes them. Only snapshots recorded here are ever deleted: a snapshot
 * someone else made is never touched.
 */
public final class ServerSnapshots {
    private static final Logger LOG = LoggerFactory.getLogger(ServerSnapshots.class);
    static final String FILE = "server-snapshots.json";

    /**
     * One snapshot: {@code name} is null while its create is unanswered; {@code before} is what the
     * collection had then (collection null: a full-storage snapshot). A backup's download adds where its
     * bytes go ({@code download}), so that a crash mid-download can be resumed by the next run.
     */
    public record Entry(
            String collection, String name, String requested, List<String> before, long pid, Download download) {
        Entry(String collection, String name, String requested, List<String> before, long pid) {
            this(collection, name, requested, before, pid, null);
        }

        Entry owned(long by) {
            return new Entry(collection, name, requested, before, by, download);
        }
    }

    /** A backup's download of the snapshot: its part file and the facts its manifest needs. */
    public record Download(String part, SnapshotInfo snapshot, Long pointsBefore, String completed) {}

    private final QdrantClient qdrant;
    private final Path file;
    private final long pid = ProcessHandle.current().pid();
    private final Duration resumeMaxAge;
    private final Map<String, Entry> kept = new HashMap<>();
    private boolean cleaned;

    public ServerSnapshots(QdrantClient qdrant, Path stateDir) {
        this(qdrant, stateDir, FILE, Duration.ZERO);
    }

    /** Keeping an interrupted backup download for the next run when its snapshot is younger than resumeMaxAge. */
    public ServerSnapshots(QdrantClient qdrant, Path stateDir, Duration resumeMaxAge) {
        this(qdrant, stateDir, FILE, resumeMaxAge);
    }

    /** A record of its own, e.g. one per node and shard of a cluster, whose client addresses that shard. */
    public ServerSnapshots(QdrantClient qdrant, Path stateDir, String fileName) {
        this(qdrant, stateDir, fileName, Duration.ZERO);
    }

    private ServerSnapshots(QdrantClient qdrant, Path stateDir, String fileName, Duration resumeMaxAge) {
        this.qdrant = qdrant;
        this.file = stateDir == null ? null : stateDir.resolve(fileName);
        this.resumeMaxAge = resumeMaxAge;
    }

    /**
     * Creates a snapshot, recorded before the POST. A POST that gets no answer is not sent again: the
     * listing says what it made (the one snapshot that was not there before), else the error stands and
     * the entry stays for the next run to clean.
     */
    public SnapshotInfo create(String collection) {
        cleanLeftovers();
        List<String> before = names(collection);
        Entry pending = new Entry(collection, null, Instant.now().toString(), before, pid);
        change(list -> list.add(pending));
        try {
            SnapshotInfo made = collection == null ? qdrant.createFullSnapshot() : qdrant.createSnapshot(collection);
            replace(pending, made.name());
            return made;
        } catch (NoAnswerException e) {
            List<SnapshotInfo> found = newOnes(collection, before);
            if (found.size() == 1) {
                LOG.warn(
                        "{}: Qdrant did not answer the snapshot request ({}); the listing shows the snapshot it made: {}",
                        label(collection),
                        e.getMessage(),
                        found.get(0).name());
                replace(pending, found.get(0).name());
                return found.get(0);
            }
            throw e;
        } catch (RuntimeException e) {
            if (!(e instanceof QdrantException q && q.status() == 0)) {
                change(list -> list.remove(pending)); // an error answer: nothing was made
            }
            throw e;
        }
    }

    /** A snapshot is about to be put on the server (a restore's upload). */
    public void made(String collection, String name) {
        change(list -> list.add(new Entry(collection, name, Instant.now().toString(), List.of(), pid)));
    }

    /** A snapshot was deleted from the server (or was gone already). */
    public void gone(String collection, String name) {
        change(list -> list.removeIf(e -> Objects.equals(e.collection(), collection) && name.equals(e.name())));
    }

    /** Deletes what earlier processes recorded and did not delete; once per process, a failure only warns. */
    public synchronized void cleanLeftovers() {
        if (cleaned || file == null) {
            return;
        }
        cleaned = true;
        for (Entry e : read()) {
            if (e.pid() == pid) {
                continue;
            }
            if (resumable(e)) {
                change(list -> list.set(list.indexOf(e), e.owned(pid)));
                kept.put(e.collection(), e.owned(pid));
                LOG.warn(
                        "{}: kept snapshot {} on the server: an interrupted run downloaded {} of its {} bytes;"
                                + " this run's backup of it resumes there",
                        label(e.collection()),
                        e.name(),
                        partSize(e),
                        e.download().snapshot().size());
                continue;
            }
            try {
                List<String> victims = e.name() != null
                        ? List.of(e.name())
                        : newOnes(e.collection(), e.before()).stream()
                                .map(SnapshotInfo::name)
                                .toList();
                if (e.name() == null && victims.size() != 1) {
                    LOG.warn(
                            "{}: a snapshot request of an earlier run got no answer; {} not deleted: cannot tell"
                                    + " which one it made",
                            label(e.collection()),
                            victims.isEmpty() ? "none is new, so none is" : victims + " are");
                    victims = List.of();
                }
                for (String name : victims) {
                    deleteQuietly(e.collection(), name);
                    LOG.warn(
                            "{}: deleted snapshot {} from the server, left there by an interrupted run",
                            label(e.collection()),
                            name);
                }
                change(list -> list.remove(e));
                deletePart(e);
            } catch (RuntimeException failed) {
                LOG.warn(
                        "{}: could not clean a snapshot an earlier run left on the server (tried again next run): {}",
                        label(e.collection()),
                        failed.getMessage());
                cleaned = false;
            }
        }
    }

    /** A backup starts downloading {@code taken} into {@code part}: recorded before the first byte. */
    public void downloading(String collection, CollectionSnapshot.Taken taken, Path part) {
        Download d = new Download(
                part.toAbsolutePath().toString(),
                taken.info(),
                taken.pointsBefore(),
                taken.completed().toString());
        change(list -> list.replaceAll(
                e -> Objects.equals(e.collection(), collection) && taken.name().equals(e.name())
                        ? new Entry(e.collection(), e.name(), e.requested(), e.before(), pid, d)
                        : e));
    }

    /**
     * The snapshot an interrupted run was downloading for this collection, kept at the clean-up, when the
     * server still has it unchanged; else empty (and what was kept is deleted).
     */
    public Optional<CollectionSnapshot.Taken> resume(String collection) {
        cleanLeftovers();
        Entry e;
        synchronized (this) {
            e = kept.remove(collection);
        }
        if (e == null) {
            return Optional.empty();
        }
        SnapshotInfo was = e.download().snapshot();
        boolean there = qdrant.listSnapshots(collection).stream()
                .anyMatch(s -> s.name().equals(was.name()) && s.size() == was.size());
        if (!there) {
            LOG.warn("{}: snapshot {} is gone from the server; the backup starts over", label(collection), was.name());
            change(list -> list.remove(e));
            deletePart(e);
            return Optional.empty();
        }
        return Optional.of(new CollectionSnapshot.Taken(
                was, e.download().pointsBefore(), Instant.parse(e.download().completed()), true));
    }

    /** Deletes what was kept for a resume that this run did not make (its collection was not backed up). */
    public void releaseKept() {
        List<Entry> left;
        synchronized (this) {
            left = new ArrayList<>(kept.values());
            kept.clear();
        }
        for (Entry e : left) {
            try {
                deleteQuietly(e.collection(), e.name());
                change(list -> list.remove(e));
                deletePart(e);
            } catch (RuntimeException failed) {
                LOG.warn(
                        "{}: could not delete snapshot {} kept for a resume (tried again next run): {}",
                        label(e.collection()),
                        e.name(),
                        failed.getMessage());
            }
        }
    }

    /** The part files of recorded downloads young enough to resume: kept by the start-up clean-up of partial files. */
    public static Set<Path> resumableParts(Path stateDir, Duration resumeMaxAge) {
        ServerSnapshots record = new ServerSnapshots(null, stateDir, resumeMaxAge);
        return record.read().stream()
                .filter(record::resumable)
                .map(e -> Path.of(e.download().part()))
                .collect(Collectors.toSet());
    }

    private boolean resumable(Entry e) {
        if (e.download() == null || e.name() == null || e.collection() == null || resumeMaxAge.isZero()) {
            return false;
        }
        long have = partSize(e);
        Instant made = Instant.parse(e.download().completed());
        return have > 0
                && have < e.download().snapshot().size()
                && Duration.between(made, Instant.now()).compareTo(resumeMaxAge) <= 0;
    }

    private static long partSize(Entry e) {
        try {
            Path part = Path.of(e.download().part());
            return Files.isRegularFile(part) ? Files.size(part) : 0;
        } catch (IOException | RuntimeException failed) {
            return 0;
        }
    }

    private static void deletePart(Entry e) {
        if (e.download() != null) {
            SafeFiles.deleteQuietly(Path.of(e.download().part()));
        }
    }

    private void deleteQuietly(String collection, String name) {
        try {
            qdrant.deleteSnapshot(collection, name);
        } catch (QdrantException e) {
            if (e.status() != 404) {
                throw e;
            }
        }
    }

    private List<String> names(String collection) {
        return qdrant.listSnapshots(collection).stream().map(SnapshotInfo::name).toList();
    }

    private List<SnapshotInfo> newOnes(String collection, List<String> before) {
        Set<String> had = Set.copyOf(before);
        return qdrant.listSnapshots(collection).stream()
                .filter(s -> !had.contains(s.name()))
                .collect(Collectors.toList());
    }

    private void replace(Entry pending, String name) {
        change(list -> {
            list.remove(pending);
            list.add(new Entry(pending.collection(), name, pending.requested(), List.of(), pid));
        });
    }

    private static String label(String collection) {
        return collection == null ? BackupJob.FULL_STORAGE : collection;
    }

    private synchronized void change(java.util.function.Consumer<List<Entry>> edit) {
        if (file == null) {
            return;
        }
        List<Entry> list = read();
        edit.accept(list);
        try {
            SafeFiles.createPrivateDirectories(file.getParent());
            SafeFiles.writeJson(file, list);
        } catch (RuntimeException e) {
            LOG.warn("could not write {}: {}", file, e.getMessage());
        }
    }

    private synchronized List<Entry> read() {
        if (file == null || !Files.exists(file)) {
            return new ArrayList<>();
        }
        try {
            return new ArrayList<>(SafeFiles.JSON.readValue(file.toFile(), new TypeReference<List<Entry>>() {}));
        } catch (IOException e) {
            LOG.warn("{} is unreadable ({}); the snapshots it recorded must be deleted by hand", file, e.getMessage());
            return new ArrayList<>();
        }
    }
}
