package qdrantbackup.restore;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import qdrantbackup.qdrant.QdrantClient;

/**
 * Waits until a restored collection is ready: {@code GET /collections/{c}} shows {@code status}
 * green and {@code optimizer_status} ok. Yellow/grey (optimizing) is waited for until the timeout;
 * red, an optimizer error or a missing collection fail at once.
 */
public final class GreenWait {
    private final QdrantClient qdrant;
    private final Duration timeout;
    private final Duration poll;

    public GreenWait(QdrantClient qdrant, Duration timeout, Duration poll) {
        this.qdrant = qdrant;
        this.timeout = timeout;
        this.poll = poll;
    }

    /** Returns a line describing the healthy state, or throws naming what is wrong and the fix. */
    public String waitUntilGreen(String collection) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int polls = 0;
        String last = "unknown";
        while (true) {
            polls++;
            JsonNode info = qdrant.collectionInfo(collection)
                    .orElseThrow(() ->
                            new IllegalStateException("collection " + collection + " does not exist after the upload"));
            String status = info.path("status").asText("unknown");
            JsonNode optimizer = info.path("optimizer_status");
            boolean optimizerOk = optimizer.isTextual() && optimizer.asText().equals("ok");
            if (optimizer.has("error")) {
                throw new IllegalStateException("collection " + collection + " reports an optimizer error: "
                        + optimizer.path("error").asText());
            }
            if (status.equals("red")) {
                throw new IllegalStateException("collection " + collection + " is red (failed) after the restore");
            }
            if (status.equals("green") && optimizerOk) {
                return "green, optimizer ok after " + polls + " poll(s)";
            }
            last = status;
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("collection " + collection + " was still " + last + " after "
                        + timeout.toSeconds() + "s; raise restore.health-timeout for large collections");
            }
            sleep();
        }
    }

    private void sleep() {
        try {
            Thread.sleep(poll.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the collection to become green", e);
        }
    }
}
