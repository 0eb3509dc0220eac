package qdrantbackup.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static qdrantbackup.restore.Inboxes.drop;
import static qdrantbackup.restore.Inboxes.dropText;
import static qdrantbackup.restore.Inboxes.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.testing.FakeQdrant;
import qdrantbackup.testing.LogCapture;
import qdrantbackup.testing.TestApp;

/** Links, FIFOs, folders and oversized JSON in the inbox: refused or ignored, never read, never blocking. */
class HostileInboxTest {
    static final String NAME = Inboxes.name("products", 9);
    static final String SECRET = "s3cr3t-Passw0rd-do-not-print";

    @TempDir
    Path dir;

    FakeQdrant qdrant;
    TestApp app;
    Path inbox;
    LogCapture logs;

    @BeforeEach
    void start() throws Exception {
        logs = new LogCapture();
        qdrant = FakeQdrant.start(dir.resolve("qdrant")).collection("products", 1200);
        inbox = Files.createDirectories(dir.resolve("inbox"));
        app = TestApp.start(dir, qdrant.url(), Inboxes.settings(dir));
    }

    @AfterEach
    void stop() {
        app.close();
        qdrant.close();
        logs.close();
    }

    @Test
    void aLinkAsRequestOrSnapshotIsRefusedWithoutReadingItsTarget() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.txt"), SECRET + "\n");
        Files.createSymbolicLink(inbox.resolve("evil.restore.json"), secret);
        JsonNode request = report(inbox, "evil.restore.json");
        Files.createSymbolicLink(inbox.resolve(NAME), secret);
        JsonNode snapshot = report(inbox, NAME);

        for (JsonNode r : new JsonNode[] {request, snapshot}) {
            assertThat(r.path("outcome").asText()).isEqualTo("REFUSED");
            assertThat(r.path("reason").asText()).contains("is a symbolic link").contains("copy the real file");
        }
        // the links themselves are filed, the target stays where it was
        assertThat(Files.isSymbolicLink(inbox.resolve("failed").resolve("evil.restore.json")))
                .isTrue();
        assertThat(Files.isSymbolicLink(inbox.resolve("failed").resolve(NAME))).isTrue();
        assertThat(secret).hasContent(SECRET);
        assertThat(logs.text()).doesNotContain(SECRET).contains("is a symbolic link");
        assertThat(Files.readString(inbox.resolve("failed").resolve("evil.restore.json.report.json")))
                .doesNotContain(SECRET);
        assertThat(Files.readString(inbox.resolve("failed").resolve(NAME + ".report.json")))
                .doesNotContain(SECRET);
        assertThat(qdrant.countRequests("POST", ".*/snapshots/upload")).isZero();
    }

    @Test
    void aManifestBesideASnapshotThatIsALinkIsRefused() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.json"), "{\"collection\": \"" + SECRET + "\"}");
        Files.createSymbolicLink(inbox.resolve(NAME + ".json"), secret);
        Path tar = dir.resolve("t.snapshot");
        FakeQdrant.writeSnapshotTar(tar, "products", 10, FakeQdrant.DEFAULT_VECTORS, 1, 64 * 1024);
        drop(inbox, tar, NAME);

        JsonNode r = report(inbox, NAME);
        assertThat(r.path("outcome").asText()).isEqualTo("REFUSED");
        assertThat(r.path("reason").asText()).contains(NAME + ".json is a symbolic link");
        assertThat(logs.text()).doesNotContain(SECRET);
    }

    @Test
    void foldersAndFifosAreIgnoredWithOneWarningEachAndDoNotBlockTheInbox() throws Exception {
        Files.createDirectories(inbox.resolve("folder.snapshot"));
        mkfifo(inbox.resolve("pipe.snapshot"));
        mkfifo(inbox.resolve("pipe.restore.json"));

        // two drops after them, one after the other: the inbox polled many times and was not stuck on a FIFO
        dropText(inbox, "r1.restore.json", "{}");
        assertThat(report(inbox, "r1.restore.json").path("outcome").asText()).isEqualTo("REFUSED");
        dropText(inbox, "r2.restore.json", "{}");
        assertThat(report(inbox, "r2.restore.json").path("outcome").asText()).isEqualTo("REFUSED");

        assertThat(logs.lines())
                .filteredOn(l -> l.startsWith("WARN") && l.contains("inbox: ignoring"))
                .hasSize(3)
                .anyMatch(l -> l.contains("folder.snapshot: it is a folder"))
                .anyMatch(l -> l.contains("pipe.snapshot: it is not a regular file"))
                .anyMatch(l -> l.contains("pipe.restore.json: it is not a regular file"));
        // left where they are, and no report for them
        assertThat(inbox.resolve("folder.snapshot")).isDirectory();
        assertThat(inbox.resolve("pipe.snapshot")).exists();
        assertThat(inbox.resolve("failed").resolve("pipe.snapshot.report.json")).doesNotExist();
    }

    @Test
    void anOversizedRequestIsRefusedBeforeItIsParsed() throws Exception {
        String padded = "{\"collection\": \"products\", \"snapshot\": \"latest\"" + " ".repeat(200_000) + "}";
        dropText(inbox, "big.restore.json", padded);

        JsonNode r = report(inbox, "big.restore.json");
        assertThat(r.path("outcome").asText()).isEqualTo("REFUSED");
        assertThat(r.path("reason").asText())
                .contains("restore request big.restore.json has 200048 bytes, more than the 65536 bytes");
    }

    @Test
    void anOversizedManifestIsRefusedBeforeItIsParsed() throws Exception {
        Path tar = dir.resolve("t.snapshot");
        FakeQdrant.writeSnapshotTar(tar, "products", 10, FakeQdrant.DEFAULT_VECTORS, 1, 64 * 1024);
        dropText(inbox, NAME + ".json", "{\"collection\": \"products\", \"note\": \"" + "x".repeat(5 << 20) + "\"}");
        drop(inbox, tar, NAME);

        JsonNode r = report(inbox, NAME);
        assertThat(r.path("outcome").asText()).isEqualTo("REFUSED");
        assertThat(r.path("reason").asText())
                .contains("the manifest " + NAME + ".json has")
                .contains("more than the");
    }

    private static void mkfifo(Path path) throws Exception {
        Process p = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
    }
}
