package qdrantbackup.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import qdrantbackup.command.Launcher;
import qdrantbackup.command.StartupException;
import qdrantbackup.testing.TestApp;

/**
 * Each setting that cannot work stops the start with one line naming the setting, its value and
 * the fix; settings nothing reads are refused with the closest known name. Real Camel Main start,
 * the project's settings file (copied, with the bad line appended) and routes.
 */
class StartupErrorsTest {
    @TempDir
    Path dir;

    /** Starts with the project's settings plus {@code extra} appended to the file; returns the error line. */
    private String startupError(String extra) throws Exception {
        Path config = dir.resolve("application.properties");
        Files.writeString(config, Files.readString(Path.of("application.properties")) + "\n" + extra + "\n");
        Map<String, String> overrides = TestApp.defaults(dir, "http://127.0.0.1:1");
        // the file's line must win over the test defaults
        String key = extra.substring(0, extra.indexOf('='));
        overrides.remove(key);
        Throwable error = org.assertj.core.api.Assertions.catchThrowable(() -> {
            Main main = Launcher.start(config, Path.of("routes"), overrides);
            main.stop();
        });
        assertThat(error).as("start-up with " + extra).isInstanceOf(StartupException.class);
        String line = error.getMessage();
        assertThat(line).doesNotContain("\n").doesNotContain("Exception");
        return line;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "backup.schedule.cron=0 0 25 * * ?      | setting backup.schedule.cron=0 0 25 * * ? is invalid: | e.g. 0 0 2 * * ?",
                "retention.schedule.cron=every night    | setting retention.schedule.cron=every night is invalid: | Quartz cron",
                "qdrant.url=localhost:6333              | setting qdrant.url=localhost:6333 is invalid: | e.g. http://localhost:6333",
                "retention.daily=-1                     | retention.daily=-1 is negative: | use 0 to switch daily retention off",
                "retention.keep-last=0                  | retention.keep-last=0 | set it to 1 or more",
                "state.dir=/proc/qdrant-backup-state    | setting state.dir=/proc/qdrant-backup-state is invalid: | cannot create it in /proc",
                "backup.parallel=0                      | setting backup.parallel=0 is invalid: | at least 1",
                "progress.interval=soon                 | setting progress.interval=soon is invalid: | 30s, 5m or 2h",
            })
    void aSettingThatCannotWorkStopsTheStartWithOneLine(String line, String names, String fix) throws Exception {
        assertThat(startupError(line.strip())).contains(names.strip()).contains(fix.strip());
    }

    @Test
    void aQdrantUrlWithoutSchemeIsRefusedWithoutEchoingItsPassword() throws Exception {
        assertThat(startupError("qdrant.url=backup:hunter2-pw@qdrant.internal:6333"))
                .isEqualTo("setting qdrant.url=***@qdrant.internal:6333 is invalid: give the scheme and host, e.g."
                        + " http://localhost:6333");
        assertThat(startupError("qdrant.url=htp://backup:hunter2-pw@qdrant.internal:6333"))
                .contains("qdrant.url=htp://***@qdrant.internal:6333")
                .doesNotContain("hunter2-pw");
    }

    @Test
    void anArchiveFolderThatIsAFileIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
        assertThat(startupError("archive.dir=" + file))
                .isEqualTo("setting archive.dir=" + file + " is invalid: " + file + " is a file, not a folder: point"
                        + " archive.dir at a folder");
    }

    @Test
    void aTypoIsRefusedWithTheClosestKnownName() throws Exception {
        assertThat(startupError("retention.dayly=30"))
                .isEqualTo("unknown setting retention.dayly (did you mean"
                        + " retention.daily?): nothing reads it, so the default would be used; correct or remove it");
        assertThat(startupError("backup.shedule.cron=0 0 3 * * ?"))
                .contains("backup.shedule.cron (did you mean backup.schedule.cron?)");
        assertThat(startupError("notify.whatever=1")).contains("unknown setting notify.whatever:");
    }

    @Test
    void theShippedSettingsFileHasNoUnknownSetting() throws Exception {
        Main main = Launcher.start(
                Path.of("application.properties"), Path.of("routes"), TestApp.defaults(dir, "http://127.0.0.1:1"));
        main.stop();
    }

    @Test
    void environmentVariablesAreComparedTooButPlatformOnesAreLeftAlone() {
        Set<String> known = Set.of("qdrant.url", "qdrant.api-key", "backup.schedule.cron", "offsite.bucket");
        assertThat(UnknownSettings.unknownEnvironment(
                        Set.of(
                                "QDRANT_URL",
                                "QDRANT_API_KEY",
                                "QDRANT_APIKEY",
                                "OFFSITE_BUCKIT",
                                "QDRANT_SERVICE_HOST",
                                "QDRANT_SERVICE_PORT_HTTP",
                                "QDRANT_PORT",
                                "QDRANT_PORT_6333_TCP",
                                "QDRANT_PORT_6333_TCP_ADDR",
                                "QDRANT__SERVICE__API_KEY",
                                "PATH",
                                "HOME"),
                        known))
                .containsExactly("OFFSITE_BUCKIT", "QDRANT_APIKEY");
        assertThat(UnknownSettings.describe(java.util.List.of("QDRANT_APIKEY"), known))
                .containsExactly("environment variable QDRANT_APIKEY (did you mean QDRANT_API_KEY?)");
        assertThat(UnknownSettings.closest("offsite.bucet", known, false)).isEqualTo("offsite.bucket");
        assertThat(UnknownSettings.closest("qdrant.something-else", known, false))
                .isNull();
    }

    @Test
    void aFolderCheckNeverCreatesTheFolder() {
        Settings s =
                new Settings(k -> java.util.Optional.of(dir.resolve("a/b/c").toString()));
        assertThat(StartupChecks.folder(s, "archive.dir")).isEqualTo(dir.resolve("a/b/c"));
        assertThat(dir.resolve("a")).doesNotExist();
    }

    @Test
    void aFailedProbeNamesTheSettingAndTheFix() {
        assertThatThrownBy(() -> StartupChecks.probe(
                        "offsite.bucket", "backups", "create the bucket or fix" + " offsite.bucket", () -> {
                            throw new IllegalStateException("bucket backups does not exist (NoSuchBucket)");
                        }))
                .hasMessage(
                        "setting offsite.bucket=backups does not work: bucket backups does not exist (NoSuchBucket):"
                                + " create the bucket or fix offsite.bucket");
    }
}
