package qdrantbackup.drill;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import qdrantbackup.transfer.SafeFiles;

/** The drills recorded in {@code <state.dir>/drills/}, oldest first; unreadable reports are skipped. */
public final class DrillHistory {
    private DrillHistory() {}

    /**
     * One recorded drill: which backup, whether it was proven, when; recall and duration are NaN when the report
     * has none (a drill that failed before its probes).
     */
    public record Entry(
            String collection,
            String snapshot,
            String backupCreated,
            boolean ok,
            String finished,
            double recall,
            double durationSeconds) {}

    /** A recorded drill and its report file. */
    public record Report(Path file, Entry entry) {}

    public static List<Entry> read(Path stateDir) {
        return reports(stateDir).stream().map(Report::entry).toList();
    }

    /** The readable reports with their files, oldest first. */
    public static List<Report> reports(Path stateDir) {
        Path dir = stateDir.resolve("drills");
        List<Report> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                try {
                    JsonNode n = SafeFiles.JSON.readTree(f.toFile());
                    out.add(new Report(
                            f,
                            new Entry(
                                    n.path("collection").asText(),
                                    n.path("snapshot").asText(null),
                                    n.path("backupCreated").asText(null),
                                    n.path("ok").asBoolean(),
                                    n.path("finished").asText(""),
                                    n.path("recall").asDouble(Double.NaN),
                                    n.path("durationSeconds").asDouble(Double.NaN))));
                } catch (IOException | RuntimeException e) {
                    // a report half-written by a crash never had its final name; anything else is not ours
                }
            }
        } catch (IOException e) {
            return out;
        }
        out.sort(Comparator.comparing(r -> finishedAt(r.entry())));
        return out;
    }

    // as instants: "…:09Z" sorts after "…:09.5Z" as text; EPOCH when unreadable
    static java.time.Instant finishedAt(Entry e) {
        try {
            return java.time.Instant.parse(e.finished());
        } catch (java.time.format.DateTimeParseException ex) {
            return java.time.Instant.EPOCH;
        }
    }
}
