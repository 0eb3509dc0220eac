package qdrantbackup.restore;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import qdrantbackup.store.ClusterSet;
import qdrantbackup.store.Manifest;
import qdrantbackup.store.local.LocalStore;

/**
 * The shard files of a cluster set dropped into the inbox are restored with their set (the drop of its first
 * file, which has the manifest), never on their own: a file that a set manifest beside it names, other than
 * that set's first, is held back, and so is a file named as a set's shard file
 * ({@code <collection>-set-<time>-shard-<id>.snapshot}) while no manifest names it.
 */
final class SetFiles {
    private SetFiles() {}

    /** Whether the inbox must leave {@code file} to the drop of its set. */
    static boolean heldBack(Path file) {
        String name = file.getFileName().toString();
        if (!name.endsWith(".snapshot") || Files.exists(file.resolveSibling(name + Manifest.SUFFIX))) {
            return false; // not a snapshot, or one with its own manifest: a drop
        }
        if (ClusterSet.isShardFileName(name)) {
            return true;
        }
        try (DirectoryStream<Path> manifests = Files.newDirectoryStream(file.getParent(), "*.snapshot.json")) {
            for (Path json : manifests) {
                if (Files.isSymbolicLink(json)
                        || !Files.isRegularFile(json, LinkOption.NOFOLLOW_LINKS)
                        || Files.size(json) > Manifest.MAX_BYTES) {
                    continue;
                }
                Manifest m = LocalStore.readManifest(json).orElse(null);
                if (m != null
                        && m.cluster() != null
                        && m.dataFiles().stream().skip(1).anyMatch(f -> name.equals(f.name()))) {
                    return true;
                }
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return false;
    }
}
