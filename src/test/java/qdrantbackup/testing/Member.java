package qdrantbackup.testing;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import qdrantbackup.command.Launcher;

/**
 * One instance of the daemon in a JVM of its own (started by {@link Members}): the project's
 * application.properties and routes/, with {@code key=value} arguments as overrides. Runs until stopped or killed.
 */
public final class Member {
    private Member() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> overrides = new LinkedHashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            overrides.put(a.substring(0, eq), a.substring(eq + 1));
        }
        // as the run command does: run() returns once SIGTERM has stopped Camel gracefully
        Launcher.start(Path.of("application.properties"), Path.of("routes"), overrides)
                .run();
    }
}
