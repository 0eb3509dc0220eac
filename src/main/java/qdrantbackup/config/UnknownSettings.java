package qdrantbackup.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;

/**
 * Refuses settings under the tool's own prefixes that nothing reads: a typo such as
 * {@code retention.dayly=30} must not silently fall back to the default (like restic and
 * pgBackRest, which refuse unknown options). What is known is what is declared
 * ({@link SettingCatalogue}); it is compared, once the routes are built, with the keys of the
 * settings file and with the environment variables that map to the same prefixes (QDRANT_URL for
 * qdrant.url).
 */
public final class UnknownSettings implements StartupListener {
    /** The tool's own prefixes; everything else (camel.*, logging) belongs to others. */
    public static final List<String> PREFIXES = List.of(
            "qdrant.",
            "backup.",
            "archive.",
            "state.",
            "offsite.",
            "retention.",
            "verify.",
            "restore.",
            "progress.",
            "health.",
            "management.",
            "notify.",
            "routes.",
            "ha.",
            "drill.");
    /** Kubernetes service links (QDRANT_SERVICE_HOST, QDRANT_PORT_6333_TCP, …) and Qdrant's own QDRANT__X. */
    private static final Pattern PLATFORM_ENV = Pattern.compile(
            "[A-Z0-9_]+_(SERVICE_HOST|SERVICE_PORT(_[A-Z0-9_]+)?|PORT(_\\d+_(TCP|UDP|SCTP)(_[A-Z]+)?)?)|[A-Z]+__.*");

    private final Map<String, String> environment;

    UnknownSettings(Map<String, String> environment) {
        this.environment = environment;
    }

    /** Checks once the routes are built, before they start. */
    public static void install(CamelContext camel) {
        UnknownSettings check = new UnknownSettings(System.getenv());
        try {
            camel.addStartupListener(check);
        } catch (Exception e) {
            throw new IllegalStateException("cannot install the unknown-settings check", e);
        }
    }

    @Override
    public void onCamelContextStarted(CamelContext camel, boolean alreadyStarted) {
        if (alreadyStarted) {
            return;
        }
        Set<String> known = new TreeSet<>(SettingCatalogue.keys());
        List<String> fileProblems = new ArrayList<>();
        for (String location : camel.getPropertiesComponent().getLocations()) {
            Path file = fileOf(location);
            if (file != null) {
                fileProblems.addAll(describe(unknown(keysOf(file), known), known));
            }
        }
        List<String> envProblems = describe(unknownEnvironment(environment.keySet(), known), known);
        if (fileProblems.isEmpty() && envProblems.isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder("unknown setting");
        List<String> all = new ArrayList<>(fileProblems);
        all.addAll(envProblems);
        sb.append(all.size() > 1 ? "s " : " ")
                .append(String.join(", ", all))
                .append(": nothing reads ")
                .append(all.size() > 1 ? "them" : "it")
                .append(", so the default would be used; correct or remove ")
                .append(all.size() > 1 ? "them" : "it");
        throw new Settings.SettingException(sb.toString());
    }

    /** Keys under the tool's prefixes that are not known. */
    static List<String> unknown(Set<String> present, Set<String> known) {
        return present.stream()
                .filter(UnknownSettings::ours)
                .filter(k -> !known.contains(k))
                .sorted()
                .toList();
    }

    /** Environment variables under the tool's prefixes that no known key maps to (QDRANT_API_KEY). */
    static List<String> unknownEnvironment(Set<String> variables, Set<String> known) {
        Set<String> knownEnv = new LinkedHashSet<>();
        known.forEach(k -> knownEnv.add(env(k)));
        return variables.stream()
                .filter(v -> PREFIXES.stream().anyMatch(p -> v.startsWith(env(p))))
                .filter(v -> !PLATFORM_ENV.matcher(v).matches())
                .filter(v -> !knownEnv.contains(v))
                .sorted()
                .toList();
    }

    /** {@code qdrant.api-key} → {@code QDRANT_API_KEY}, as Camel maps them. */
    static String env(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    static List<String> describe(List<String> unknown, Set<String> known) {
        List<String> out = new ArrayList<>();
        for (String key : unknown) {
            boolean isEnv = !key.equals(key.toLowerCase(Locale.ROOT)) && key.equals(key.toUpperCase(Locale.ROOT));
            String closest = closest(key, known, isEnv);
            out.add((isEnv ? "environment variable " : "")
                    + key
                    + (closest == null ? "" : " (did you mean " + (isEnv ? env(closest) : closest) + "?)"));
        }
        return out;
    }

    /** The known key nearest by edit distance, if it is near enough to be a typo. */
    static String closest(String key, Set<String> known, boolean env) {
        String k = env ? key : key.toLowerCase(Locale.ROOT);
        return known.stream()
                .filter(UnknownSettings::ours)
                .map(c -> Map.entry(c, distance(k, env ? env(c) : c)))
                .filter(e -> e.getValue() <= Math.max(2, k.length() / 3))
                .min(Comparator.comparing((Map.Entry<String, Integer> e) -> e.getValue())
                        .thenComparing(Map.Entry::getKey))
                .map(Map.Entry::getKey)
                .orElse(null);
    }

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static boolean ours(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return PREFIXES.stream().anyMatch(k::startsWith);
    }

    private static Path fileOf(String location) {
        String l = location.replace(";optional=true", "");
        return l.startsWith("file:") ? Path.of(l.substring("file:".length())) : null;
    }

    static Set<String> keysOf(Path file) {
        Properties p = new Properties();
        if (!Files.isReadable(file)) {
            return Set.of();
        }
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException e) {
            return Set.of();
        }
        return p.stringPropertyNames();
    }
}
