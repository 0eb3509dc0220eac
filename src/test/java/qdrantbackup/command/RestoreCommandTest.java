package qdrantbackup.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.testing.FakeQdrant;
import qdrantbackup.testing.TestApp;

/** {@code restore} from a terminal: the real command, a real archive made by backup-now, the inbox's report. */
class RestoreCommandTest {
    @TempDir
    Path dir;

    FakeQdrant qdrant;
    Path config;

    @BeforeEach
    void start() throws Exception {
        qdrant = FakeQdrant.start(dir.resolve("qdrant")).collection("products", 120);
        config = TestApp.settingsFile(dir, qdrant.url(), Map.of("offsite.bucket", ""));
        assertThat(command(new BackupNowCommand(), new ByteArrayOutputStream(), "backup-now"))
                .isZero();
    }

    @AfterEach
    void stop() {
        qdrant.close();
    }

    private int command(Command c, ByteArrayOutputStream out, String... words) throws Exception {
        List<String> args = new ArrayList<>(List.of(words));
        args.addAll(List.of("--config", config.toString(), "--routes", "routes"));
        return c.run(
                CommandLine.parse(args.toArray(String[]::new)), new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    private int restore(ByteArrayOutputStream out, String... words) throws Exception {
        List<String> args = new ArrayList<>(List.of("restore"));
        args.addAll(List.of(words));
        return command(new RestoreCommand(), out, args.toArray(String[]::new));
    }

    @Test
    void restoresTheLatestBackupIntoANewNameAndExitsZeroWhenHealthy() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = restore(out, "products", "--target", "products_copy");

        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(printed).isZero();
        assertThat(printed).contains("RESTORED").contains("products_copy").contains("report: ");
        assertThat(qdrant.points("products_copy")).isEqualTo(120);
        try (Stream<Path> done = Files.list(dir.resolve("inbox").resolve("done"))) {
            assertThat(done.map(p -> p.getFileName().toString()))
                    .anyMatch(n -> n.startsWith("restore-command-") && n.endsWith(".restore.json.report.json"));
        }
    }

    @Test
    void overAnExistingCollectionItTakesTheSafetyCopyFirst() throws Exception {
        qdrant.collection("products", 150); // written to since the backup
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = restore(out, "products", "--snapshot", "latest");

        assertThat(code).as(out.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(qdrant.points("products")).isEqualTo(120);
        try (Stream<Path> saved =
                Files.list(dir.resolve("archive").resolve("products").resolve("pre-restore"))) {
            assertThat(saved.map(p -> p.getFileName().toString())).anyMatch(n -> n.endsWith(".snapshot"));
        }
    }

    @Test
    void anUnknownSnapshotIsRefusedWithItsOwnExitCodeAndChangesNothing() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = restore(out, "products", "--snapshot", "products-1-2020-01-01-00-00-00.snapshot");

        assertThat(code).isEqualTo(RestoreCommand.REFUSED);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("REFUSED")
                .contains("products-1-2020-01-01-00-00-00.snapshot")
                .contains("is neither in the local archive nor offsite");
        assertThat(qdrant.countRequests("POST", ".*/snapshots/upload")).isZero();
        assertThat(qdrant.points("products")).isEqualTo(120);
    }

    @Test
    void badArgumentsSayWhatIsMissingAndStartNothing() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(restore(out)).isEqualTo(RestoreCommand.BAD_ARGUMENTS);
        assertThat(restore(out, "products", "--target")).isEqualTo(RestoreCommand.BAD_ARGUMENTS);
        assertThat(restore(out, "products", "--force")).isEqualTo(RestoreCommand.BAD_ARGUMENTS);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("restore: name the collection to restore")
                .contains("restore: --target needs a value")
                .contains("restore: unknown flag --force")
                .contains("usage: restore COLLECTION");
        assertThat(dir.resolve("inbox").resolve("done")).doesNotExist();
    }
}
