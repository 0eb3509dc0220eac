package qdrantbackup.command;

import java.util.List;

/**
 * How a command is called: {@code name [argument] [flag]…} and what it does, one line of the usage text.
 *
 * @param argument the optional word after the name (e.g. {@code collection}), or null when it takes none
 */
public record Usage(String name, String argument, List<String> flags, String summary) {
    public Usage {
        flags = List.copyOf(flags);
    }

    /** A command with neither argument nor flags. */
    public Usage(String name, String summary) {
        this(name, null, List.of(), summary);
    }

    /** {@code list [collection] [--json]}. */
    public String synopsis() {
        StringBuilder s = new StringBuilder(name);
        if (argument != null) {
            s.append(" [").append(argument).append(']');
        }
        flags.forEach(flag -> s.append(" [").append(flag).append(']'));
        return s.toString();
    }

    public String line() {
        return line(synopsis(), summary);
    }

    /** The usage text: every command, then the options every command takes. */
    public static String text(List<Command> commands) {
        StringBuilder text = new StringBuilder("usage: java -jar qdrant-backup.jar [command] [options]\n");
        commands.forEach(command -> text.append(command.usage().line()).append('\n'));
        text.append("options:\n");
        CommandLine.OPTIONS.forEach(
                (option, summary) -> text.append(line(option, summary)).append('\n'));
        return text.toString().stripTrailing();
    }

    /** A synopsis and its summary, the summaries aligned (a longer synopsis pushes its own). */
    private static String line(String synopsis, String summary) {
        String column = synopsis.length() < 24 ? String.format("%-24s", synopsis) : synopsis + "  ";
        return "  " + column + summary;
    }
}
