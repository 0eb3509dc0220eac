package qdrantbackup.drill;

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
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.backup.BackupRun;
import qdrantbackup.testing.FakeQdrant;
import qdrantbackup.testing.TestApp;

/** A failed drill, through the real route, reaches the webhook (a WireMock listener); a passing one does not. */
class DrillWebhookTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "T0DRILL/B0HOOK/secret-5a4b3c2d";

    @TempDir
    Path dir;

    FakeQdrant qdrant;
    WireMockServer hook;
    TestApp app;

    @BeforeEach
    void start() throws Exception {
        qdrant = FakeQdrant.start(dir.resolve("qdrant")).collection("products", 90);
        hook = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        hook.start();
        hook.stubFor(post(urlPathMatching("/hooks/.*")).willReturn(aResponse().withStatus(200)));
        app = TestApp.start(
                dir, qdrant.url(), Map.of("notify.webhook-url", "http://127.0.0.1:" + hook.port() + "/hooks/" + TOKEN));
    }

    @AfterEach
    void stop() {
        app.close();
        hook.stop();
        qdrant.close();
    }

    private List<JsonNode> received() {
        return hook.findAll(postRequestedFor(urlPathMatching("/hooks/.*"))).stream()
                .map(q -> {
                    try {
                        return JSON.readTree(q.getBodyAsString());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                })
                .toList();
    }

    @SuppressWarnings("unchecked")
    private DrillReport drill() {
        return ((List<DrillReport>) app.camel()
                        .createProducerTemplate()
                        .requestBodyAndHeader("direct:drill", null, "collection", "products", List.class))
                .get(0);
    }

    @Test
    void aFailedDrillIsPostedNamingTheCollectionAndThePoint() throws Exception {
        BackupRun run = app.backupNow("products");
        assertThat(run.isOk()).isTrue();
        assertThat(drill().ok).isTrue(); // sends nothing

        long victim =
                DrillTest.damage(app.archive, "products", run.getJobs().get(0).getSnapshot());
        assertThat(drill().ok).isFalse();

        // one sender thread, in order: a message for the passing drill would have come first
        await().atMost(Duration.ofSeconds(10)).until(() -> !received().isEmpty());
        assertThat(received()).hasSize(1);
        JsonNode event = received().get(0);
        assertThat(event.path("what").asText()).isEqualTo("drill");
        assertThat(event.path("collection").asText()).isEqualTo("products");
        assertThat(event.path("why").asText()).contains("points: point(s) " + victim + " differ");
        assertThat(event.path("text").asText()).contains("drill of products failed");
        assertThat(event.toString()).doesNotContain("secret-5a4b3c2d");
    }
}
