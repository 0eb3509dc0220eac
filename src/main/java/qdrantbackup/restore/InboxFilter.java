package qdrantbackup.restore;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the inbox's file consumer may pick up, judged without following links: regular files, and symbolic
 * links (which the restore refuses with a report, never reading the target). Folders, FIFOs and device files
 * are ignored with one warning each: opening a FIFO would block the inbox thread.
 */
public final class InboxFilter implements GenericFileFilter<File> {
    private static final Logger LOG = LoggerFactory.getLogger(InboxFilter.class);
    private static final Set<String> OWN_FOLDERS = Set.of(Inbox.DONE, Inbox.FAILED);

    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    @Override
    public boolean accept(GenericFile<File> file) {
        return accept(file.getFile().toPath());
    }

    boolean accept(Path path) {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException gone) {
            return false;
        }
        if (a.isRegularFile() && SetFiles.heldBack(path)) {
            if (warned.add("set\0" + path)) {
                LOG.info(
                        "inbox: {} is a shard file of a cluster set: it is restored with its set, the drop of the"
                                + " set's first file with its manifest (<first>.snapshot.json)",
                        path);
            }
            return false;
        }
        if (a.isRegularFile() || a.isSymbolicLink()) {
            return true;
        }
        String name = path.getFileName().toString();
        if (a.isDirectory() && OWN_FOLDERS.contains(name)) {
            return false;
        }
        String kind = a.isDirectory() ? "a folder" : "not a regular file (a FIFO, socket or device)";
        if (warned.add(kind + "\0" + path)) {
            LOG.warn(
                    "inbox: ignoring {}: it is {}; drop only regular files (a snapshot, its manifest, a .restore.json"
                            + " or backup-now), copied in, not linked",
                    path,
                    kind);
        }
        return false;
    }
}
