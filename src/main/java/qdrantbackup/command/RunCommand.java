package qdrantbackup.command;

import java.io.PrintStream;
import java.util.Map;
import org.apache.camel.main.Main;

/** {@code run} (the default): the daemon — schedules, restore inbox, management port. */
public final class RunCommand implements Command {
    private static final Usage USAGE =
            new Usage(CommandLine.DEFAULT_COMMAND, "run the daemon (default): scheduled backups, restore inbox");

    @Override
    public Usage usage() {
        return USAGE;
    }

    /**
     * Starts first (so a start-up error is one line, exit 3, no stack trace), then runs until stopped
     * (SIGTERM: running transfers get camel.main.shutdown-timeout seconds).
     */
    @Override
    public int run(CommandLine line, PrintStream out) throws Exception {
        Main main = Launcher.start(line, Map.of());
        main.run();
        return main.getExitCode();
    }
}
