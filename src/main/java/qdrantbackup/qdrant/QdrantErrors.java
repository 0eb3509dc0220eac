package qdrantbackup.qdrant;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.hc.core5.http.ClassicHttpResponse;

/** How Qdrant's failures read in a message: its error envelope, or the exception that stood for no answer. */
final class QdrantErrors {
    private QdrantErrors() {}

    static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** Qdrant's error envelope {"status":{"error":"…"}}; auth failures come as plain text. */
    static String errorText(String body) {
        try {
            JsonNode node = QdrantClient.JSON.readTree(body);
            if (node != null && node.path("status").has("error")) {
                return node.path("status").path("error").asText();
            }
        } catch (IOException notJson) {
            // plain text, as Qdrant's auth middleware answers
        }
        return body.strip();
    }

    static QdrantException failure(String shownUrl, String what, ClassicHttpResponse response) throws IOException {
        int code = response.getCode();
        String body = "";
        if (response.getEntity() != null) {
            try (InputStream in = response.getEntity().getContent()) {
                body = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
            }
        }
        String error = QdrantErrors.errorText(body);
        String fix = switch (code) {
            case 401 -> ": the API key is missing or wrong; set qdrant.api-key (QDRANT_API_KEY)";
            case 403 ->
                ": the API key lacks the rights for this; backups need a read-write key,"
                        + " restores the full (manage) key";
            case 404 -> "";
            default -> code >= 500 ? " (server error)" : "";
        };
        return new QdrantException(
                "Qdrant at " + shownUrl + " refused to " + what + ": HTTP " + code
                        + (error.isEmpty() ? "" : " " + error) + fix,
                code,
                null);
    }

    static QdrantException unreachable(String shownUrl, String what, IOException e) {
        if (e.getCause() instanceof QdrantException q) {
            return q;
        }
        if (e instanceof javax.net.ssl.SSLException) {
            // not worth retrying: the certificate will not change in a minute
            return new QdrantException(
                    "Qdrant at " + shownUrl + " presented a certificate this machine does"
                            + " not trust (" + describe(e) + ") when asked to " + what
                            + ": add its CA to the Java trust store"
                            + " (javax.net.ssl.trustStore) or fix qdrant.url",
                    -1,
                    e);
        }
        return new QdrantException(
                "Qdrant at " + shownUrl + " did not answer (" + describe(e) + ") when asked to " + what
                        + ": check qdrant.url (QDRANT_URL) and that Qdrant is running",
                0,
                e);
    }
}
