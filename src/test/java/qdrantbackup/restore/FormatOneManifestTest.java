package qdrantbackup.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static qdrantbackup.restore.Inboxes.dropText;
import static qdrantbackup.restore.Inboxes.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.store.Manifest;
import qdrantbackup.store.local.LocalStore;
import qdrantbackup.testing.FakeQdrant;
import qdrantbackup.testing.S3Server;
import qdrantbackup.testing.TestApp;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * A backup written before backups were sets (format 1: no {@code format}, no {@code files}; the fixture is
 * byte for byte what that version wrote) still lists and restores, from the archive and from the bucket.
 */
class FormatOneManifestTest {
    static final Path FIXTURE = Path.of("src/test/resources/fixtures/format-1/products");
    static final String NAME = "products-11532566549086892528-2026-11-20-02-00-00.snapshot";

    @TempDir
    Path dir;

    S3Server s3;
    FakeQdrant qdrant;
    TestApp app;
    Path inbox;

    @BeforeEach
    void start() throws Exception {
        s3 = S3Server.start();
        qdrant = FakeQdrant.start(dir.resolve("qdrant"));
        inbox = dir.resolve("inbox");
        Map<String, String> o = new HashMap<>(Inboxes.settings(dir));
        o.putAll(s3.settings("qb"));
        o.put("offsite.path-style", "true");
        app = TestApp.start(dir, qdrant.url(), o);
    }

    @AfterEach
    void stop() {
        app.close();
        qdrant.close();
        s3.close();
    }

    @Test
    void aFormatOneBackupInTheArchiveIsListedAndRestored() throws Exception {
        Path folder = Files.createDirectories(app.archive.resolve("products"));
        Files.copy(FIXTURE.resolve(NAME), folder.resolve(NAME));
        Files.copy(FIXTURE.resolve(NAME + ".json"), folder.resolve(NAME + ".json"));

        assertThat(new LocalStore(app.archive).list("products")).singleElement().satisfies(m -> {
            assertThat(m.format()).isNull();
            assertThat(m.dataFiles()).extracting(Manifest.DataFile::name).containsExactly(NAME);
        });
        JsonNode report = restoreLatestInto("products_old");
        assertThat(report.path("outcome").asText()).as(report.toString()).isEqualTo("RESTORED");
        assertThat(report.path("source").asText()).isEqualTo("archive");
        assertThat(qdrant.points("products_old")).isEqualTo(12);
    }

    @Test
    void aFormatOneBackupInTheBucketIsFetchedAndRestored() throws Exception {
        String sha = FakeQdrant.sha256(FIXTURE.resolve(NAME));
        // as that version uploaded it: the snapshot with its sha256 metadata, then the manifest
        s3.client()
                .putObject(
                        b -> b.bucket(s3.bucket()).key("qb/products/" + NAME).metadata(Map.of("sha256", sha)),
                        RequestBody.fromFile(FIXTURE.resolve(NAME)));
        s3.client()
                .putObject(
                        b -> b.bucket(s3.bucket()).key("qb/products/" + NAME + ".json"),
                        RequestBody.fromFile(FIXTURE.resolve(NAME + ".json")));

        JsonNode report = restoreLatestInto("products_old");
        assertThat(report.path("outcome").asText()).as(report.toString()).isEqualTo("RESTORED");
        assertThat(report.path("source").asText()).isEqualTo("offsite");
        assertThat(report.path("snapshot").asText()).isEqualTo(NAME);
        assertThat(qdrant.points("products_old")).isEqualTo(12);
        assertThat(new LocalStore(app.archive).list("products"))
                .extracting(Manifest::snapshot)
                .containsExactly(NAME);
    }

    private JsonNode restoreLatestInto(String target) {
        dropText(
                inbox,
                "old.restore.json",
                "{\"collection\": \"products\", \"snapshot\": \"latest\", \"target\": \"" + target + "\"}");
        return report(inbox, "old.restore.json");
    }
}
