package qdrantbackup.notify;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.backup.BackupRun;
import qdrantbackup.retention.Retention;
import qdrantbackup.retention.RetentionPolicy;
import qdrantbackup.store.BackupStore;
import qdrantbackup.store.Manifest;
import qdrantbackup.store.ScriptedStore;
import qdrantbackup.testing.FakeQdrant;
import qdrantbackup.testing.LogCapture;
import qdrantbackup.testing.TestApp;

/** The failure webhook, received by a WireMock listener, through the real routes. */
class FailureWebhookTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "T0SECRET/B0TOKEN/xoxo-9f8e7d6c";

    @TempDir
    Path dir;

    FakeQdrant qdrant;
    WireMockServer hook;
    TestApp app;

    @BeforeEach
    void start() {
        qdrant = FakeQdrant.start(dir.resolve("qdrant")).collection("users", 40).collection("logs", 7);
        hook = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        hook.start();
        hook.stubFor(post(urlPathMatching("/hooks/.*")).willReturn(aResponse().withStatus(200)));
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        hook.stop();
        qdrant.close();
    }

    private String hookUrl() {
        return "http://127.0.0.1:" + hook.port() + "/hooks/" + TOKEN;
    }

    private List<JsonNode> received() {
        return hook.findAll(postRequestedFor(urlPathMatching("/hooks/.*"))).stream()
                .map(LoggedRequest::getBodyAsString)
                .map(FailureWebhookTest::json)
                .toList();
    }

    @Test
    void aRefusedRestoreIsPosted() throws Exception {
        Path inbox = dir.resolve("inbox");
        java.nio.file.Files.createDirectories(inbox);
        app = TestApp.start(
                dir,
                qdrant.url(),
                Map.of(
                        "notify.webhook-url",
                        hookUrl(),
                        "restore.inbox.enabled",
                        "true",
                        "restore.inbox.dir",
                        inbox.toString(),
                        "restore.inbox.poll",
                        "100ms",
                        "restore.inbox.min-age",
                        "200ms"));
        java.nio.file.Files.write(inbox.resolve("users-1-2026-01-01-02-00-00.snapshot"), new byte[0]);

        await().atMost(Duration.ofSeconds(20)).until(() -> received().size() == 1);
        JsonNode event = received().get(0);
        assertThat(event.path("what").asText()).isEqualTo("restore");
        assertThat(event.path("collection").asText()).isEqualTo("users");
        assertThat(event.path("why").asText()).isNotBlank();
        assertThat(qdrant.points("users")).isEqualTo(40);
    }

    @Test
    void aFailedCollectionIsPostedAsJsonAndTheTokenIsNeverLogged() throws Exception {
        qdrant.failNext(
                "POST",
                "/collections/users/snapshots.*",
                500,
                "{\"status\":{\"error\":\"Service internal error: disk full\"},\"time\":0.001}",
                100);
        try (LogCapture logs = new LogCapture()) {
            app = TestApp.start(
                    dir,
                    qdrant.url(),
                    Map.of("notify.webhook-url", hookUrl(), "qdrant.api-key", "qdrant-key-0123456789"));
            BackupRun run = app.backupNow();
            assertThat(run.isOk()).isFalse();

            await().atMost(Duration.ofSeconds(10)).until(() -> received().size() == 1);
            JsonNode body = received().get(0);
            assertThat(body.path("what").asText()).isEqualTo("backup");
            assertThat(body.path("collection").asText()).isEqualTo("users");
            assertThat(body.path("why").asText()).contains("HTTP 500").contains("disk full");
            assertThat(Instant.parse(body.path("when").asText())).isBefore(Instant.now());
            assertThat(body.path("host").asText()).isNotBlank();
            assertThat(body.path("text").asText())
                    .startsWith("qdrant-backup on ")
                    .contains("backup of users failed");
            assertThat(hook.findAll(postRequestedFor(urlPathMatching("/hooks/.*")))
                            .get(0)
                            .getHeader("Content-Type"))
                    .isEqualTo("application/json");
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> logs.text()
                            .contains("failure notification for backup" + " users sent to http://127.0.0.1:"
                                    + hook.port() + "/…"));
            assertThat(logs.text()).doesNotContain(TOKEN).doesNotContain("B0TOKEN");
            assertThat(body.toString()).doesNotContain("qdrant-key-0123456789");
        }
    }

    @Test
    void aWholeRunFailureIsOneMessageWithoutCollection() throws Exception {
        app = TestApp.start(dir, qdrant.url(), Map.of("notify.webhook-url", hookUrl()));
        qdrant.down();
        app.backupNow();
        await().atMost(Duration.ofSeconds(10)).until(() -> received().size() == 1);
        assertThat(received().get(0).path("collection").isNull()).isTrue();
        assertThat(received().get(0).path("why").asText()).contains("did not answer");
    }

    @Test
    void aSuccessfulRunSendsNothing() throws Exception {
        app = TestApp.start(dir, qdrant.url(), Map.of("notify.webhook-url", hookUrl()));
        assertThat(app.backupNow().isOk()).isTrue();
        app.close();
        app = null;
        assertThat(received()).isEmpty();
    }

    @Test
    void aDeadOrSlowWebhookIsLoggedAndNeverHoldsUpTheBackup() throws Exception {
        qdrant.failNext(
                "POST",
                "/collections/users/snapshots.*",
                500,
                "{\"status\":{\"error\":\"Service internal error: disk full\"},\"time\":0.001}",
                100);
        hook.stubFor(post(urlPathMatching("/hooks/.*"))
                .willReturn(aResponse().withStatus(200).withFixedDelay(5000)));
        try (LogCapture logs = new LogCapture()) {
            app = TestApp.start(dir, qdrant.url(), Map.of("notify.webhook-url", hookUrl(), "notify.timeout", "300ms"));
            long t0 = System.nanoTime();
            BackupRun run = app.backupNow();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(4));
            assertThat(run.getJobs()).hasSize(2);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> logs.lines().stream()
                            .anyMatch(l -> l.startsWith(
                                    "WARN failure notification for backup users could not be sent to http://127.0.0.1:"
                                            + hook.port() + "/…")));
            hook.stop();
            BackupRun second = app.backupNow();
            assertThat(second.getJobs()).hasSize(2);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> logs.lines().stream()
                                    .filter(l -> l.startsWith("WARN failure notification for backup users"))
                                    .count()
                            == 2);
            assertThat(logs.text()).doesNotContain(TOKEN);
        }
    }

    @Test
    void aRetentionFailureIsNotified() throws Exception {
        Notifier notifier = new Notifier(java.net.URI.create(hookUrl()), Duration.ofSeconds(5), "host-1", List.of());
        Instant now = Instant.now();
        BackupStore broken = new ScriptedStore(
                        "local",
                        List.of(
                                new Manifest(
                                        "users",
                                        "new",
                                        "collection",
                                        1,
                                        "ab",
                                        now.toString(),
                                        null,
                                        1L,
                                        null,
                                        null,
                                        "test"),
                                new Manifest(
                                        "users",
                                        "old",
                                        "collection",
                                        1,
                                        "ab",
                                        now.minusSeconds(90 * 86400).toString(),
                                        null,
                                        1L,
                                        null,
                                        null,
                                        "test")))
                .refusingDeletes();
        Retention retention =
                new Retention(broken, new RetentionPolicy(1, 0, 0, 0, java.time.ZoneId.of("UTC")), null, null);
        retention.onFailure((c, why) -> notifier.notify(Event.retention(c, why)));
        retention.expireAll(false);
        notifier.stop();
        assertThat(received()).hasSize(1);
        assertThat(received().get(0).path("what").asText()).isEqualTo("retention");
        assertThat(received().get(0).path("collection").asText()).isEqualTo("users");
        assertThat(received().get(0).path("why").asText()).contains("local: could not delete expired backup(s) old");
        assertThat(received().get(0).path("host").asText()).isEqualTo("host-1");
    }

    @Test
    void aWebhookUrlThatIsNoUrlStopsTheStartWithoutShowingIt() {
        Throwable e = org.assertj.core.api.Assertions.catchThrowable(
                () -> TestApp.start(dir, qdrant.url(), Map.of("notify.webhook-url", "hooks.example.com/" + TOKEN)));
        assertThat(e)
                .hasMessageContaining("setting notify.webhook-url is invalid")
                .hasMessageNotContaining(TOKEN);
    }

    @Test
    void redactionKeepsOnlySchemeAndHost() {
        assertThat(Notifier.redacted(java.net.URI.create("https://hooks.slack.com/services/T0/B0/xyz?token=1")))
                .isEqualTo("https://hooks.slack.com/…");
        assertThat(Optional.of(Notifier.none()).map(Notifier::enabled)).contains(false);
    }

    private static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new IllegalStateException(s, e);
        }
    }
}
