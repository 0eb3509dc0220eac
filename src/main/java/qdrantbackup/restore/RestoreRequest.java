package qdrantbackup.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

/**
 * A {@code <anything>.restore.json} dropped into the inbox, e.g.
 * {@code {"collection": "products", "snapshot": "latest", "target": "products_restored"}}.
 *
 * @param collection whose backup to restore
 * @param snapshot   {@code latest} or a snapshot file name
 * @param target     collection to restore into (default: {@code collection})
 * @param replace    delete the existing target first when Qdrant refuses the snapshot over it
 * @param forceAliases {@code "aliases": "force"}: move the manifest's aliases even when they now point at another
 *                     existing collection (after a blue/green switch they are left alone by default)
 */
public record RestoreRequest(String collection, String snapshot, String target, boolean replace, boolean forceAliases) {
    public static final String LATEST = "latest";
    /** A request is a line of JSON: a larger file is refused before it is parsed. */
    public static final long MAX_BYTES = 64L << 10;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FIELDS = Set.of("collection", "snapshot", "target", "replace", "aliases");
    static final String EXAMPLE = "{\"collection\": \"products\", \"snapshot\": \"latest\", \"target\": \"products\"}";

    public RestoreRequest(String collection, String snapshot, String target, boolean replace) {
        this(collection, snapshot, target, replace, false);
    }

    public boolean latest() {
        return LATEST.equals(snapshot);
    }

    /** Reads and checks a request file; every problem is refused with the fix. */
    public static RestoreRequest read(Path file) {
        JsonNode node;
        try {
            node = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new RestoreRefused("the restore request is not valid JSON (" + firstLine(e.getMessage())
                    + "); write it like " + EXAMPLE);
        }
        if (node == null || !node.isObject()) {
            throw new RestoreRefused("the restore request is not a JSON object; write it like " + EXAMPLE);
        }
        node.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.contains(f)) {
                throw new RestoreRefused("the restore request has an unknown field '" + f + "'; the fields are "
                        + "collection, snapshot, target, replace and aliases");
            }
        });
        String collection = text(node, "collection", true);
        String snapshot = text(node, "snapshot", true);
        String target = text(node, "target", false);
        JsonNode replace = node.path("replace");
        if (!replace.isMissingNode() && !replace.isNull() && !replace.isBoolean()) {
            throw new RestoreRefused("the restore request's \"replace\" must be true or false");
        }
        String aliases = text(node, "aliases", false);
        if (aliases != null && !aliases.equals("force") && !aliases.equals("keep")) {
            throw new RestoreRefused("the restore request's \"aliases\" must be \"force\" (move aliases that now"
                    + " point at another collection) or \"keep\" (the default: leave those alone)");
        }
        return new RestoreRequest(
                collection,
                snapshot,
                target == null ? collection : target,
                replace.asBoolean(false),
                "force".equals(aliases));
    }

    private static String text(JsonNode node, String field, boolean required) {
        JsonNode v = node.path(field);
        if (v.isMissingNode() || v.isNull() || (v.isTextual() && v.asText().isBlank())) {
            if (required) {
                throw new RestoreRefused("the restore request lacks \"" + field + "\"; write it like " + EXAMPLE
                        + ("snapshot".equals(field) ? " (\"latest\" or a snapshot file name)" : ""));
            }
            return null;
        }
        if (!v.isTextual()) {
            throw new RestoreRefused("the restore request's \"" + field + "\" must be a string");
        }
        // not stripped: "a " is another collection than "a"
        return v.asText();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
