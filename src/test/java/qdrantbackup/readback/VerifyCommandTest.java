package qdrantbackup.readback;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.command.BackupNowCommand;
import qdrantbackup.command.Command;
import qdrantbackup.command.CommandLine;
import qdrantbackup.command.VerifyCommand;
import qdrantbackup.testing.Damage;
import qdrantbackup.testing.FakeQdrant;
import qdrantbackup.testing.LogCapture;
import qdrantbackup.testing.S3Server;
import qdrantbackup.testing.TestApp;

/** {@code verify}: the real command reads back a real S3 API bucket; one object is damaged behind its back. */
class VerifyCommandTest {
    private static final List<String> COLLECTIONS = List.of("alpha", "beta", "gamma", "delta", "epsilon");

    @TempDir
    Path dir;

    FakeQdrant qdrant;
    S3Server s3;
    Path config;

    @BeforeEach
    void start() throws Exception {
        qdrant = FakeQdrant.start(dir.resolve("qdrant"));
        COLLECTIONS.forEach(c -> qdrant.collection(c, 50));
        s3 = S3Server.start("backups");
        Map<String, String> offsite = s3.settings("qdrant-backup");
        offsite.put("offsite.bucket", "backups");
        config = TestApp.settingsFile(dir, qdrant.url(), offsite);
        assertThat(run(new BackupNowCommand(), new ByteArrayOutputStream(), "backup-now"))
                .isZero();
    }

    @AfterEach
    void stop() {
        qdrant.close();
        s3.close();
    }

    private int run(Command c, ByteArrayOutputStream out, String... words) throws Exception {
        String[] args = new String[words.length + 4];
        System.arraycopy(words, 0, args, 0, words.length);
        System.arraycopy(new String[] {"--config", config.toString(), "--routes", "routes"}, 0, args, words.length, 4);
        return c.run(CommandLine.parse(args), new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    private String snapshotKey(String collection) {
        return s3.storedFiles().stream()
                .filter(k -> k.contains("/" + collection + "/") && k.endsWith(".snapshot"))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void findsTheOneDamagedObjectAmongManyAndRecordsEachReadBack() throws Exception {
        String damaged = snapshotKey("gamma");
        // one byte flipped in the bucket's own storage: the object's metadata still claims the old SHA-256
        Damage.flipMiddleByte(s3.bucketDir().resolve(damaged));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code;
        List<String> errors;
        try (LogCapture logs = new LogCapture()) {
            code = run(new VerifyCommand(), out, "verify", "--all");
            errors = logs.lines().stream().filter(l -> l.startsWith("ERROR")).toList();
        }

        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(printed).isEqualTo(1);
        assertThat(printed).containsPattern("(?m)^gamma +DAMAGED ").contains("5 backups read back, 1 not ok");
        for (String ok : List.of("alpha", "beta", "delta", "epsilon")) {
            assertThat(printed).containsPattern("(?m)^" + ok + " +OK ");
        }
        // said once, naming the bucket and key, and what to do
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0))
                .contains("s3://backups/" + damaged)
                .contains("bytes differ from the manifest")
                .contains("backup-now gamma")
                .doesNotContain(s3.secretKey());
        // every read-back is on record, the damaged one as such
        JsonNode state = new ObjectMapper()
                .readTree(dir.resolve("state").resolve("read-back.json").toFile());
        assertThat(state.size()).isEqualTo(5);
        state.fields().forEachRemaining(e -> {
            assertThat(e.getValue().path("at").asText()).isNotBlank();
            assertThat(e.getValue().path("ok").asBoolean())
                    .as(e.getKey())
                    .isEqualTo(!e.getKey().startsWith("gamma/"));
        });
    }

    @Test
    void aMissingObjectIsReportedAndAHealthyBucketExitsZero() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(run(new VerifyCommand(), out, "verify", "--all"))
                .as(out.toString())
                .isZero();

        Files.delete(s3.bucketDir().resolve(snapshotKey("beta")));
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        assertThat(run(new VerifyCommand(), again, "verify", "beta", "--all")).isEqualTo(1);
        assertThat(again.toString(StandardCharsets.UTF_8))
                .containsPattern("(?m)^beta +MISSING ")
                .contains("the object is missing");
    }
}
