package qdrantbackup.backup;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
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
     * collection had then (collection null: a full-storage snapshot).
     */
    public record Entry(String collection, String name, String requested, List<String> before, long pid) {}

    private final QdrantClient qdrant;
    private final Path file;
    private final long pid = ProcessHandle.current().pid();
    private boolean cleaned;

    public ServerSnapshots(QdrantClient qdrant, Path stateDir) {
        this(qdrant, stateDir, FILE);
    }

    /** A record of its own, e.g. one per node and shard of a cluster, whose client addresses that shard. */
    public ServerSnapshots(QdrantClient qdrant, Path stateDir, String fileName) {
        this.qdrant = qdrant;
        this.file = stateDir == null ? null : stateDir.resolve(fileName);
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
            } catch (RuntimeException failed) {
                LOG.warn(
                        "{}: could not clean a snapshot an earlier run left on the server (tried again next run): {}",
                        label(e.collection()),
                        failed.getMessage());
                cleaned = false;
            }
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
