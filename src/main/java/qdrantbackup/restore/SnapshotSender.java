package qdrantbackup.restore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qdrantbackup.backup.ServerSnapshots;
import qdrantbackup.qdrant.QdrantClient;
import qdrantbackup.qdrant.QdrantException;
import qdrantbackup.transfer.TransferLog;

/**
 * What a restore and its rollback send to Qdrant: a snapshot upload (streamed, with progress), the clean-up of
 * the copy Qdrant keeps of it, and the aliases of the manifest.
 */
final class SnapshotSender {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotSender.class);
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final QdrantClient qdrant;

    private final ServerSnapshots journal;

    SnapshotSender(QdrantClient qdrant, ServerSnapshots journal) {
        this.qdrant = qdrant;
        this.journal = journal;
    }

    /** Uploads {@code file} into {@code target} as {@code name}; Qdrant checks it against {@code sha256}. */
    void send(String target, Path file, String name, String sha256) {
        TransferLog log = new TransferLog("upload " + name + " into " + target);
        journal.made(target, name); // Qdrant keeps a copy of the upload until it is deleted
        qdrant.uploadSnapshot(target, file, name, sha256, log::bytes);
        try {
            log.done(Files.size(file));
        } catch (IOException ignored) {
            // only the closing progress line is lost
        }
    }

    /** Deletes a snapshot from Qdrant's disk; gone already is fine, anything else a warning. */
    void deleteQuietly(String collection, String snapshot) {
        try {
            qdrant.deleteSnapshot(collection, snapshot);
            journal.gone(collection, snapshot);
        } catch (RuntimeException e) {
            if (e instanceof QdrantException q && q.status() == 404) {
                journal.gone(collection, snapshot);
            } else {
                LOG.warn(
                        "could not delete snapshot {} of {} from Qdrant's disk (delete it by hand to free the"
                                + " space): {}",
                        snapshot,
                        collection,
                        e.getMessage());
            }
        }
    }

    /**
     * Re-creates the manifest's aliases, pointing at the target. Restoring into a new name never takes an alias
     * away from another live collection: that switch is the operator's call.
     */
    String restoreAliases(String target, String original, Map<String, String> aliases) {
        Map<String, String> existing = qdrant.aliases();
        Map<String, String> create = new LinkedHashMap<>();
        List<String> left = new ArrayList<>();
        aliases.keySet().forEach(alias -> {
            String now = existing.get(alias);
            if (target.equals(original) || now == null || now.equals(target)) {
                create.put(alias, target);
            } else {
                left.add(alias + " -> " + now);
            }
        });
        qdrant.createAliases(create);
        return (create.isEmpty() ? "none re-created" : "re-created " + create.keySet() + " -> " + target)
                + (left.isEmpty() ? "" : "; left as they are (restore into a new name): " + left);
    }

    static boolean notCompatible(QdrantException e) {
        return e.status() == 400 && e.getMessage() != null && e.getMessage().contains("not compatible");
    }

    /** A safe name for the copy Qdrant keeps: ASCII, ends in .snapshot (so it is listed and deletable). */
    static String uploadName(String purpose, String snapshot) {
        String base = snapshot.replaceAll("\\.snapshot$", "").replaceAll("[^A-Za-z0-9._-]", "_");
        String name = purpose + "-" + STAMP.format(Instant.now()) + "-" + base;
        return (name.length() > 200 ? name.substring(0, 200) : name) + ".snapshot";
    }
}
