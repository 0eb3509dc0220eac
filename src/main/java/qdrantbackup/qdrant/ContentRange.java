package qdrantbackup.qdrant;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hc.core5.http.Header;

/** The {@code Content-Range: bytes start-end/total} of a 206 answer, as actix-files writes it. */
final class ContentRange {
    private static final Pattern BYTES = Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)");

    private ContentRange() {}

    /** {start, total}: total -1 when given as {@code *}; {-1, -1} when absent or unreadable. */
    static long[] parse(Header header) {
        return parse(header == null ? null : header.getValue());
    }

    static long[] parse(String value) {
        Matcher m = value == null ? null : BYTES.matcher(value.strip());
        if (m == null || !m.matches()) {
            return new long[] {-1, -1};
        }
        try {
            long start = Long.parseLong(m.group(1));
            long end = Long.parseLong(m.group(2));
            long total = m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
            if (end < start || (total >= 0 && end >= total)) {
                return new long[] {-1, -1};
            }
            return new long[] {start, total};
        } catch (NumberFormatException tooLong) {
            return new long[] {-1, -1};
        }
    }
}
