package qdrantbackup.command;

import java.io.PrintStream;

/** One of the operator's verbs ({@code run}, {@code backup-now}, …): how it is called, and what it does. */
public interface Command {
    /** Its name, argument and flags, declared once: the usage text is built from them. */
    Usage usage();

    default String name() {
        return usage().name();
    }

    /**
     * Runs the command and returns the process's exit code; a start that fails throws a
     * {@link StartupException}, which the entry point turns into one line and exit code 3.
     */
    int run(CommandLine line, PrintStream out) throws Exception;

    /** True when the output is data for pipes (jq, grep): the log lines then go to standard error. */
    default boolean printsData() {
        return false;
    }
}
