package qdrantbackup.readback;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.testing.Damage;
import qdrantbackup.testing.FakeQdrant;
import qdrantbackup.testing.S3Server;
import qdrantbackup.testing.TestApp;

/** The read-back schedule, through the real routes and real Quartz: the damaged object reaches the webhook and the metrics. */
class VerifyScheduleTest {
    @TempDir
    Path dir;

    FakeQdrant qdrant;
    S3Server s3;
    WireMockServer hook;
    TestApp app;

    @BeforeEach
    void start() {
        qdrant = FakeQdrant.start(dir.resolve("qdrant")).collection("alpha", 30).collection("gamma", 30);
        s3 = S3Server.start("backups");
        hook = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        hook.start();
        hook.stubFor(post(urlPathEqualTo("/hook")).willReturn(aResponse().withStatus(200)));
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        hook.stop();
        s3.close();
        qdrant.close();
    }

    @Test
    void theScheduleReadsBackEveryBackupAndReportsTheDamagedOne() throws Exception {
        Map<String, String> settings = s3.settings("qdrant-backup");
        settings.put("offsite.bucket", "backups");
        settings.put("notify.webhook-url", "http://127.0.0.1:" + hook.port() + "/hook");
        settings.put("verify.schedule.enabled", "true");
        settings.put("verify.schedule.cron", "0/1 * * * * ?");
        app = TestApp.start(dir, qdrant.url(), settings);
        app.backupNow();
        String damaged = s3.storedFiles().stream()
                .filter(k -> k.contains("/gamma/") && k.endsWith(".snapshot"))
                .findFirst()
                .orElseThrow();
        Damage.flipMiddleByte(s3.bucketDir().resolve(damaged));

        MeterRegistry meters = app.camel().getRegistry().lookupByNameAndType("metricsRegistry", MeterRegistry.class);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(gauge(meters, "qdrant_backup_read_back_failed", "gamma")).isEqualTo(1.0);
            assertThat(gauge(meters, "qdrant_backup_last_read_back_timestamp_seconds", "alpha"))
                    .isPositive();
        });
        assertThat(gauge(meters, "qdrant_backup_read_back_failed", "alpha")).isZero();
        await().atMost(Duration.ofSeconds(30)).until(() -> !received().isEmpty());
        JsonNode event = received().get(0);
        assertThat(event.toString()).contains("read-back").contains("gamma").contains(damaged);
    }

    private static double gauge(MeterRegistry meters, String name, String collection) {
        Gauge g = meters.find(name).tag("collection", collection).gauge();
        return g == null ? -1 : g.value();
    }

    private List<JsonNode> received() {
        ObjectMapper json = new ObjectMapper();
        return hook.findAll(postRequestedFor(urlPathEqualTo("/hook"))).stream()
                .map(r -> {
                    try {
                        return json.readTree(r.getBodyAsString());
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException(e);
                    }
                })
                .toList();
    }
}
