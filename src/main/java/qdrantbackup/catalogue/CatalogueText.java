package qdrantbackup.catalogue;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The catalogue as a table for the terminal: one line per backup, newest first per collection. */
public final class CatalogueText {
    static final String FORMAT = "%-24s %-20s %10s  %-12s  %-7s  %s%n";

    private CatalogueText() {}

    public static String format(List<CatalogueEntry> entries) {
        if (entries.isEmpty()) {
            return "no backups found\n";
        }
        StringBuilder out = new StringBuilder();
        if (entries.stream().anyMatch(e -> e.readBack() != null)) {
            return withReadBack(entries, out);
        }

        out.append(String.format(
                Locale.ROOT, FORMAT, "COLLECTION", "CREATED (UTC)", "SIZE", "SHA256", "WHERE", "RETENTION"));
        for (CatalogueEntry e : entries) {
            out.append(String.format(
                    Locale.ROOT,
                    FORMAT,
                    e.collection(),
                    e.created(),
                    size(e.size()),
                    e.sha256() == null
                            ? "-"
                            : e.sha256().substring(0, Math.min(12, e.sha256().length())),
                    e.where(),
                    retention(e.retention())
                            + (e.set() == null ? "" : "  " + e.set().line())));
        }
        return out.toString();
    }

    /** The table with a READ BACK column (a bucket backup's last read-back: time and result). */
    private static String withReadBack(List<CatalogueEntry> entries, StringBuilder out) {
        String format = "%-24s %-20s %10s  %-12s  %-7s  %-24s  %s%n";
        out.append(String.format(
                Locale.ROOT,
                format,
                "COLLECTION",
                "CREATED (UTC)",
                "SIZE",
                "SHA256",
                "WHERE",
                "READ BACK",
                "RETENTION"));
        for (CatalogueEntry e : entries) {
            out.append(String.format(
                    Locale.ROOT,
                    format,
                    e.collection(),
                    e.created(),
                    size(e.size()),
                    e.sha256() == null
                            ? "-"
                            : e.sha256().substring(0, Math.min(12, e.sha256().length())),
                    e.where(),
                    e.readBack() == null
                            ? "-"
                            : e.readBack().length() > 40 ? e.readBack().substring(0, 40) : e.readBack(),
                    retention(e.retention())));
        }
        return out.toString();
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
