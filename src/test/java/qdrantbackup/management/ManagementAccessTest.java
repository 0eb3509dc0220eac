package qdrantbackup.management;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.command.Launcher;
import qdrantbackup.testing.FakeQdrant;
import qdrantbackup.testing.LogCapture;
import qdrantbackup.testing.TestApp;

/** The management port's token, host and port, over real HTTP and read from what really listens. */
class ManagementAccessTest {
    private static final String TOKEN = "s3cr3t-mgmt-7a41";
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    FakeQdrant qdrant;
    Main main;
    int port;

    @BeforeEach
    void qdrant() throws IOException {
        qdrant = FakeQdrant.start(dir.resolve("qdrant")).collection("products", 10);
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
    }

    @AfterEach
    void stop() {
        if (main != null) {
            main.stop();
        }
        qdrant.close();
    }

    /** Started as an operator would: the settings in the file, nothing as an override. */
    private void start(Map<String, String> file) throws Exception {
        Map<String, String> settings = new java.util.LinkedHashMap<>(TestApp.defaults(dir, qdrant.url()));
        settings.put("camel.management.enabled", "true");
        settings.put("camel.management.port", String.valueOf(port));
        settings.putAll(file);
        Path config = TestApp.settingsFile(dir, qdrant.url(), settings);
        main = Launcher.start(config, Path.of("routes"), Map.of());
    }

    @Test
    void backupsNeedTheTokenWhileHealthAndMetricsStayOpenAndTheTokenIsNeverLogged() throws Exception {
        try (LogCapture logs = new LogCapture()) {
            start(Map.of("management.token", TOKEN));
            assertThat(send("GET", "/observe/health/live", null).statusCode()).isEqualTo(200);
            assertThat(send("GET", "/observe/metrics", null).statusCode()).isEqualTo(200);

            HttpResponse<String> none = send("GET", "/backups", null);
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(none.body()).contains("Authorization: Bearer");
            HttpResponse<String> wrong = send("POST", "/backup", "Bearer not-" + TOKEN);
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(wrong.body()).contains("wrong").doesNotContain(TOKEN);
            assertThat(send("POST", "/backup", TOKEN).statusCode())
                    .as("a token without Bearer")
                    .isEqualTo(401);
            assertThat(Files.exists(dir.resolve("state/runs")))
                    .as("nothing ran")
                    .isFalse();

            HttpResponse<String> list = send("GET", "/backups", "Bearer " + TOKEN);
            assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
            assertThat(list.headers().map().toString()).doesNotContain(TOKEN);
            HttpResponse<String> started = send("POST", "/backup", "Bearer " + TOKEN);
            assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
            assertThat(started.headers().map().toString()).doesNotContain(TOKEN);

            main.stop();
            main = null;
            assertThat(logs.text()).contains("backup run requested over HTTP").doesNotContain(TOKEN);
        }
    }

    @Test
    void withoutATokenSetTheBackupEndpointsAnswer403SayingHowToEnableThem() throws Exception {
        start(Map.of());
        HttpResponse<String> list = send("GET", "/backups", "Bearer anything");
        assertThat(list.statusCode()).isEqualTo(403);
        assertThat(list.body()).contains("management.token").contains("MANAGEMENT_TOKEN");
        assertThat(send("POST", "/backup", null).statusCode()).isEqualTo(403);
        assertThat(send("GET", "/observe/health/live", null).statusCode()).isEqualTo(200);
    }

    @Test
    void hostFromTheFileBindsBothServersToLoopbackOnly() throws Exception {
        start(Map.of("camel.management.host", "127.0.0.1", "management.token", TOKEN));
        assertThat(send("GET", "/observe/health/live", null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/backups", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
        List<String> listening = listening(port);
        assertThat(listening).isNotEmpty().allMatch(ManagementAccessTest::loopback, "a loopback address");
    }

    @Test
    void portAndHostFromTheEnvironmentReachBothServers() {
        Map<String, String> resolved = ManagementAddress.overrides(
                Path.of("application.properties"),
                Map.of(),
                Map.of("CAMEL_MANAGEMENT_PORT", "19001", "CAMEL_MANAGEMENT_HOST", "127.0.0.1"));
        assertThat(resolved)
                .containsEntry("camel.management.port", "19001")
                .containsEntry("camel.server.port", "19001")
                .containsEntry("camel.management.host", "127.0.0.1")
                .containsEntry("camel.server.host", "127.0.0.1")
                .containsEntry("camel.server.enabled", "true");
        // a one-shot command's own override (port off) wins over the environment
        assertThat(ManagementAddress.overrides(
                        Path.of("application.properties"),
                        Map.of("camel.management.enabled", "false"),
                        Map.of("CAMEL_MANAGEMENT_ENABLED", "true")))
                .containsEntry("camel.server.enabled", "false");
    }

    /** Local addresses (hex, as the kernel shows them) of sockets listening on {@code port}. */
    private static List<String> listening(int port) throws IOException {
        List<String> found = new ArrayList<>();
        String hexPort = String.format(Locale.ROOT, "%04X", port);
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path file = Path.of(table);
            if (!Files.exists(file)) {
                continue;
            }
            for (String line : Files.readAllLines(file)) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 3 && f[3].equals("0A") && f[1].endsWith(":" + hexPort)) {
                    found.add(f[1].substring(0, f[1].indexOf(':')));
                }
            }
        }
        return found;
    }

    private static boolean loopback(String hex) {
        return hex.equals("0100007F") // 127.0.0.1
                || hex.equals("0000000000000000FFFF00000100007F") // ::ffff:127.0.0.1
                || hex.equals("00000000000000000000000001000000"); // ::1
    }

    private HttpResponse<String> send(String method, String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
