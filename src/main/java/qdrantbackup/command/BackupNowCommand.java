package qdrantbackup.command;

import java.io.PrintStream;
import java.util.List;
import org.apache.camel.main.Main;
import qdrantbackup.backup.BackupJob;
import qdrantbackup.backup.BackupRun;

/** {@code backup-now [collection]}: one backup run, a line per collection, exit 0 only when all succeeded. */
public final class BackupNowCommand implements Command {
    private static final Usage USAGE = new Usage(
            "backup-now", "collection", List.of(), "back up every collection (or one) now, then exit (0 = all ok)");

    /** The run is reported as a backup-now run, e.g. when it is interrupted. */
    private static java.util.Map<String, Object> headers(String collection) {
        java.util.Map<String, Object> h = new java.util.HashMap<>();
        h.put("trigger", "backup-now");
        h.put("collection", collection);
        return h;
    }

    @Override
    public Usage usage() {
        return USAGE;
    }

    @Override
    public int run(CommandLine line, PrintStream out) throws Exception {
        Main main = Launcher.start(line, Launcher.oneShot());
        try {
            BackupRun run = main.getCamelContext()
                    .createProducerTemplate()
                    .requestBodyAndHeaders("direct:backup", null, headers(line.argument()), BackupRun.class);
            if (run == null) {
                out.println("another backup run is still going; nothing done");
                return 1;
            }
            for (BackupJob job : run.getJobs()) {
                out.println(job.line());
            }
            if (run.getError() != null) {
                out.println("run failed: " + run.getError());
            }
            out.println(run.isOk() ? "backup succeeded" : "backup FAILED");
            return run.isOk() ? 0 : 1;
        } finally {
            main.stop();
        }
    }
}
