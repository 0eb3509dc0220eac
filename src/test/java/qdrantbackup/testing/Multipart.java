package qdrantbackup.testing;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Minimal multipart/form-data parser for the fake's upload endpoint (whole body in memory). */
final class Multipart {

    private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";]+)\"?");
    private static final Pattern NAME = Pattern.compile("[; ]name=\"([^\"]*)\"");
    private static final Pattern FILENAME = Pattern.compile("filename=\"([^\"]*)\"");

    record Part(String name, String fileName, byte[] data) {}

    private Multipart() {}

    /** The part with this field name, or null (also null if the body is not multipart). */
    static Part find(String contentType, byte[] body, String field) {
        if (contentType == null || body == null) {
            return null;
        }
        Matcher m = BOUNDARY.matcher(contentType);
        if (!contentType.toLowerCase().startsWith("multipart/form-data") || !m.find()) {
            return null;
        }
        byte[] delimiter = ("--" + m.group(1)).getBytes(StandardCharsets.ISO_8859_1);
        byte[] crlfDelimiter = ("\r\n--" + m.group(1)).getBytes(StandardCharsets.ISO_8859_1);
        int pos = indexOf(body, delimiter, 0);
        while (pos >= 0) {
            int lineEnd = indexOf(body, "\r\n".getBytes(StandardCharsets.ISO_8859_1), pos);
            if (lineEnd < 0 || body[pos + delimiter.length] == '-') {
                return null; // closing delimiter "--boundary--"
            }
            int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), lineEnd);
            if (headersEnd < 0) {
                return null;
            }
            String headers = new String(body, lineEnd + 2, headersEnd - lineEnd - 2, StandardCharsets.UTF_8);
            int dataStart = headersEnd + 4;
            int next = indexOf(body, crlfDelimiter, dataStart);
            if (next < 0) {
                return null;
            }
            Part part = part(headers, Arrays.copyOfRange(body, dataStart, next));
            if (field.equals(part.name())) {
                return part;
            }
            pos = next + 2;
        }
        return null;
    }

    private static Part part(String headers, byte[] data) {
        String disposition = "";
        for (String line : headers.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-disposition:")) {
                disposition = line;
            }
        }
        Matcher name = NAME.matcher(disposition);
        Matcher file = FILENAME.matcher(disposition);
        return new Part(name.find() ? name.group(1) : null, file.find() ? file.group(1) : null, data);
    }

    private static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = from; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
