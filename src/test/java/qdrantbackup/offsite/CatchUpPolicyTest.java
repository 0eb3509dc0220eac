package qdrantbackup.offsite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.testing.Backups;
import qdrantbackup.testing.FakeQdrant;
import qdrantbackup.testing.LogCapture;
import qdrantbackup.testing.S3Server;
import qdrantbackup.testing.TestApp;

/** A bucket with a stricter policy than the archive: catch-up uploads only what the bucket keeps. */
class CatchUpPolicyTest {
    @TempDir
    Path dir;

    FakeQdrant qdrant;
    S3Server s3;
    TestApp app;

    @BeforeEach
    void start() throws Exception {
        qdrant = FakeQdrant.start(dir.resolve("qdrant")); // no collections: the runs only catch up
        s3 = S3Server.start();
        Map<String, String> o = s3.settings("q");
        o.put("retention.daily", "7");
        o.put("offsite.retention.daily", "3");
        app = TestApp.start(dir, qdrant.url(), o);
    }

    @AfterEach
    void stop() {
        app.close();
        qdrant.close();
        s3.close();
    }

    private List<String> snapshotsInTheBucket() {
        return s3.keys("q/products/").stream()
                .filter(k -> k.endsWith(".snapshot"))
                .map(k -> k.substring(k.lastIndexOf('/') + 1))
                .sorted()
                .toList();
    }

    @Test
    void catchUpUploadsOnlyWhatTheBucketKeepsAndASecondRunChangesNothing() throws Exception {
        // Monday 2026-06-01 .. Sunday 2026-06-07, one a day: the archive's daily 7 keeps them all
        IntStream.rangeClosed(1, 7).forEach(d -> write(Instant.parse("2026-06-0" + d + "T02:00:00Z")));
        List<String> expected = IntStream.rangeClosed(5, 7)
                .mapToObj(d -> Backups.name("products", Instant.parse("2026-06-0" + d + "T02:00:00Z")))
                .toList();

        try (LogCapture logs = new LogCapture()) {
            app.backupNow();
            assertThat(snapshotsInTheBucket()).containsExactlyElementsOf(expected);
            assertThat(logs.lines()).anyMatch(l -> l.contains("offsite catch-up: 3 uploaded, 0 failed"));
        }

        try (LogCapture logs = new LogCapture()) {
            app.backupNow();
            app.camel().createProducerTemplate().requestBody("direct:expire", false);

            assertThat(snapshotsInTheBucket()).containsExactlyElementsOf(expected);
            assertThat(logs.lines())
                    .noneMatch(l -> l.contains("is missing offsite") || l.contains("uploaded"))
                    .noneMatch(l -> l.contains(": expired "));
            assertThat(logs.lines()).anyMatch(l -> l.contains("products: 3 kept, 0 expired"));
            assertThat(logs.lines()).anyMatch(l -> l.contains("products: 7 kept, 0 expired"));
        }
    }

    private void write(Instant when) {
        try {
            Backups.write(app.archive, "products", when);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
