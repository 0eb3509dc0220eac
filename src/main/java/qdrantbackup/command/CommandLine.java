package qdrantbackup.command;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line: the command word, its argument, its flags, and the two path options every command
 * takes. {@code -h}/{@code --help} anywhere makes the command {@value #HELP}.
 *
 * @param argument the word after the command (a collection), or null
 */
public record CommandLine(String command, String argument, List<String> flags, Path config, Path routes) {
    public static final String HELP = "help";
    public static final String DEFAULT_COMMAND = "run";
    static final String CONFIG = "--config";
    static final String ROUTES = "--routes";

    /** The options every command takes, with their lines in the usage text. */
    public static final Map<String, String> OPTIONS = options();

    public CommandLine {
        flags = List.copyOf(flags);
    }

    public static CommandLine parse(String... args) {
        Path config = Path.of("application.properties");
        Path routes = Path.of("routes");
        List<String> words = new ArrayList<>();
        List<String> flags = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case CONFIG -> config = Path.of(args[++i]);
                case ROUTES -> routes = Path.of(args[++i]);
                case "-h", "--help" -> words.add(0, HELP);
                default -> {
                    if (args[i].startsWith("--")) {
                        flags.add(args[i]);
                    } else {
                        words.add(args[i]);
                    }
                }
            }
        }
        String command = words.isEmpty() ? DEFAULT_COMMAND : words.get(0);
        String argument = words.size() > 1 ? words.get(1) : null;
        return new CommandLine(command, argument, flags, config, routes);
    }

    public boolean has(String flag) {
        return flags.contains(flag);
    }

    private static Map<String, String> options() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put(CONFIG + " FILE", "settings file (default application.properties)");
        o.put(ROUTES + " DIR", "routes folder (default routes)");
        return o;
    }
}
