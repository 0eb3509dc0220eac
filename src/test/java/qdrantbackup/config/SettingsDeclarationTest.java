package qdrantbackup.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import qdrantbackup.config.Setting.Default;

/**
 * Each setting is declared once (SettingCatalogue); the shipped application.properties and the
 * routes' {@code {{key:default}}} placeholders must agree with it, or the build fails.
 */
class SettingsDeclarationTest {

    @Test
    void theShippedSettingsFileAgreesWithTheDeclaration() throws IOException {
        String text = Files.readString(Path.of("application.properties"));
        assertThat(DeclarationCheck.propertiesProblems("application.properties", text))
                .isEmpty();
    }

    @Test
    void theShippedRoutesAgreeWithTheDeclaration() throws IOException {
        List<String> problems = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".camel.yaml"))
                    .sorted()
                    .toList()) {
                problems.addAll(DeclarationCheck.routeProblems(f.toString(), Files.readString(f)));
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void aSettingsFileThatDisagreesIsReportedLineByLine() {
        String text = String.join(
                "\n",
                "qdrant.url=http://localhost:6333",
                "backup.parallel=2",
                "retention.dayly=7",
                "#offsite.retention.monthly=12",
                "#offsite.path-style=true",
                "# prose comment: qdrant.url=anything is not a setting",
                "camel.main.name=anything",
                "");
        List<String> problems = DeclarationCheck.propertiesProblems("test.properties", text);
        assertThat(problems)
                .contains(
                        "test.properties sets backup.parallel=2: the declared default is 1",
                        "test.properties sets retention.dayly=7: retention.dayly is not declared in SettingCatalogue",
                        "test.properties shows #offsite.retention.monthly=12: the declared default is 6",
                        "test.properties lacks qdrant.api-key: add it with its default, set or as #qdrant.api-key=")
                .noneMatch(p -> p.contains(" qdrant.url=")
                        || p.contains(" qdrant.url:")
                        || p.contains("path-style=")
                        || p.contains("camel."));
    }

    @Test
    void aRouteThatDisagreesIsReported() {
        String route = """
                cron: "{{backup.schedule.cron:0 0 3 * * ?}}"
                trigger.timeZone: "{{backup.schedule.timezone:UTC}}"
                uri: "file:{{restore.inbox.folder:inbox}}"
                autoStartup: "{{camel.management.enabled:true}}"
                delay: "{{restore.inbox.poll}}"
                """;
        assertThat(DeclarationCheck.routeProblems("test.camel.yaml", route))
                .containsExactly(
                        "test.camel.yaml has {{backup.schedule.cron:0 0 3 * * ?}}: the declared default is 0 0 2 * * ?",
                        "test.camel.yaml has {{restore.inbox.folder:inbox}}: restore.inbox.folder is not declared in"
                                + " SettingCatalogue");
    }

    @Test
    void everyDeclarationIsUnderTheToolsPrefixesAndReadableByItsType() {
        Settings defaults = Settings.defaults();
        for (Setting s : SettingCatalogue.all()) {
            assertThat(DeclarationCheck.ours(s.key())).as(s.key()).isTrue();
            assertThat(s.explanation()).as(s.key()).isNotBlank().doesNotContain("\n");
            if (s.byDefault() instanceof Default.FallsBackTo f) {
                assertThat(SettingCatalogue.get(f.key()).type()).as(s.key()).isEqualTo(s.type());
            }
            if (s.byDefault() instanceof Default.TrueWhenSet w) {
                assertThat(SettingCatalogue.isDeclared(w.key())).as(s.key()).isTrue();
            }
            // a default must pass its own range and type checks
            switch (s.type()) {
                case BOOL -> defaults.bool(s.key());
                case INT -> defaults.integer(s.key());
                case DURATION -> defaults.duration(s.key());
                case BYTES -> defaults.bytes(s.key());
                default -> defaults.find(s.key());
            }
        }
    }

    @Test
    void defaultsComeFromTheDeclaration() {
        Settings none = Settings.defaults();
        assertThat(none.string("qdrant.url")).isEqualTo("http://localhost:6333");
        assertThat(none.duration("qdrant.read-timeout")).isEqualTo(Duration.ofMinutes(2));
        assertThat(none.integer("backup.parallel")).isEqualTo(1);
        assertThat(none.bytes("offsite.part-size")).isEqualTo(16L << 20);
        assertThat(none.find("offsite.bucket")).isEmpty();
        assertThat(none.bool("offsite.path-style")).isFalse();
    }

    @Test
    void derivedDefaultsFollowTheSettingTheyComeFrom() {
        Settings s = settings(Map.of(
                "backup.schedule.timezone", "Europe/Berlin",
                "retention.daily", "30",
                "offsite.endpoint", "http://minio:9000"));
        assertThat(s.string("retention.timezone")).isEqualTo("Europe/Berlin");
        assertThat(s.string("offsite.retention.timezone")).isEqualTo("Europe/Berlin");
        assertThat(s.integer("offsite.retention.daily")).isEqualTo(30);
        assertThat(s.integer("offsite.retention.monthly")).isEqualTo(6);
        assertThat(s.bool("offsite.path-style")).isTrue();
        assertThat(settings(Map.of("offsite.endpoint", "http://minio:9000", "offsite.path-style", "false"))
                        .bool("offsite.path-style"))
                .isFalse();
    }

    @Test
    void outOfRangeValuesFailWithOneLineNamingTheFix() {
        assertThatThrownBy(() -> settings(Map.of("offsite.part-size", "1MB")).bytes("offsite.part-size"))
                .hasMessage("setting offsite.part-size=1MB is invalid: use a size of at least 5MB");
        assertThatThrownBy(() -> settings(Map.of("offsite.upload-threads", "0")).integer("offsite.upload-threads"))
                .hasMessage("setting offsite.upload-threads=0 is invalid: use a number of at least 1");
        assertThatThrownBy(() ->
                        settings(Map.of("offsite.checksum-mode", "always")).string("offsite.checksum-mode"))
                .hasMessage("setting offsite.checksum-mode=always is invalid: use when_required or when_supported");
        assertThat(settings(Map.of("offsite.checksum-mode", "WHEN-SUPPORTED")).string("offsite.checksum-mode"))
                .isEqualTo("when_supported");
    }

    @Test
    void readingAnUndeclaredSettingOrWithTheWrongTypeIsAProgrammingError() {
        assertThatThrownBy(() -> Settings.defaults().string("qdrant.uri"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("qdrant.uri is not declared");
        assertThatThrownBy(() -> Settings.defaults().integer("qdrant.read-timeout"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("declared as duration, not int");
    }

    private static Settings settings(Map<String, String> values) {
        return new Settings(k -> Optional.ofNullable(values.get(k)));
    }
}
