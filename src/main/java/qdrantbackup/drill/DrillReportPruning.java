package qdrantbackup.drill;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes drill reports older than {@code drill.keep-reports} from {@code state/drills/}, after each drill. Each
 * collection's newest report and its newest passed one stay whatever their age: the VERIFIED column and the
 * last-verified metric are read from them. A report whose time cannot be read is left alone.
 */
public final class DrillReportPruning {
    private static final Logger LOG = LoggerFactory.getLogger(DrillReportPruning.class);

    /** Deletes one file; a seam for the test of a failing delete. */
    interface Deleter {
        void delete(Path file) throws IOException;
    }

    private DrillReportPruning() {}

    /** The listener run after each drill: prunes, and logs a failure once instead of failing the drill. */
    public static Consumer<DrillReport> afterEachDrill(Path stateDir, Duration keep, Clock clock) {
        return afterEachDrill(stateDir, keep, clock, Files::deleteIfExists);
    }

    static Consumer<DrillReport> afterEachDrill(Path stateDir, Duration keep, Clock clock, Deleter deleter) {
        return r -> {
            try {
                prune(stateDir, keep, clock.instant(), deleter);
            } catch (IOException | RuntimeException e) {
                LOG.warn(
                        "drill: could not remove old reports from {} ({}); they are tried again after the next drill",
                        stateDir.resolve("drills"),
                        e.toString());
            }
        };
    }

    /** Deletes the reports finished before {@code now - keep} but the ones kept; how many it deleted. */
    static int prune(Path stateDir, Duration keep, Instant now, Deleter deleter) throws IOException {
        List<DrillHistory.Report> reports = DrillHistory.reports(stateDir); // oldest first
        Map<String, Path> newest = new HashMap<>();
        Map<String, Path> newestPassed = new HashMap<>();
        for (DrillHistory.Report r : reports) {
            newest.put(r.entry().collection(), r.file());
            if (r.entry().ok()) {
                newestPassed.put(r.entry().collection(), r.file());
            }
        }
        Set<Path> kept = new HashSet<>(newest.values());
        kept.addAll(newestPassed.values());
        Instant before = now.minus(keep);
        int deleted = 0;
        for (DrillHistory.Report r : reports) {
            Instant finished = DrillHistory.finishedAt(r.entry());
            if (!kept.contains(r.file()) && finished.isAfter(Instant.EPOCH) && finished.isBefore(before)) {
                deleter.delete(r.file());
                deleted++;
            }
        }
        if (deleted > 0) {
            LOG.info("drill: removed {} report(s) older than {} from {}", deleted, keep, stateDir.resolve("drills"));
        }
        return deleted;
    }
}
