package qdrantbackup.store.s3;

import java.util.Optional;
import java.util.UUID;

/**
 * Where things are in the bucket: {@code <prefix>/<collection>/<file>} ({@code <collection>/<file>} when the
 * prefix is empty). Owns the prefix normalisation, the one-segment check of collection and file names, the
 * probe key, and the reading of a key back into its collection and file.
 */
public final class KeyLayout {
    static final String PROBE_NAME = ".qdrant-backup-probe-";

    private final String prefix;
    private final String base; // "" or "prefix/"

    public KeyLayout(String prefix) {
        this.prefix = normalisePrefix(prefix);
        this.base = this.prefix.isEmpty() ? "" : this.prefix + "/";
    }

    /** The normalised prefix, without slashes at either end; may be empty. */
    public String prefix() {
        return prefix;
    }

    /** The object key for a collection's file. */
    public String key(String collection, String fileName) {
        return base + segment("collection", collection) + "/" + segment("file name", fileName);
    }

    /** What a listing of one collection (or of everything, for null) starts with. */
    public String listPrefix(String collectionOrNull) {
        return collectionOrNull == null ? base : base + segment("collection", collectionOrNull) + "/";
    }

    /** A fresh key for the write probe, under the prefix but outside every collection. */
    public String probeKey() {
        return base + PROBE_NAME + UUID.randomUUID();
    }

    /** Whether a key is strictly under the prefix (the only keys this tool may delete). */
    public boolean holds(String key) {
        return key != null && !key.isEmpty() && key.startsWith(base) && key.length() > base.length();
    }

    /** The object as {@code <collection>/<file>}; empty for probe objects, foreign keys, "directory" markers. */
    public Optional<RemoteObject> parse(ObjectInfo o) {
        if (!o.key().startsWith(base)) {
            return Optional.empty();
        }
        String rest = o.key().substring(base.length());
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1) {
            return Optional.empty();
        }
        return Optional.of(new RemoteObject(
                o.key(), rest.substring(0, slash), rest.substring(slash + 1), o.size(), o.lastModified(), o.sha256()));
    }

    /** Trims, turns backslashes into slashes, collapses repeated slashes and drops them at both ends. */
    public static String normalisePrefix(String prefix) {
        if (prefix == null) {
            return "";
        }
        String p = prefix.trim().replace('\\', '/').replaceAll("/{2,}", "/");
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    static String segment(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        // never trimmed: "a" and "a " are two collections and must be two keys
        String v = value;
        while (v.startsWith("/")) {
            v = v.substring(1);
        }
        while (v.endsWith("/")) {
            v = v.substring(0, v.length() - 1);
        }
        if (v.isEmpty() || v.contains("/") || v.contains("\\") || v.equals(".") || v.equals("..")) {
            throw new IllegalArgumentException(what + " '" + value + "' must be one path segment");
        }
        return v;
    }
}
