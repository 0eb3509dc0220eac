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
    /** The flags that take a value, as {@code --flag VALUE} or {@code --flag=VALUE}; kept as {@code --flag=VALUE}. */
    static final java.util.Set<String> VALUED = java.util.Set.of("--snapshot", "--target");

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
                    if (VALUED.contains(args[i]) && i + 1 < args.length && !args[i + 1].startsWith("--")) {
                        flags.add(args[i] + "=" + args[++i]);
                    } else if (args[i].startsWith("--")) {
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

    /** The value of a {@code --flag VALUE} (or {@code --flag=VALUE}); null when the flag is absent or bare. */
    public String value(String flag) {
        return flags.stream()
                .filter(f -> f.startsWith(flag + "="))
                .map(f -> f.substring(flag.length() + 1))
                .findFirst()
                .orElse(null);
    }

    private static Map<String, String> options() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put(CONFIG + " FILE", "settings file (default application.properties)");
        o.put(ROUTES + " DIR", "routes folder (default routes)");
        return o;
    }
}
