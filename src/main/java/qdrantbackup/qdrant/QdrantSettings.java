package qdrantbackup.qdrant;

import java.time.Duration;

/** How to reach Qdrant. {@code toString} never shows the key. */
public record QdrantSettings(
        String url,
        String apiKey,
        Duration connectTimeout,
        Duration readTimeout,
        Duration snapshotTimeout,
        int retries,
        Duration retryDelay) {
    /** The same settings for another address (another node, or the drills' scratch Qdrant). */
    public QdrantSettings withUrl(String otherUrl) {
        return new QdrantSettings(otherUrl, apiKey, connectTimeout, readTimeout, snapshotTimeout, retries, retryDelay);
    }

    @Override
    public String toString() {
        return "QdrantSettings[url=" + shownUrl() + ", apiKey=" + (apiKey == null || apiKey.isBlank() ? "none" : "****")
                + ", retries=" + retries + "]";
    }

    /** The URL without {@code user:password@}: credentials in a URL never reach a log or message. */
    public String shownUrl() {
        return url == null ? null : url.replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#]*@", "$1");
    }
}
