package qdrantbackup.backup;

import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qdrantbackup.transfer.SafeFiles;

/** Writes each run's summary as JSON into the state folder, and the newest as last-backup.json. */
public final class RunLog {
    // the run's own log lines, under the backup's name as before
    private static final Logger LOG = LoggerFactory.getLogger(Backup.class);

    private final Path folder;

    public RunLog(Path folder) {
        this.folder = folder;
    }

    void write(BackupRun run) {
        try {
            SafeFiles.createPrivateDirectories(folder.resolve("runs"));
            String name = "backup-" + run.getStarted().replace(':', '-') + ".json";
            Path file = folder.resolve("runs").resolve(name);
            SafeFiles.writeJson(file, run);
            SafeFiles.writeJson(folder.resolve("last-backup.json"), run);
            LOG.info("run summary written to {}", file);
        } catch (RuntimeException e) {
            LOG.warn("could not write the run summary into {}: {}", folder, e.getMessage());
        }
    }
}
