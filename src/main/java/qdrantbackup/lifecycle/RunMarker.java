package qdrantbackup.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qdrantbackup.backup.BackupJob;
import qdrantbackup.backup.BackupRun;
import qdrantbackup.transfer.SafeFiles;

/**
 * {@code <state.dir>/backup-running.json}: written when a backup run has planned its collections,
 * removed when it ends normally. Left behind by a stop (or a crash) in the middle of a run, it lets
 * the next start say which run was interrupted and which collections did not finish.
 */
public final class RunMarker implements org.apache.camel.Service {
    private static final Logger LOG = LoggerFactory.getLogger(RunMarker.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String FILE = "backup-running.json";

    private final Path file;
    private final BooleanSupplier stopping;
    private volatile BackupRun current;

    public RunMarker(Path stateDir, BooleanSupplier stopping) {
        this.file = stateDir.resolve(FILE);
        this.stopping = stopping;
    }

    /** The run has planned its collections (called from routes/backup.camel.yaml). */
    public BackupRun started(BackupRun run) {
        current = run;
        write(run, false);
        return run;
    }

    /** A collection was archived or finished: the marker says so, so that a crash is reported exactly. */
    public void progress(BackupRun run) {
        if (current == run) {
            write(run, false);
        }
    }

    /** The run ended: the marker goes, unless a stop cut the run short. */
    public void finished(BackupRun run) {
        current = null;
        if (stopping.getAsBoolean() && !run.isOk()) {
            write(run, true);
            return;
        }
        SafeFiles.deleteQuietly(file);
    }

    /**
     * At start-up: a marker left behind means the previous run was interrupted; reports it once.
     *
     * @return false when the marker belongs to a run still going in another live process (e.g. the
     *     daemon, while backup-now starts): then its partial files must be left alone
     */
    public boolean reportInterrupted() {
        if (!Files.exists(file)) {
            return true;
        }
        try {
            JsonNode m = JSON.readTree(file.toFile());
            long pid = m.path("pid").asLong(-1);
            if (pid != ProcessHandle.current().pid()
                    && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                LOG.info(
                        "a backup run started {} is going on in process {}; its files are left alone",
                        m.path("started").asText("?"),
                        pid);
                return false;
            }
            List<String> unfinished = new ArrayList<>();
            m.path("unfinished").forEach(n -> unfinished.add(n.asText()));
            List<String> done = new ArrayList<>();
            m.path("done").forEach(n -> done.add(n.asText()));
            List<String> archived = new ArrayList<>();
            m.path("archived").forEach(n -> archived.add(n.asText()));
            LOG.warn(
                    "the backup run started {} ({}) was interrupted ({}): {} did not finish{}{}; the next run backs {}"
                            + " up again (a download cut off within backup.resume-max-age resumes where it stopped)",
                    m.path("started").asText("?"),
                    m.path("trigger").asText("?"),
                    m.path("stopped").asBoolean()
                            ? "the application was stopped"
                            : "the process ended without a clean stop",
                    unfinished.isEmpty() ? "no collection" : String.join(", ", unfinished),
                    archived.isEmpty()
                            ? ""
                            : "; " + String.join(", ", archived) + " archived but not shipped offsite (the next run"
                                    + " uploads " + (archived.size() == 1 ? "it" : "them") + ")",
                    done.isEmpty() ? "" : " (" + String.join(", ", done) + " finished)",
                    unfinished.isEmpty() ? "nothing" : unfinished.size() == 1 ? "it" : "them");
        } catch (IOException e) {
            LOG.warn("the previous backup run was interrupted (its marker {} is unreadable: {})", file, e.getMessage());
        }
        SafeFiles.deleteQuietly(file);
        return true;
    }

    @Override
    public void start() {}

    /** The application stops with a run still going: the marker says so. */
    @Override
    public void stop() {
        BackupRun run = current;
        if (run != null) {
            write(run, true);
        }
    }

    private synchronized void write(BackupRun run, boolean stopped) {
        ObjectNode m = JSON.createObjectNode();
        m.put("started", run.getStarted());
        m.put("trigger", run.getTrigger());
        m.put("pid", ProcessHandle.current().pid());
        m.put("stopped", stopped);
        var unfinished = m.putArray("unfinished");
        var done = m.putArray("done");
        var archived = m.putArray("archived");
        for (BackupJob job : run.getJobs()) {
            BackupJob.Result result = job.getResult();
            if (result == BackupJob.Result.OK) {
                done.add(job.getCollection());
            } else if (job.archived() != null && result != BackupJob.Result.FAILED) {
                archived.add(job.getCollection()); // running the upload, or left local-only
            } else if (result == BackupJob.Result.RUNNING || stopped) {
                unfinished.add(job.getCollection());
            }
        }
        try {
            SafeFiles.createPrivateDirectories(file.getParent());
            SafeFiles.writeJson(file, m);
        } catch (RuntimeException e) {
            LOG.warn("could not write the run marker {}: {}", file, e.getMessage());
        }
    }
}
