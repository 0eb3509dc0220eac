package qdrantbackup.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import qdrantbackup.config.SettingCatalogue;
import qdrantbackup.config.UnknownSettings;

/**
 * What cannot run here (Docker, a cluster) is checked by what can: every file in deploy/ parses, and every
 * setting it names (a {@code key=value} line or an environment variable under the tool's prefixes) is declared.
 */
class DeployFilesTest {
    private static final Path DEPLOY = Path.of("deploy");
    private static final Pattern KEY = Pattern.compile("(?m)^\\s*([a-z][a-z0-9-]*(?:\\.[a-z0-9-]+)+)=");
    private static final Pattern ENV = Pattern.compile(
            "(?m)(?:^\\s*-?\\s*name:\\s*([A-Z][A-Z0-9_]+)\\s*(?:#.*)?$|^\\s*([A-Z][A-Z0-9_]+):|\\b([A-Z][A-Z0-9_]+)=)");

    @Test
    void everyYamlFileParses() throws IOException {
        List<Path> yaml = files().stream()
                .filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
                .toList();
        assertThat(yaml).hasSizeGreaterThanOrEqualTo(5);
        for (Path f : yaml) {
            List<Object> docs = new ArrayList<>();
            new Load(LoadSettings.builder().build())
                    .loadAllFromString(Files.readString(f))
                    .forEach(docs::add);
            assertThat(docs).as(f.toString()).isNotEmpty().doesNotContainNull();
        }
    }

    @Test
    void theDashboardIsJsonOverTheToolsMetrics() throws IOException {
        JsonNode dashboard = new ObjectMapper()
                .readTree(DEPLOY.resolve("grafana/qdrant-backup-dashboard.json").toFile());
        assertThat(dashboard.get("panels")).isNotEmpty();
        dashboard
                .get("panels")
                .forEach(p -> assertThat(p.at("/targets/0/expr").asText()).contains("qdrant_backup_"));
    }

    @Test
    void theDeployFilesNameOnlyDeclaredSettings() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Path f : files()) {
            problems.addAll(problems(f.toString(), Files.readString(f)));
        }
        assertThat(problems).isEmpty();
        // the scan does see the names (a check that finds nothing would pass anyway)
        String all =
                String.join("\n", files().stream().map(DeployFilesTest::read).toList());
        assertThat(problems(
                        "all",
                        all.replace("HA_MEMBER_ID", "HA_MEMBER_NAME")
                                .replace("ha.kubernetes.lease-name=", "ha.kubernetes.lease-nam=")))
                .containsExactlyInAnyOrder(
                        "all names environment variable HA_MEMBER_NAME: no declared setting maps to it",
                        "all names setting ha.kubernetes.lease-nam: not declared in SettingCatalogue");
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aMisspeltSettingOrVariableIsReported() {
        String text = String.join(
                "\n",
                "ha.clutser=file",
                "offsite.bucket=b",
                "  - name: OFFSITE_BUKET",
                "    OFFSITE_ENDPOINT: http://minio:9000",
                "ENV STATE_DIRECTORY=/data/state",
                "    POD_NAME: x",
                "");
        assertThat(problems("test.yaml", text))
                .containsExactlyInAnyOrder(
                        "test.yaml names setting ha.clutser: not declared in SettingCatalogue",
                        "test.yaml names environment variable OFFSITE_BUKET: no declared setting maps to it",
                        "test.yaml names environment variable STATE_DIRECTORY: no declared setting maps to it");
    }

    static List<String> problems(String file, String text) {
        Set<String> found = new TreeSet<>();
        Matcher keys = KEY.matcher(text);
        while (keys.find()) {
            String key = keys.group(1);
            if (ours(key) && !SettingCatalogue.isDeclared(key)) {
                found.add(file + " names setting " + key + ": not declared in SettingCatalogue");
            }
        }
        Set<String> declaredEnv = new TreeSet<>();
        SettingCatalogue.keys().forEach(k -> declaredEnv.add(env(k)));
        Matcher vars = ENV.matcher(text);
        while (vars.find()) {
            String name = vars.group(1) != null ? vars.group(1) : vars.group(2) != null ? vars.group(2) : vars.group(3);
            boolean oursByPrefix = UnknownSettings.PREFIXES.stream().anyMatch(p -> name.startsWith(env(p)));
            if (oursByPrefix && !name.contains("__") && !declaredEnv.contains(name)) {
                found.add(file + " names environment variable " + name + ": no declared setting maps to it");
            }
        }
        return new ArrayList<>(found);
    }

    private static boolean ours(String key) {
        return UnknownSettings.PREFIXES.stream().anyMatch(key::startsWith);
    }

    private static String env(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static List<Path> files() throws IOException {
        try (Stream<Path> all = Files.walk(DEPLOY)) {
            return all.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
