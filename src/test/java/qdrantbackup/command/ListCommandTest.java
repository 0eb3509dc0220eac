package qdrantbackup.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.backup.BackupJob;
import qdrantbackup.backup.BackupRun;
import qdrantbackup.testing.FakeQdrant;
import qdrantbackup.testing.TestApp;

/** {@code list [collection] [--json]} on an archive a real backup run filled. */
class ListCommandTest {
    @TempDir
    Path dir;

    FakeQdrant qdrant;
    BackupRun run;
    Path config;

    @BeforeEach
    void backedUp() throws Exception {
        qdrant = FakeQdrant.start(dir.resolve("qdrant"))
                .collection("products", 120)
                .collection("users", 40);
        try (TestApp app = TestApp.start(dir, qdrant.url(), Map.of())) {
            run = app.backupNow();
        }
        assertThat(run.isOk()).isTrue();
        // the operator's settings file, pointing at this test's folders (later keys win)
        config = TestApp.settingsFile(dir, qdrant.url(), Map.of());
    }

    @AfterEach
    void stop() {
        qdrant.close();
    }

    @Test
    void printsOneLinePerBackupWithShortHashWhereAndRetention() throws Exception {
        String out = list("list");
        List<String> lines = out.lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0))
                .startsWith("COLLECTION")
                .contains("CREATED (UTC)")
                .contains("RETENTION");
        BackupJob products = run.getJobs().get(0);
        assertThat(lines.get(1))
                .startsWith("products")
                .contains(products.getSha256().substring(0, 12))
                .contains("64.0 KiB")
                .contains("local")
                .contains("keep (keep-last, daily ");
        assertThat(lines.get(2)).startsWith("users");

        assertThat(list("list", "users").lines()).hasSize(2);
        assertThat(list("list", "nothing")).isEqualTo("no backups found\n");
    }

    @Test
    void jsonForScripts() throws Exception {
        JsonNode json = new ObjectMapper().readTree(list("list", "--json"));
        assertThat(json).hasSize(2);
        JsonNode users = json.get(1);
        BackupJob job = run.getJobs().get(1);
        assertThat(users.path("collection").asText()).isEqualTo("users");
        assertThat(users.path("snapshot").asText()).isEqualTo(job.getSnapshot());
        assertThat(users.path("sha256").asText()).isEqualTo(job.getSha256());
        assertThat(users.path("size").asLong()).isEqualTo(job.getBytes());
        assertThat(users.path("where").asText()).isEqualTo("local");
        assertThat(users.path("kept").asBoolean()).isTrue();
        assertThat(users.path("retention").path("local").asText()).startsWith("keep-last");
    }

    private String list(String... args) throws Exception {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(new String[] {"--config", config.toString(), "--routes", "routes"}, 0, all, args.length, 4);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = new ListCommand().run(CommandLine.parse(all), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertThat(code).isZero();
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
