package qdrantbackup.drill;

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
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.command.BackupNowCommand;
import qdrantbackup.command.Command;
import qdrantbackup.command.CommandLine;
import qdrantbackup.command.DrillCommand;
import qdrantbackup.command.ListCommand;
import qdrantbackup.testing.FakeQdrant;
import qdrantbackup.testing.TestApp;

/** The {@code drill} command line and what {@code list} then shows, on the real routes and a real archive. */
class DrillCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    FakeQdrant qdrant;
    Path config;

    @BeforeEach
    void start() throws Exception {
        qdrant = FakeQdrant.start(dir.resolve("qdrant"))
                .collection("products", 120)
                .payloadIndex("products", "tag", "keyword")
                .collection("users", 60);
        config = TestApp.settingsFile(dir, qdrant.url(), Map.of());
        assertThat(run(new BackupNowCommand(), "backup-now").code).isZero();
    }

    @AfterEach
    void stop() {
        qdrant.close();
    }

    record Ran(int code, String out) {}

    private Ran run(Command c, String... words) throws Exception {
        String[] args = new String[words.length + 4];
        System.arraycopy(words, 0, args, 0, words.length);
        System.arraycopy(new String[] {"--config", config.toString(), "--routes", "routes"}, 0, args, words.length, 4);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = c.run(CommandLine.parse(args), new PrintStream(out, true, StandardCharsets.UTF_8));
        return new Ran(code, out.toString(StandardCharsets.UTF_8));
    }

    private String snapshot(String collection) throws Exception {
        try (Stream<Path> files = Files.list(dir.resolve("archive").resolve(collection))) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".snapshot"))
                    .findFirst()
                    .orElseThrow();
        }
    }

    private static String row(String table, String collection) {
        return table.lines()
                .filter(l -> l.startsWith(collection + " "))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void exitsZeroWhenAllAreProvenAndNonZeroNamingTheCollectionAndTheCheck() throws Exception {
        Ran proven = run(new DrillCommand(), "drill", "products");
        assertThat(proven.code).as(proven.out).isZero();
        assertThat(proven.out)
                .containsPattern("(?m)^products +PROVEN +" + snapshot("products") + " restored and checked")
                .doesNotContain("users")
                .endsWith("drill passed\n");

        // the catalogue: products proven, users never drilled
        Ran list = run(new ListCommand(), "list");
        assertThat(list.out.lines().findFirst().orElseThrow()).contains("VERIFIED");
        assertThat(row(list.out, "products")).containsPattern(" \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ ok ");
        assertThat(row(list.out, "users")).contains(" never ");

        long victim = DrillTest.damage(dir.resolve("archive"), "users", snapshot("users"));
        Ran failed = run(new DrillCommand(), "drill");
        assertThat(failed.code).as(failed.out).isEqualTo(1);
        assertThat(failed.out)
                .containsPattern("(?m)^products +PROVEN ")
                .containsPattern(
                        "(?m)^users +FAILED +points: point\\(s\\) " + victim + " differ from the backup's hash")
                .endsWith("drill FAILED\n");
        assertThat(qdrant.collectionNames()).containsExactlyInAnyOrder("products", "users");

        JsonNode json = JSON.readTree(run(new ListCommand(), "list", "--json").out);
        assertThat(json).hasSize(2);
        assertThat(json.get(0).path("collection").asText()).isEqualTo("products");
        assertThat(json.get(0).path("verified").asText()).endsWith("Z ok");
        assertThat(json.get(1).path("verified").asText()).endsWith("Z FAILED");
    }

    @Test
    void aCollectionWithoutAnyBackupFailsTheCommand() throws Exception {
        qdrant.collection("fresh", 5);
        Ran r = run(new DrillCommand(), "drill", "fresh");
        assertThat(r.code).isEqualTo(1);
        assertThat(r.out).containsPattern("(?m)^fresh +FAILED +collection fresh has no backup in the archive");
        List<String> reports;
        try (Stream<Path> files = Files.list(dir.resolve("state").resolve("drills"))) {
            reports = files.map(p -> p.getFileName().toString()).toList();
        }
        assertThat(reports).singleElement().asString().startsWith("fresh-").endsWith(".json");
    }
}
