package qdrantbackup.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.testing.FakeQdrant;
import qdrantbackup.testing.TestApp;

/** {@code check}: would the daemon start, and does Qdrant answer? Nothing runs. */
class CheckCommandTest {
    @TempDir
    Path dir;

    FakeQdrant qdrant;
    Path config;

    @BeforeEach
    void start() throws Exception {
        qdrant = FakeQdrant.start(dir.resolve("qdrant")).collection("products", 120);
        config = TestApp.settingsFile(dir, qdrant.url(), Map.of());
    }

    @AfterEach
    void stop() {
        qdrant.close();
    }

    private int check(ByteArrayOutputStream out) throws Exception {
        return new CheckCommand()
                .run(
                        CommandLine.parse(new String[] {"check", "--config", config.toString(), "--routes", "routes"}),
                        new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @Test
    void saysTheSettingsWorkAndQdrantAnswersAndRunsNothing() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(check(out)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("settings: ok (")
                .contains("offsite: ")
                .contains("qdrant: ok, version 1.19");
        assertThat(qdrant.serverSnapshots("products")).isEmpty();
        assertThat(dir.resolve("archive").resolve("products")).doesNotExist();
    }

    @Test
    void qdrantNotAnsweringIsExitOneWithTheFix() throws Exception {
        qdrant.down();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(check(out)).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("qdrant: NOT OK: ")
                .contains("check qdrant.url");
    }
}
