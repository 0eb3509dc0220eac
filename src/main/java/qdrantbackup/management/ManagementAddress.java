package qdrantbackup.management;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * One address for the management port. Camel starts two HTTP servers on it: the management server
 * (health, metrics: {@code camel.management.*}) and the platform-http server of the routes
 * ({@code camel.server.*}, POST /backup, GET /backups). Each keeps its own host and port, and an
 * environment variable reaches only one of them, so the resolved {@code camel.management.*} values
 * (override, then environment, then file) are given to both as override properties.
 */
public final class ManagementAddress {
    private static final String[] KEYS = {"enabled", "port", "host"};

    private ManagementAddress() {}

    public static Map<String, String> overrides(Path config, Map<String, String> overrides, Map<String, String> env) {
        Properties file = load(config);
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : KEYS) {
            String key = "camel.management." + name;
            // the program's own overrides (a one-shot command turns the port off) win over the environment
            String value = overrides.get(key);
            if (value == null) {
                value = env.get(key.toUpperCase(Locale.ROOT).replace('.', '_'));
            }
            if (value == null) {
                value = file.getProperty(key);
            }
            if (value != null && !value.isBlank() && !value.contains("{{")) {
                out.put(key, value.trim());
                out.put("camel.server." + name, value.trim());
            }
        }
        return out;
    }

    private static Properties load(Path config) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(config)) {
            p.load(in);
        } catch (IOException e) {
            // the launcher has checked the file is readable; Camel reports a file it cannot read
        }
        return p;
    }
}
