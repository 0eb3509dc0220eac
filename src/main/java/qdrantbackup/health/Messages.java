package qdrantbackup.health;

/**
 * Makes an error message fit for the health body. Camel 4.18 JSON-escapes the message twice, so
 * {@code http://host} would arrive as {@code http:\\\/\\\/host}: the scheme is dropped, quotes and
 * backslashes are replaced, line breaks joined, and user:password in a URL is masked.
 */
final class Messages {
    private Messages() {}

    static String safe(String message) {
        if (message == null) {
            return "unknown error";
        }
        return message.replaceAll("(?i)(\\w+://)[^/@\\s]+@", "$1***@")
                .replaceAll("\\b(https?|s3)://", "")
                .replace('"', '\'')
                .replace('\\', '/')
                .replaceAll("[\\r\\n\\t]+", " ");
    }
}
