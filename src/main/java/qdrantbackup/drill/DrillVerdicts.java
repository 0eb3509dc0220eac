package qdrantbackup.drill;

import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;

/** For the catalogue: per backup, its last drill as {@code 2026-12-02T05:00:12Z ok} or {@code … FAILED}. */
public final class DrillVerdicts {
    private DrillVerdicts() {}

    /** The key of a backup in {@link #read}'s map. */
    public static String key(String collection, String snapshot) {
        return collection + "/" + snapshot;
    }

    /** {@code collection/snapshot} to the last drill's time and result; drilled backups only. */
    public static Map<String, String> read(Path stateDir) {
        Map<String, String> out = new HashMap<>();
        for (DrillHistory.Entry e : DrillHistory.read(stateDir)) { // oldest first: the last one wins
            if (e.snapshot() != null) {
                out.put(key(e.collection(), e.snapshot()), seconds(e.finished()) + (e.ok() ? " ok" : " FAILED"));
            }
        }
        return out;
    }

    private static String seconds(String finished) {
        try {
            return Instant.parse(finished).truncatedTo(ChronoUnit.SECONDS).toString();
        } catch (DateTimeParseException e) {
            return finished;
        }
    }
}
