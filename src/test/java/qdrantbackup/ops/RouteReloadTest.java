package qdrantbackup.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.camel.Route;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.testing.FakeQdrant;
import qdrantbackup.testing.LogCapture;
import qdrantbackup.testing.TestApp;

/** An operator's edit of routes/ takes effect without a restart; a broken edit leaves the old routes running. */
class RouteReloadTest {
    @TempDir
    Path dir;

    Path routes;
    FakeQdrant qdrant;
    TestApp app;

    @BeforeEach
    void copyRoutes() throws Exception {
        qdrant = FakeQdrant.start(dir.resolve("qdrant")).collection("users", 4);
        routes = Files.createDirectories(dir.resolve("routes"));
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path f : files.toList()) {
                Files.copy(f, routes.resolve(f.getFileName()));
            }
        }
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        qdrant.close();
    }

    private String description(String routeId) {
        Route r = app.camel().getRoute(routeId);
        return r == null ? null : r.getDescription();
    }

    @Test
    void anEditTakesEffectAndABrokenEditKeepsTheOldRoutes() throws Exception {
        try (LogCapture logs = new LogCapture()) {
            app = TestApp.start(dir, qdrant.url(), Map.of("routes.reload", "true"), routes);
            assertThat(description("backup-run")).startsWith("One run over all selected collections");

            Path backup = routes.resolve("backup.camel.yaml");
            String original = Files.readString(backup);
            Files.writeString(
                    backup,
                    original.replace(
                            "One run over all selected collections",
                            "Edited by the operator - one run over all selected collections"));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> String.valueOf(description("backup-run")).startsWith("Edited by the operator"));
            assertThat(app.backupNow().isOk()).isTrue();

            // a new small route in a new file
            Files.writeString(routes.resolve("hello.camel.yaml"), """
                - route:
                    id: hello
                    from:
                      uri: direct:hello
                      steps:
                        - setBody:
                            constant: hi
                """);
            await().atMost(Duration.ofSeconds(30)).until(() -> app.camel().getRoute("hello") != null);
            assertThat(app.camel().createProducerTemplate().requestBody("direct:hello", null, String.class))
                    .isEqualTo("hi");

            // a broken edit (YAML syntax): reported, and every route that ran before still runs
            String edited = Files.readString(backup);
            Files.writeString(
                    backup,
                    edited.replace(
                            "- route:\n    id: backup-collection",
                            "- route:\n    id: backup-collection\n   broken: [indentation"));
            await().atMost(Duration.ofSeconds(30))
                    .until(
                            () -> logs.lines().stream()
                                    .anyMatch(
                                            l -> l.startsWith(
                                                    "ERROR routes/backup.camel.yaml: the edit was not applied, the routes from before it keep running")));
            assertRoutesStillRun();

            // a broken edit (valid YAML, a step Camel does not know)
            Files.writeString(backup, edited.replace("- stop: {}", "- stopp: {}"));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> logs.lines().stream()
                            .anyMatch(l -> l.startsWith("ERROR routes/backup.camel.yaml: the edit was not applied")
                                    && l.contains("Unknown node id: stopp")));
            assertRoutesStillRun();

            // a broken edit that parses but cannot start (a component that does not exist)
            Files.writeString(
                    backup, edited.replace("- to: direct:backup-collection", "- to: nosuchthing:backup-collection"));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> logs.lines().stream()
                            .anyMatch(l -> l.startsWith("ERROR routes/backup.camel.yaml: the edit was not applied")
                                    && l.contains("nosuchthing")));
            assertRoutesStillRun();
        }
    }

    private void assertRoutesStillRun() {
        assertThat(description("backup-run")).startsWith("Edited by the operator");
        assertThat(app.camel().getRoute("hello")).isNotNull();
        assertThat(app.camel().getRoutes())
                .extracting(Route::getRouteId)
                .contains("backup-run", "backup-collection", "backup-schedule", "expire", "hello");
        assertThat(app.backupNow().isOk()).isTrue();
    }
}
