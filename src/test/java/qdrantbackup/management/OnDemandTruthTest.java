package qdrantbackup.management;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.backup.Backup;
import qdrantbackup.ha.Leadership;
import qdrantbackup.testing.FakeQdrant;
import qdrantbackup.testing.TestApp;

/** POST /backup's answer is the truth: a 202 means this request's run runs, a 409 says who runs instead. */
class OnDemandTruthTest {
    @TempDir
    Path dir;

    FakeQdrant qdrant;
    TestApp app;
    Backup backup;
    OnDemand onDemand;

    @BeforeEach
    void start() throws Exception {
        qdrant = FakeQdrant.start(dir.resolve("qdrant")).collection("products", 10);
        app = TestApp.start(dir, qdrant.url(), Map.of());
        backup = app.camel().getRegistry().lookupByNameAndType("backup", Backup.class);
        onDemand = new OnDemand(app.camel(), backup, Leadership.ALONE);
    }

    @AfterEach
    void stop() {
        app.close();
        qdrant.close();
    }

    @Test
    void aStartedAnswerIsNeverLostToAScheduledFireRightAfterIt() throws Exception {
        qdrant.delayNext("POST", "/collections/products/snapshots", Duration.ofSeconds(2), 1);
        OnDemand.Answer answer = onDemand.backup(null);
        // a scheduled fire arriving right after the 202
        assertThat(backup.start("schedule", null)).isNull();

        assertThat(answer.getHttpStatus()).isEqualTo(202);
        // the answered run ran; the scheduled fire waited for it and ran after it
        await().atMost(Duration.ofSeconds(20)).until(() -> summaries().size() == 2);
        assertThat(summaries())
                .anyMatch(t -> t.contains("\"trigger\" : \"http\""))
                .anyMatch(t -> t.contains("\"trigger\" : \"schedule\""));
    }

    private java.util.List<String> summaries() throws java.io.IOException {
        java.nio.file.Path runs = app.state.resolve("runs");
        if (!Files.isDirectory(runs)) {
            return java.util.List.of();
        }
        try (var files = Files.list(runs)) {
            java.util.List<String> texts = new java.util.ArrayList<>();
            for (java.nio.file.Path f :
                    files.filter(p -> p.toString().endsWith(".json")).toList()) {
                texts.add(Files.readString(f));
            }
            return texts;
        }
    }

    @Test
    void whileARunIsGoingTheAnswerSaysWhichRun() {
        qdrant.delayNext("POST", "/collections/products/snapshots", Duration.ofSeconds(2), 1);
        assertThat(onDemand.backup(null).getHttpStatus()).isEqualTo(202);

        OnDemand.Answer second = onDemand.backup(null);
        assertThat(second.getHttpStatus()).isEqualTo(409);
        assertThat(second.isStarted()).isFalse();
        assertThat(second.getMessage()).contains("already going").contains("http, started");
        await().atMost(Duration.ofSeconds(20)).until(() -> backup.current() == null);
    }
}
