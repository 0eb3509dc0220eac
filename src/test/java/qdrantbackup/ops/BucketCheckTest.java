package qdrantbackup.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.command.StartupException;
import qdrantbackup.testing.FakeQdrant;
import qdrantbackup.testing.LogCapture;
import qdrantbackup.testing.S3Server;
import qdrantbackup.testing.TestApp;

/** The bucket is probed at start-up: a bucket that does not exist stops the start with one line. */
class BucketCheckTest {
    @TempDir
    Path dir;

    FakeQdrant qdrant;
    S3Server s3;

    @BeforeEach
    void start() {
        qdrant = FakeQdrant.start(dir.resolve("qdrant")).collection("users", 4);
        s3 = S3Server.start("backups");
    }

    @AfterEach
    void stop() {
        qdrant.close();
        s3.close();
    }

    private Map<String, String> offsite(String bucket, String endpoint) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("offsite.bucket", bucket);
        o.put("offsite.endpoint", endpoint);
        o.put("offsite.access-key", s3.accessKey());
        o.put("offsite.secret-key", s3.secretKey());
        o.put("offsite.region", s3.region());
        return o;
    }

    @Test
    void aBucketThatDoesNotExistStopsTheStart() {
        Throwable e = catchThrowable(() -> TestApp.start(
                        dir,
                        qdrant.url(),
                        offsite("no-such-bucket", s3.endpoint().toString()))
                .close());
        assertThat(e).isInstanceOf(StartupException.class);
        assertThat(e.getMessage())
                .startsWith("setting offsite.bucket=no-such-bucket does not work: ")
                .contains("no-such-bucket")
                .doesNotContain("\n")
                .doesNotContain(s3.secretKey());
    }

    @Test
    void refusedCredentialsStopTheStartWithoutShowingThem() {
        Map<String, String> o = offsite("backups", s3.endpoint().toString());
        o.put("offsite.secret-key", "not-the-secret-0123456789");
        Throwable e = catchThrowable(() -> TestApp.start(dir, qdrant.url(), o).close());
        assertThat(e.getMessage())
                .startsWith("setting offsite.bucket=backups does not work: S3 refused the credentials")
                .doesNotContain("not-the-secret-0123456789");
    }

    @Test
    void anExistingBucketPassesAndAnUnreachableStoreOnlyWarns() throws Exception {
        TestApp.start(dir, qdrant.url(), offsite("backups", s3.endpoint().toString()))
                .close();
        try (LogCapture logs = new LogCapture()) {
            TestApp.start(dir, qdrant.url(), offsite("backups", "http://127.0.0.1:1"))
                    .close();
            assertThat(logs.lines())
                    .anyMatch(l ->
                            l.startsWith("WARN offsite bucket backups cannot be checked now," + " starting anyway"));
        }
    }
}
