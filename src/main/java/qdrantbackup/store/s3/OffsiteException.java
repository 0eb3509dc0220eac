package qdrantbackup.store.s3;

import java.util.Map;

/** A failure talking to the offsite store; the message names bucket/key and the likely fix, never a credential. */
public class OffsiteException extends RuntimeException {
    private final Map<String, String> failedKeys;

    public OffsiteException(String message) {
        this(message, null, Map.of());
    }

    public OffsiteException(String message, Throwable cause) {
        this(message, cause, Map.of());
    }

    /** The object asked for is not in the bucket (an answer, not a failure to get one). */
    public static final class Missing extends OffsiteException {
        public Missing(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public OffsiteException(String message, Throwable cause, Map<String, String> failedKeys) {
        super(message, cause);
        this.failedKeys = Map.copyOf(failedKeys);
    }

    /** For batch operations (delete): key → error, empty otherwise. */
    public Map<String, String> failedKeys() {
        return failedKeys;
    }
}
