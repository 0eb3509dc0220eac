package qdrantbackup.qdrant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A password inside qdrant.url never shows in the client's messages. */
class UrlCredentialsTest {
    private static final String PASSWORD = "hunter2-in-url";

    private static QdrantClient client(String url) {
        return new QdrantClient(new QdrantSettings(
                url,
                null,
                Duration.ofSeconds(2),
                Duration.ofSeconds(2),
                Duration.ofSeconds(2),
                0,
                Duration.ofMillis(1)));
    }

    @Test
    void aFailedCallNamesTheHostButNotTheCredentials() {
        QdrantClient qdrant = client("http://backup:" + PASSWORD + "@127.0.0.1:1");
        Throwable failure = catchThrowable(qdrant::version);
        assertThat(failure).isNotNull();
        StringBuilder all = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            all.append(t).append('\n');
        }
        assertThat(all.toString())
                .contains("127.0.0.1:1")
                .doesNotContain(PASSWORD)
                .doesNotContain("backup:");
        assertThat(qdrant.url()).isEqualTo("http://127.0.0.1:1");
    }

    @Test
    void settingsShowTheUrlWithoutItsCredentials() {
        QdrantSettings s =
                new QdrantSettings("https://u:" + PASSWORD + "@qdrant.example:6333/", "k", null, null, null, 0, null);
        assertThat(s.toString()).contains("https://qdrant.example:6333/").doesNotContain(PASSWORD);
    }
}
