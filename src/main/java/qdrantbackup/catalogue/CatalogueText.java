package qdrantbackup.catalogue;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The catalogue as a table for the terminal: one line per backup, newest first per collection. */
public final class CatalogueText {
    private CatalogueText() {}

    /** The width of a READ BACK or VERIFIED cell: {@code 2026-12-02T05:00:12Z FAILED}. */
    private static final int RESULT = 27;

    public static String format(List<CatalogueEntry> entries) {
        if (entries.isEmpty()) {
            return "no backups found\n";
        }
        // READ BACK and VERIFIED only when the read-back and the drills are wired in
        boolean readBack = entries.stream().anyMatch(e -> e.readBack() != null);
        boolean verified = entries.stream().anyMatch(e -> e.verified() != null);
        StringBuilder out = new StringBuilder();
        out.append(line(
                        "COLLECTION",
                        "CREATED (UTC)",
                        "SIZE",
                        "SHA256",
                        "WHERE",
                        readBack ? "READ BACK" : null,
                        verified ? "VERIFIED" : null,
                        "RETENTION"))
                .append('\n');
        for (CatalogueEntry e : entries) {
            out.append(line(
                            e.collection(),
                            e.created(),
                            size(e.size()),
                            e.sha256() == null
                                    ? "-"
                                    : e.sha256()
                                            .substring(
                                                    0, Math.min(12, e.sha256().length())),
                            e.where(),
                            readBack ? cell(e.readBack()) : null,
                            verified ? cell(e.verified()) : null,
                            retention(e.retention())
                                    + (e.set() == null ? "" : "  " + e.set().line())))
                    .append('\n');
        }
        return out.toString();
    }

    /** One row; a null optional column is left out. */
    private static String line(
            String collection,
            String created,
            String size,
            String sha,
            String where,
            String readBack,
            String verified,
            String retention) {
        StringBuilder row = new StringBuilder(
                String.format(Locale.ROOT, "%-24s %-20s %10s  %-12s  %-7s  ", collection, created, size, sha, where));
        if (readBack != null) {
            row.append(String.format(Locale.ROOT, "%-" + RESULT + "s  ", readBack));
        }
        if (verified != null) {
            row.append(String.format(Locale.ROOT, "%-" + RESULT + "s  ", verified));
        }
        return row.append(retention).toString();
    }

    /**
     * A result cell: the time and ok or FAILED. A failure's detail (an S3 address and what differs) is too long
     * for a column: cut short, it ran into the next one; {@code --json} and the log have it whole.
     */
    private static String cell(String value) {
        if (value == null) {
            return "-";
        }
        int detail = value.indexOf(" FAILED: ");
        return detail < 0 ? value : value.substring(0, detail + " FAILED".length());
    }

    /** {@code keep (keep-last, daily 2026-11-25)}, or per place when the places disagree. */
    static String retention(Map<String, String> byPlace) {
        if (byPlace.values().stream().distinct().count() == 1) {
            return word(byPlace.values().iterator().next());
        }
        StringBuilder out = new StringBuilder();
        byPlace.forEach((place, rules) -> out.append(out.length() == 0 ? "" : "; ")
                .append(place)
                .append(": ")
                .append(word(rules)));
        return out.toString();
    }

    private static String word(String rules) {
        return CatalogueEntry.EXPIRE.equals(rules) ? "EXPIRE (no rule keeps it)" : "keep (" + rules + ")";
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
