package qdrantbackup.qdrant;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

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
}
