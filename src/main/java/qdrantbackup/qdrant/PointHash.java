package qdrantbackup.qdrant;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.TreeMap;

/**
 * The SHA-256 of a point's vectors and payload in a canonical JSON: object keys sorted, vector components as
 * 32-bit floats (Qdrant stores f32; a JSON round trip may print them as longer doubles), other numbers as
 * Java prints doubles, integers as integers. The same point read twice, or from a faithful restore, hashes
 * the same.
 */
public final class PointHash {
    private PointHash() {}

    /** Hash of a point as scroll, retrieve or query return it with payload and vector. */
    public static String of(JsonNode point) {
        StringBuilder b = new StringBuilder("{\"payload\":");
        canonical(point.path("payload"), false, b);
        b.append(",\"vector\":");
        canonical(point.path("vector"), true, b);
        b.append('}');
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(b.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void canonical(JsonNode n, boolean floats, StringBuilder b) {
        if (n == null || n.isMissingNode() || n.isNull()) {
            b.append("null");
        } else if (n.isObject()) {
            TreeMap<String, JsonNode> sorted = new TreeMap<>();
            Iterator<String> names = n.fieldNames();
            names.forEachRemaining(k -> sorted.put(k, n.get(k)));
            b.append('{');
            String sep = "";
            for (var e : sorted.entrySet()) {
                b.append(sep).append(quote(e.getKey())).append(':');
                canonical(e.getValue(), floats, b);
                sep = ",";
            }
            b.append('}');
        } else if (n.isArray()) {
            b.append('[');
            for (int i = 0; i < n.size(); i++) {
                b.append(i == 0 ? "" : ",");
                canonical(n.get(i), floats, b);
            }
            b.append(']');
        } else if (n.isNumber()) {
            if (floats) {
                b.append(Float.toString(n.floatValue()));
            } else if (n.isIntegralNumber()) {
                b.append(n.bigIntegerValue());
            } else {
                b.append(Double.toString(n.doubleValue()));
            }
        } else if (n.isTextual()) {
            b.append(quote(n.asText()));
        } else {
            b.append(n.toString());
        }
    }

    private static String quote(String s) {
        return com.fasterxml.jackson.databind.node.TextNode.valueOf(s).toString();
    }
}
