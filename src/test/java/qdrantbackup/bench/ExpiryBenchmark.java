package qdrantbackup.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.retention.Expire;
import qdrantbackup.testing.Backups;
import qdrantbackup.testing.FakeQdrant;
import qdrantbackup.testing.S3Server;
import qdrantbackup.testing.TestApp;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * How long planning and expiring take for 2,000 backups (4,000 objects) in S3Proxy. Not part of the
 * test suite: run bench/retention-expiry.sh.
 */
@EnabledIfSystemProperty(named = "bench", matches = "true")
class ExpiryBenchmark {
    @TempDir
    Path dir;

    @Test
    void expire2000BackupsInTheBucket() throws Exception {
        int backups = Integer.getInteger("bench.backups", 2000);
        try (FakeQdrant qdrant = FakeQdrant.start(dir.resolve("qdrant"));
                S3Server s3 = S3Server.start()) {
            Instant first = Instant.parse("2020-07-01T02:00:00Z");
            IntStream.range(0, backups).parallel().forEach(d -> {
                String name = Backups.name("products", first.plus(Duration.ofDays(d)));
                for (String key : List.of("q/products/" + name, "q/products/" + name + ".json")) {
                    s3.client().putObject(b -> b.bucket(s3.bucket()).key(key), RequestBody.fromString(key));
                }
            });
            TestApp app = TestApp.start(dir, qdrant.url(), s3.settings("q"));
            try {
                long t0 = System.nanoTime();
                List<?> plan = app.camel().createProducerTemplate().requestBody("direct:expire", true, List.class);
                long t1 = System.nanoTime();
                app.camel().createProducerTemplate().requestBody("direct:expire", false, List.class);
                long t2 = System.nanoTime();
                Expire.Outcome o = (Expire.Outcome) plan.get(plan.size() - 1);
                System.out.printf(
                        "%nBENCH expiry: %d backups (%d objects) in S3Proxy: plan (list + plan, dry run)"
                                + " %.2fs; expire (list + plan + delete %d backups) %.2fs; kept %d%n",
                        backups,
                        2 * backups,
                        (t1 - t0) / 1e9,
                        o.plan().expired().size(),
                        (t2 - t1) / 1e9,
                        o.plan().kept().size());
                assertThat(s3.keys("q/products/")).hasSize(2 * o.plan().kept().size());
            } finally {
                app.close();
            }
        }
    }
}
