package qdrantbackup.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import qdrantbackup.testing.LogCapture;

/** A webhook URL's user-info, path and query are secrets: never in a log line nor in a message sent. */
class WebhookCredentialsTest {
    private static final String PASSWORD = "hook-pass-w0rd";
    private static final String TOKEN = "T0KEN-in-the-path-9f8e";

    @Test
    void anUnreachableWebhookIsLoggedByHostOnly() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        URI url = URI.create("http://hook:" + PASSWORD + "@127.0.0.1:" + port + "/services/" + TOKEN + "?k=" + TOKEN);
        try (LogCapture logs = new LogCapture()) {
            Notifier n = new Notifier(url, Duration.ofSeconds(2), "host-1", List.of());
            n.start();
            n.notify(Event.backup("products", "snapshot failed"));
            await().atMost(Duration.ofSeconds(10)).until(() -> logs.text().contains("could not be sent"));
            n.stop();
            assertThat(logs.text())
                    .contains("http://127.0.0.1:" + port + "/…")
                    .doesNotContain(PASSWORD)
                    .doesNotContain(TOKEN)
                    .doesNotContain("hook:");
        }
    }

    @Test
    void theUrlOrItsPartsInAFailureReasonAreBlankedInTheBody() {
        URI url = URI.create("https://hook:" + PASSWORD + "@hooks.example/services/" + TOKEN);
        Notifier n = new Notifier(url, Duration.ofSeconds(1), "host-1", List.of("api-key-12345"));
        String body = n.body(Event.backup(
                "products",
                "call to " + url + " failed; token " + TOKEN + ", user-info hook:" + PASSWORD + ", key api-key-12345"));
        assertThat(body)
                .doesNotContain(PASSWORD)
                .doesNotContain(TOKEN)
                .doesNotContain("api-key-12345")
                .contains("call to *** failed");
    }
}
