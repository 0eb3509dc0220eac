package qdrantbackup.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static qdrantbackup.restore.Inboxes.drop;
import static qdrantbackup.restore.Inboxes.dropManifest;
import static qdrantbackup.restore.Inboxes.dropText;
import static qdrantbackup.restore.Inboxes.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import qdrantbackup.testing.FakeQdrant;
import qdrantbackup.testing.LogCapture;
import qdrantbackup.testing.TestApp;

/** Every kind of bad drop is refused with one actionable sentence, and the existing collection is untouched. */
class RestoreBadInputTest {
    static final String NAME = Inboxes.name("products", 9);

    @TempDir
    Path dir;

    FakeQdrant qdrant;
    TestApp app;
    Path inbox;

    /** Drops something bad; returns the file whose report to read. */
    @FunctionalInterface
    interface BadDrop {
        String drop(Path work, Path inbox) throws Exception;
    }

    @BeforeEach
    void qdrant() throws Exception {
        qdrant = FakeQdrant.start(dir.resolve("qdrant"))
                .collection("products", 1200)
                .alias("shop", "products");
        inbox = dir.resolve("inbox");
        app = TestApp.start(dir, qdrant.url(), Inboxes.settings(dir));
    }

    @AfterEach
    void stop() {
        app.close();
        qdrant.close();
    }

