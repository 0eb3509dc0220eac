package qdrantbackup.restore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What an operator dropped into the inbox, told apart by the file name. */
public final class Drop {
    public enum Kind {
        /** {@code <name>.snapshot}, with or without its {@code <name>.snapshot.json} manifest. */
        SNAPSHOT,
        /** {@code <anything>.restore.json}. */
        REQUEST,
        /** {@code backup-now} or {@code backup-now.<collection>}. */
        BACKUP_NOW
    }

    public static final String SNAPSHOT_SUFFIX = ".snapshot";
    public static final String REQUEST_SUFFIX = ".restore.json";
    public static final String BACKUP_NOW = "backup-now";
    /** Qdrant's own naming: {@code {collection}-{peer_id}-{YYYY-MM-DD-HH-MM-SS}.snapshot}. */
    private static final Pattern QDRANT_NAME =
            Pattern.compile("^(.+)-\\d+-\\d{4}-\\d{2}-\\d{2}-\\d{2}-\\d{2}-\\d{2}\\.snapshot$");

    private Drop() {}

    public static Kind kind(String fileName) {
        if (fileName.endsWith(REQUEST_SUFFIX)) {
            return Kind.REQUEST;
        }
        if (fileName.equals(BACKUP_NOW) || fileName.startsWith(BACKUP_NOW + ".")) {
            return Kind.BACKUP_NOW;
        }
        if (fileName.endsWith(SNAPSHOT_SUFFIX)) {
            return Kind.SNAPSHOT;
        }
        throw new RestoreRefused("the inbox does not know what to do with " + fileName + ": drop <name>.snapshot"
                + " (with its manifest), <anything>.restore.json, backup-now or backup-now.<collection>");
    }

    /** The collection a bare snapshot belongs to, from Qdrant's file naming; null when not named so. */
    public static String collectionFromName(String fileName) {
        Matcher m = QDRANT_NAME.matcher(fileName);
        return m.matches() ? m.group(1) : null;
    }

    /** The collection a {@code backup-now.<collection>} trigger names; null for all. */
    public static String triggerCollection(String fileName) {
        return fileName.length() > BACKUP_NOW.length() + 1 ? fileName.substring(BACKUP_NOW.length() + 1) : null;
    }

    /** The manifest that goes with a dropped snapshot, when there is one. */
    public static Path manifestOf(Path snapshot) {
        Path manifest = snapshot.resolveSibling(snapshot.getFileName() + ".json");
        // a link is returned too, for the restore to refuse it
        return Files.isRegularFile(manifest) || Files.isSymbolicLink(manifest) ? manifest : null;
    }

    /** {@code name}, or {@code <name>-2.snapshot}, ... when taken in {@code dir}: names have one-second resolution. */
    static String freeName(java.nio.file.Path dir, String name) {
        String local = name;
        for (int n = 2;
                java.nio.file.Files.exists(dir.resolve(local))
                        || java.nio.file.Files.exists(dir.resolve(local + ".json"));
                n++) {
            local = name.replaceAll("\\.snapshot$", "") + "-" + n + SNAPSHOT_SUFFIX;
        }
        return local;
    }
}
