package qdrantbackup.drill;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import qdrantbackup.transfer.SafeFiles;

/**
 * {@code <state.dir>/drill-running.json}: the scratch collection of the drill in progress, written (durably)
 * before anything is sent to Qdrant and removed once the scratch collection is deleted. A kill leaves it, and
 * the next start deletes the scratch collection it names.
 */
final class DrillJournal {
    static final String FILE = "drill-running.json";

    private final Path file;

    DrillJournal(Path stateDir) {
        this.file = stateDir == null ? null : stateDir.resolve(FILE);
    }

    void started(String collection, String scratch) {
        if (file != null) {
            SafeFiles.createPrivateDirectories(file.getParent());
            SafeFiles.writeJson(
                    file,
                    Map.of(
                            "collection",
                            collection,
                            "scratch",
                            scratch,
                            "pid",
                            ProcessHandle.current().pid()));
        }
    }

    /** The scratch collection a killed drill left, or null. */
    String leftover() {
        if (file == null || !Files.exists(file)) {
            return null;
        }
        try {
            JsonNode n = SafeFiles.JSON.readTree(file.toFile());
            return n.path("scratch").asText(null);
        } catch (IOException e) {
            return null;
        }
    }

    void clear() {
        if (file != null) {
            SafeFiles.deleteQuietly(file);
        }
    }
}
