package qdrantbackup.qdrant;

/** A request to Qdrant failed; the message names the request, Qdrant's answer and the fix. */
public class QdrantException extends RuntimeException {
    private final int status;

    public QdrantException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** HTTP status; 0 when Qdrant did not answer at all, -1 when it cannot be trusted (TLS). */
    public int status() {
        return status;
    }

    /** Worth another try: no answer, a timeout, overload or a server error. */
    public boolean retryable() {
        return status == 0 || status == 408 || status == 429 || status >= 500;
    }
}
