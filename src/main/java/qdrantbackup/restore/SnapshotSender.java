package qdrantbackup.restore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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

    /**
     * Uploads {@code file} into {@code target} as {@code name}; Qdrant checks it against {@code sha256} before it
     * recovers anything. Returns the SHA-256 of the bytes sent.
     */
    String send(String target, Path file, String name, String sha256) {
        TransferLog log = new TransferLog("upload " + name + " into " + target);
        journal.made(target, name); // Qdrant keeps a copy of the upload until it is deleted
        String sent = qdrant.uploadSnapshot(target, file, name, sha256, log::bytes);
        try {
            log.done(Files.size(file));
        } catch (IOException ignored) {
            // only the closing progress line is lost
        }
        return sent;
    }

    /** Deletes a snapshot from Qdrant's disk; gone already is fine, anything else a warning. */
    boolean deleteQuietly(String collection, String snapshot) {
        try {
            qdrant.deleteSnapshot(collection, snapshot);
            journal.gone(collection, snapshot);
            return true;
        } catch (RuntimeException e) {
            if (e instanceof QdrantException q && q.status() == 404) {
                // Qdrant keeps a deleted collection's snapshots folder: the file is gone only if the collection is
                // there
                if (collectionExists(collection)) {
                    journal.gone(collection, snapshot);
                    return true;
                }
                return false;
            }
            LOG.warn(
                    "could not delete snapshot {} of {} from Qdrant's disk (delete it by hand to free the"
                            + " space): {}",
                    snapshot,
                    collection,
                    e.getMessage());
            return false;
        }
    }

    private boolean collectionExists(String collection) {
        try {
            return qdrant.collectionInfo(collection).isPresent();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Re-creates the manifest's aliases, pointing at the target. An alias that now points at another existing
     * collection (a blue/green switch since the backup) is left alone unless {@code force}: that switch is the
     * operator's call.
     */
    Aliases restoreAliases(String target, Map<String, String> aliases, boolean force) {
        Map<String, String> existing = qdrant.aliases();
        List<String> collections = qdrant.collections();
        Map<String, String> create = new LinkedHashMap<>();
        Map<String, String> left = new LinkedHashMap<>();
        aliases.keySet().forEach(alias -> {
            String now = existing.get(alias);
            if (force || now == null || now.equals(target) || !collections.contains(now)) {
                create.put(alias, target);
            } else {
                left.put(alias, now);
            }
        });
        qdrant.createAliases(create);
        return new Aliases(List.copyOf(create.keySet()), left);
    }

    /** The aliases re-created, and those left pointing at another collection (alias to collection). */
    record Aliases(List<String> recreated, Map<String, String> leftAlone) {
        @Override
        public String toString() {
            return (recreated.isEmpty() ? "none re-created" : "re-created " + recreated)
                    + (leftAlone.isEmpty()
                            ? ""
                            : "; left alone, they point at another collection now (\"aliases\": \"force\" moves"
                                    + " them): " + leftAlone);
        }
    }

    /** Qdrant's answer when the uploaded file's SHA-256 is not the {@code checksum} asked for. */
    static boolean checksumMismatch(QdrantException e) {
        return e.status() == 400 && e.getMessage() != null && e.getMessage().contains("Checksum mismatch");
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
