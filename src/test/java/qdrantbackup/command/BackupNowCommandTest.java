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
import qdrantbackup.store.local.LocalStore;
import qdrantbackup.testing.FakeQdrant;
import qdrantbackup.testing.S3Server;
import qdrantbackup.testing.TestApp;

/** {@code backup-now} as cron runs it: the operator's settings file, one line per collection, an exit code. */
class BackupNowCommandTest {
    @TempDir
    Path dir;

    FakeQdrant qdrant;
    S3Server s3;

    @BeforeEach
    void start() {
        qdrant = FakeQdrant.start(dir.resolve("qdrant")).collection("products", 120);
        s3 = S3Server.start("backups");
    }

    @AfterEach
    void stop() {
        qdrant.close();
        s3.close();
    }

    private Path config(String bucket) throws Exception {
        Map<String, String> offsite = s3.settings("qdrant-backup");
        offsite.put("offsite.bucket", bucket);
        return TestApp.settingsFile(dir, qdrant.url(), offsite);
    }

    private int backupNow(Path config, ByteArrayOutputStream out) throws Exception {
        return new BackupNowCommand()
                .run(
                        CommandLine.parse(
                                new String[] {"backup-now", "--config", config.toString(), "--routes", "routes"}),
                        new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @Test
    void backsUpAndShipsAndExitsZero() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(backupNow(config("backups"), out)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .containsPattern("(?m)^products +OK ")
                .endsWith("backup succeeded\n");
        assertThat(s3.client().listObjectsV2(r -> r.bucket("backups")).contents())
                .anyMatch(o -> o.key().endsWith(".snapshot"));
    }

    @Test
    void aMissingBucketStillLeavesALocalBackupAndSaysWhy() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = backupNow(config("no-such-bucket"), out);

        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(code).isEqualTo(1);
        assertThat(printed)
                .containsPattern("(?m)^products +LOCAL_ONLY ")
                .contains("no-such-bucket")
                .doesNotContain(s3.secretKey())
                .endsWith("backup FAILED\n");
        assertThat(new LocalStore(dir.resolve("archive")).list("products")).hasSize(1);
    }
}
