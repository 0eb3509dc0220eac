package qdrantbackup.restore;

/**
 * The restore was refused before Qdrant's data was touched: bad input, or a snapshot Qdrant will
 * not put over the existing collection. The message is the one sentence an operator acts on.
 */
public class RestoreRefused extends RuntimeException {
    public RestoreRefused(String message) {
        super(message);
    }
}
