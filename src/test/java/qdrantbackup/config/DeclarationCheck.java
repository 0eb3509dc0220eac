package qdrantbackup.config;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import qdrantbackup.config.Setting.Default;

/**
 * Compares a settings file and route files with the declaration ({@link SettingCatalogue}): each
 * problem is one line saying what disagrees. Only the tool's own prefixes count; camel.* is Camel's.
 */
final class DeclarationCheck {
    /** A setting shown but not set, as {@code #key=value} (no space after #: prose comments have one). */
    private static final Pattern COMMENTED = Pattern.compile("#([a-z][a-z0-9._-]*)=(.*)");
    /** A route placeholder {@code {{key}}} or {@code {{key:default}}}; Camel splits at the first colon. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^}:]+)(?::([^}]*))?}}");

    private DeclarationCheck() {}

    /** Problems of a settings file: undeclared keys, values other than the default, declared keys missing. */
    static List<String> propertiesProblems(String name, String text) {
        Map<String, String> shown = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        set(text).forEach((key, value) -> {
            shown.put(key, value);
            problems.addAll(valueProblems(name + " sets " + key + "=" + value, key, value));
        });
        for (String line : text.split("\\R")) {
            Matcher m = COMMENTED.matcher(line.strip());
            if (m.matches() && ours(m.group(1))) {
                shown.putIfAbsent(m.group(1), m.group(2).strip());
                problems.addAll(valueProblems(
                        name + " shows #" + m.group(1) + "=" + m.group(2).strip(),
                        m.group(1),
                        m.group(2).strip()));
            }
        }
        for (Setting s : SettingCatalogue.all()) {
            if (!shown.containsKey(s.key())) {
                problems.add(name + " lacks " + s.key() + ": add it with its default, set or as #" + s.key() + "="
                        + String.join("|", shownDefaults(s)));
            }
        }
        return problems;
    }

    /** Problems of a route file: placeholders naming an undeclared setting or another default. */
    static List<String> routeProblems(String name, String text) {
        List<String> problems = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            String key = m.group(1).strip();
            if (m.group(2) == null && SettingCatalogue.isDeclared(key)) {
                continue; // no default of its own to disagree with
            }
            String what = name + " has " + m.group();
            problems.addAll(m.group(2) == null ? valueProblems(what, key, null) : valueProblems(what, key, m.group(2)));
        }
        return problems;
    }

    /** The values a file may show for {@code s}: its default, the default it falls back to, or a derived one. */
    static Set<String> shownDefaults(Setting s) {
        Default d = s.byDefault();
        if (d instanceof Default.FallsBackTo f) {
            return shownDefaults(SettingCatalogue.get(f.key()));
        }
        if (d instanceof Default.TrueWhenSet) {
            return Set.of("true", "false");
        }
        return Set.of(((Default.Value) d).value());
    }

    private static List<String> valueProblems(String what, String key, String value) {
        if (!ours(key)) {
            return List.of();
        }
        if (!SettingCatalogue.isDeclared(key)) {
            return List.of(what + ": " + key + " is not declared in SettingCatalogue");
        }
        Set<String> defaults = shownDefaults(SettingCatalogue.get(key));
        if (value != null && !defaults.contains(value.strip())) {
            return List.of(what + ": the declared default is "
                    + String.join(
                            " or ",
                            defaults.stream()
                                    .map(d -> d.isEmpty() ? "empty" : d)
                                    .sorted()
                                    .toList()));
        }
        return List.of();
    }

    private static Map<String, String> set(String text) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> out = new java.util.TreeMap<>();
        p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k).strip()));
        return out;
    }

    static boolean ours(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return UnknownSettings.PREFIXES.stream().anyMatch(k::startsWith);
    }
}
