package qdrantbackup.health;

/**
 * Makes an error message fit for the health body: Camel writes it into JSON as it is, so quotes,
 * backslashes and line breaks are replaced; user:password in a URL is masked.
 */
final class Messages {
    private Messages() {
    }

    static String safe(String message) {
        if (message == null) {
            return "unknown error";
        }
        return message.replaceAll("(?i)(\\w+://)[^/@\\s]+@", "$1***@")
            .replace('"', '\'').replace('\\', '/').replaceAll("[\\r\\n\\t]+", " ");
    }
}
