package qdrantbackup.restore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qdrantbackup.backup.BackupRun;
import qdrantbackup.transfer.SafeFiles;

/**
 * The inbox's outcome folders: a handled drop moves to {@code done/} or {@code failed/} with
 * {@code <file>.report.json} beside it. A name already taken there gets {@code .2}, {@code .3}, …
 * appended, so dropping the same file twice keeps both outcomes.
 */
public final class Inbox {
    private static final Logger LOG = LoggerFactory.getLogger(Inbox.class);
    public static final String DONE = "done";
    public static final String FAILED = "failed";
    public static final String REPORT = ".report.json";

    private final Path dir;

    public Inbox(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    public Path dir() {
        return dir;
    }

    /** Moves the restore's input files and writes its report; returns the report's path. */
    public Path file(RestoreReport report) {
        Path folder = dir.resolve(report.isOk() ? DONE : FAILED);
        Path moved = null;
        for (Path input : report.inputs()) {
            Path to = move(input, folder);
            if (moved == null) {
                moved = to;
            }
        }
        if (moved == null) {
            moved = folder.resolve(report.getFile());
        }
        return write(moved.resolveSibling(moved.getFileName() + REPORT), report);
    }

    /** The collection a {@code backup-now[.collection]} trigger names (null: all). */
    public String triggerCollection(String fileName) {
        return Drop.triggerCollection(fileName);
    }

    /**
     * Takes the backup run's summary (null when a run was still going) as the trigger's body, and
     * nothing else: the backup route's stop must not stop the trigger's route before it is filed.
     */
    public static final class RunResult implements AggregationStrategy {
        @Override
        public Exchange aggregate(Exchange trigger, Exchange backup) {
            Object run = backup == null ? null : backup.getMessage().getBody();
            trigger.getMessage().setBody(run instanceof BackupRun ? run : null);
            return trigger;
        }
    }

    /** Moves a backup-now trigger to done/ with a small report of the run it started (or why not). */
    public Path triggered(String path, Object body) {
        BackupRun run = body instanceof BackupRun r ? r : null;
        Path trigger = Path.of(path);
        ObjectNode report = SafeFiles.JSON.createObjectNode();
        report.put("file", trigger.getFileName().toString());
        String collection = triggerCollection(trigger.getFileName().toString());
        report.put("collection", collection == null ? "all" : collection);
        report.put("at", Instant.now().toString());
        if (run == null) {
            report.put(
                    "result", "skipped: a backup run was still going (runs never overlap); drop the file again later");
        } else {
            report.put("result", run.isOk() ? "backup succeeded" : "backup failed");
            report.set("run", SafeFiles.JSON.valueToTree(run));
        }
        Path moved = move(trigger, dir.resolve(DONE));
        LOG.info(
                "inbox trigger {}: {}",
                trigger.getFileName(),
                report.path("result").asText());
        return write(moved.resolveSibling(moved.getFileName() + REPORT), report);
    }

    /** Written aside, then renamed: a report is never seen half-written. */
    private Path write(Path file, Object report) {
        SafeFiles.writeJson(file, report);
        return file;
    }

    /** Moves {@code file} into {@code folder}, under a free name. */
    static Path move(Path file, Path folder) {
        SafeFiles.createPrivateDirectories(folder);
        String name = file.getFileName().toString();
        Path to = folder.resolve(name);
        for (int n = 2; Files.exists(to) || Files.exists(to.resolveSibling(to.getFileName() + REPORT)); n++) {
            to = folder.resolve(name + "." + n);
        }
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            SafeFiles.moveAtomically(file, to);
        }
        return to;
    }
}