    static Stream<Arguments> badDrops() {
        return Stream.of(
                bad("a 0-byte file", "is empty (0 bytes)", (w, in) -> {
                    dropText(in, NAME, "");
                    return NAME;
                }),
                bad("a file that is not a tar", "is not a tar archive", (w, in) -> {
                    dropText(in, NAME, "this is a text file, not a snapshot\n".repeat(40));
                    return NAME;
                }),
                bad("a truncated tar", "truncated tar archive", (w, in) -> {
                    Path tar = tar(w, 10);
                    byte[] all = Files.readAllBytes(tar);
                    Files.write(tar, Arrays.copyOf(all, all.length * 2 / 3));
                    drop(in, tar, NAME);
                    return NAME;
                }),
                bad("a manifest that is not JSON", "is not valid JSON or lacks", (w, in) -> {
                    dropText(in, NAME + ".json", "{\"collection\": \"products\", oops");
                    drop(in, tar(w, 10), NAME);
                    return NAME;
                }),
                bad("a manifest missing fields", "is not valid JSON or lacks", (w, in) -> {
                    dropText(in, NAME + ".json", "{\"collection\": \"products\"}");
                    drop(in, tar(w, 10), NAME);
                    return NAME;
                }),
                bad("a request that is not JSON", "is not valid JSON", (w, in) -> {
                    dropText(in, "r.restore.json", "collection=products");
                    return "r.restore.json";
                }),
                bad("a request missing the snapshot", "lacks \"snapshot\"", (w, in) -> {
                    dropText(in, "r.restore.json", "{\"collection\": \"products\"}");
                    return "r.restore.json";
                }),
                bad("a request with a field of the wrong type", "\"replace\" must be true or false", (w, in) -> {
                    dropText(
                            in,
                            "r.restore.json",
                            "{\"collection\": \"products\", \"snapshot\": \"latest\", \"replace\": \"yes\"}");
                    return "r.restore.json";
                }),
                bad(
                        "a request naming a snapshot that exists nowhere",
                        "is neither in the local archive nor offsite",
                        (w, in) -> {
                            dropText(
                                    in,
                                    "r.restore.json",
                                    "{\"collection\": \"products\", \"snapshot\": \"" + NAME + "\"}");
                            return "r.restore.json";
                        }),
                bad("a request for a collection without backups", "has no backup", (w, in) -> {
                    dropText(in, "r.restore.json", "{\"collection\": \"products\", \"snapshot\": \"latest\"}");
                    return "r.restore.json";
                }),
                bad("a target with a slash", "contains '/'", (w, in) -> request(in, "a/b")),
                bad("a target of ..", "outside the archive folder", (w, in) -> request(in, "..")),
                bad("a target with a character Qdrant refuses", "contains '*'", (w, in) -> request(in, "prod*")),
                bad("a snapshot name that climbs out of the archive", "contains '/'", (w, in) -> {
                    dropText(
                            in, "r.restore.json", "{\"collection\": \"products\", \"snapshot\": \"../../etc/passwd\"}");
                    return "r.restore.json";
                }),
                bad("a full-storage snapshot", "only at start-up", (w, in) -> {
                    drop(in, tar(w, 10), "full-snapshot-2026-01-01-00-00-00.snapshot");
                    return "full-snapshot-2026-01-01-00-00-00.snapshot";
                }),
                bad(
                        "a bare snapshot whose name does not say the collection",
                        "does not say which collection",
                        (w, in) -> {
                            drop(in, tar(w, 10), "my data.snapshot");
                            return "my data.snapshot";
                        }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badDrops")
    void isRefusedAndLeavesTheCollectionAsItWas(String what, String reason, BadDrop bad) throws Exception {
        try (LogCapture logs = new LogCapture()) {
            String file = bad.drop(dir, inbox);

            JsonNode report = report(inbox, file);
            assertThat(report.path("outcome").asText()).as(report.toString()).isEqualTo("REFUSED");
            assertThat(report.path("reason").asText()).contains(reason);
            assertThat(inbox.resolve("failed").resolve(file)).exists();
            assertThat(inbox.resolve(file)).doesNotExist();
            // nothing in Qdrant changed
            assertThat(qdrant.countRequests("POST", ".*/snapshots/upload")).isZero();
            assertThat(qdrant.countRequests("DELETE", ".*")).isZero();
            assertThat(qdrant.points("products")).isEqualTo(1200);
            assertThat(qdrant.aliases()).containsEntry("shop", "products");
            // said once, as an error
            assertThat(logs.lines())
                    .filteredOn(l -> l.startsWith("ERROR") && l.contains(reason))
                    .hasSize(1);
        }
    }

    @Test
    void aSnapshotWhoseSha256DiffersFromItsManifestIsRefusedByQdrantAndChangesNothing() throws Exception {
        try (LogCapture logs = new LogCapture()) {
            Path tar = tar(dir, 10);
            dropManifest(
                    inbox,
                    NAME + ".json",
                    Inboxes.manifest("products", NAME, tar, "ab".repeat(32), Files.size(tar), Map.of()));
            drop(inbox, tar, NAME);

            JsonNode report = report(inbox, NAME);
            assertThat(report.path("outcome").asText()).as(report.toString()).isEqualTo("REFUSED");
            assertThat(report.path("reason").asText())
                    .contains("does not match its manifest")
                    .contains("Checksum mismatch")
                    .contains("nothing in Qdrant was changed");
            assertThat(inbox.resolve("failed").resolve(NAME)).exists();
            // one read of the file: the upload, which Qdrant refused on the checksum before recovering
            assertThat(qdrant.countRequests("POST", ".*/snapshots/upload")).isEqualTo(1);
            assertThat(qdrant.countRequests("DELETE", "/collections/products")).isZero();
            assertThat(qdrant.points("products")).isEqualTo(1200);
            assertThat(qdrant.aliases()).containsEntry("shop", "products");
            // the safety copy taken for it is not left behind
            try (Stream<Path> left = Files.walk(dir.resolve("archive"))) {
                assertThat(left.filter(p -> p.toString().contains("pre-restore") && Files.isRegularFile(p)))
                        .isEmpty();
            }
            assertThat(logs.lines())
                    .filteredOn(l -> l.startsWith("ERROR") && l.contains("does not match its manifest"))
                    .hasSize(1);
        }
    }

    private static Arguments bad(String what, String reason, BadDrop drop) {
        return Arguments.of(what, reason, drop);
    }

    private static String request(Path in, String target) {
        dropText(
                in,
                "r.restore.json",
                "{\"collection\": \"products\", \"snapshot\": \"latest\", \"target\": \"" + target + "\"}");
        return "r.restore.json";
    }

    private static Path tar(Path work, long points) {
        Path tar = work.resolve("made-" + System.nanoTime() + ".snapshot");
        FakeQdrant.writeSnapshotTar(tar, "products", points, FakeQdrant.DEFAULT_VECTORS, 1, 64 * 1024);
        return tar;
    }
}
