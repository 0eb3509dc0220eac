package qdrantbackup;

import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import qdrantbackup.command.BackupNowCommand;
import qdrantbackup.command.CheckCommand;
import qdrantbackup.command.Command;
import qdrantbackup.command.CommandLine;
import qdrantbackup.command.ConsoleLog;
import qdrantbackup.command.ExpireCommand;
import qdrantbackup.command.Launcher;
import qdrantbackup.command.ListCommand;
import qdrantbackup.command.RestoreCommand;
import qdrantbackup.command.RunCommand;
import qdrantbackup.command.StartupException;
import qdrantbackup.command.Usage;
import qdrantbackup.command.VerifyCommand;

/**
 * Entry point. {@code java -jar qdrant-backup.jar [command] [--config FILE] [--routes DIR]}: parses
 * the command line, finds the command (package {@code qdrantbackup.command}) and exits with its code.
 */
public final class App {
    /** Every command, in the order the usage text lists them. */
    static final List<Command> COMMANDS = List.of(
            new RunCommand(),
            new BackupNowCommand(),
            new ExpireCommand(),
            new CheckCommand(),
            new ListCommand(),
            new RestoreCommand(),
            new VerifyCommand(),
            new qdrantbackup.command.DrillCommand());

    /** The exit code of a writer that found the archive locked by another process. */
    static final int ARCHIVE_IN_USE = 4;

    private App() {}

    public static void main(String[] args) throws Exception {
        System.exit(dispatch(CommandLine.parse(args), System.out, System.err));
    }

    /**
     * Runs the command the line names: 2 when there is no such command, 3 when it cannot start, 4 when
     * another process writes to the archive.
     */
    static int dispatch(CommandLine line, PrintStream out, PrintStream err) throws Exception {
        if (line.command().equals(CommandLine.HELP)) {
            out.println(usage());
            return 0;
        }
        Optional<Command> command = find(line.command());
        if (command.isEmpty()) {
            err.println("unknown command '" + line.command() + "'\n" + usage());
            return 2;
        }
        if (command.get().printsData()) {
            ConsoleLog.toStandardError();
        }
        try {
            return command.get().run(line, out);
        } catch (StartupException e) {
            err.println("qdrant-backup cannot start: " + e.getMessage());
            return Launcher.inUse(e) != null ? ARCHIVE_IN_USE : 3;
        }
    }

    static Optional<Command> find(String name) {
        return COMMANDS.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    static String usage() {
        return Usage.text(COMMANDS);
    }
}
