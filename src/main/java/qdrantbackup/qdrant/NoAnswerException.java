package qdrantbackup.qdrant;

/** A request Qdrant did not answer (a timeout) that must not be sent again blindly: it may still be working. */
public final class NoAnswerException extends QdrantException {
    NoAnswerException(QdrantException e) {
        super(e.getMessage(), 0, e.getCause());
    }

    @Override
    public boolean retryable() {
        return false;
    }
}
