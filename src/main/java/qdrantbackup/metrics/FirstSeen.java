package qdrantbackup.metrics;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qdrantbackup.transfer.SafeFiles;

/**
 * When this tool first saw a backup of each collection, kept in {@code state/first-backups.json}: the start of
 * the time a never-proven collection has gone without a drill. Kept in state, not read from the backups, since
 * retention deletes the oldest ones (with keep-last 3 the oldest is never older than 3 days).
 */
final class FirstSeen {
    private static final Logger LOG = LoggerFactory.getLogger(FirstSeen.class);
    static final String FILE = "first-backups.json";

    private final Path file;
    private final Map<String, String> seen = new TreeMap<>();
    private boolean warned;
    private boolean unsaved;

    FirstSeen(Path stateDir) {
        this.file = stateDir.resolve(FILE);
        if (Files.exists(file)) {
            try {
                seen.putAll(SafeFiles.JSON.readValue(file.toFile(), new TypeReference<Map<String, String>>() {}));
            } catch (IOException e) {
                LOG.warn("metrics: {} cannot be read ({}); collections count as first seen now", file, e.getMessage());
            }
        }
    }

    /**
     * When a backup of the collection was first seen; {@code now} the first time, on record from the next {@link
     * #save}.
     */
    synchronized Instant see(String collection, Instant now) {
        String at = seen.get(collection);
        if (at != null) {
            try {
                return Instant.parse(at);
            } catch (DateTimeParseException e) {
                // not ours: start the clock now
            }
        }
        seen.put(collection, now.toString());
        unsaved = true;
        return now;
    }

    /** Writes new sightings; called by the processes that write anyway (a backup run, a drill), never by list. */
    synchronized void save() {
        if (!unsaved) {
            return;
        }
        try {
            SafeFiles.createPrivateDirectories(file.getParent());
            SafeFiles.writeJson(file, seen);
            unsaved = false;
        } catch (RuntimeException e) {
            // the metric stays right until a restart; a write that failed once is not logged again
            if (!warned) {
                LOG.warn("metrics: could not write {}: {}", file, e.getMessage());
                warned = true;
            }
        }
    }
}
