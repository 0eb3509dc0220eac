package qdrantbackup.readback;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qdrantbackup.transfer.SafeFiles;

/**
 * When each bucket backup was last read back, and how it went: {@code state/read-back.json}, rewritten whole
 * after each backup read (a part file, flushed, renamed, folder flushed), so a crash loses at most the one being
 * read, which is read again.
 */
public final class ReadBackState {
    private static final Logger LOG = LoggerFactory.getLogger(ReadBackState.class);
    static final String FILE = "read-back.json";

    /** One backup's last read-back: when, whether every file matched its manifest, and what was found. */
    public record Last(String at, boolean ok, String detail) {
        Last(Instant when, boolean ok, String detail) {
            this(when.toString(), ok, detail);
        }

        public Instant when() {
            return Instant.parse(at);
        }
    }

    private final Path file;
    private final Map<String, Last> last = new TreeMap<>();

    public ReadBackState(Path stateDir) {
        this.file = stateDir == null ? null : stateDir.resolve(FILE);
        load();
    }

    static String key(String collection, String snapshot) {
        return collection + "/" + snapshot;
    }

    public synchronized Optional<Last> last(String collection, String snapshot) {
        return Optional.ofNullable(last.get(key(collection, snapshot)));
    }

    /** The collections with a read-back on record. */
    public synchronized java.util.Set<String> collections() {
        java.util.Set<String> out = new java.util.TreeSet<>();
        last.keySet().forEach(k -> out.add(k.substring(0, k.lastIndexOf('/'))));
        return out;
    }

    /** When a backup of the collection was last read back whole and matching, in epoch seconds; 0 if never. */
    public synchronized double lastOkSeconds(String collection) {
        return last.entrySet().stream()
                .filter(e ->
                        e.getKey().startsWith(collection + "/") && e.getValue().ok())
                .mapToDouble(e -> e.getValue().when().getEpochSecond())
                .max()
                .orElse(0);
    }

    /** How many of the collection's backups failed their last read-back (damaged or missing). */
    public synchronized long failed(String collection) {
        return last.entrySet().stream()
                .filter(e ->
                        e.getKey().startsWith(collection + "/") && !e.getValue().ok())
                .count();
    }

    synchronized void record(String collection, String snapshot, Last result) {
        last.put(key(collection, snapshot), result);
        if (file != null) {
            SafeFiles.createPrivateDirectories(file.getParent());
            SafeFiles.writeJson(file, last);
        }
    }

    private void load() {
        if (file == null || !Files.exists(file)) {
            return;
        }
        try {
            last.putAll(SafeFiles.JSON.readValue(file.toFile(), new TypeReference<Map<String, Last>>() {}));
        } catch (IOException e) {
            // only the schedule suffers: every backup counts as never read back, and is read again
            LOG.warn(
                    "read-back: {} cannot be read ({}); every backup counts as not read back yet",
                    file,
                    e.getMessage());
        }
    }
}
