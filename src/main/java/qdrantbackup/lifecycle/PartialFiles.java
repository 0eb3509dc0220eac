package qdrantbackup.lifecycle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qdrantbackup.transfer.SafeFiles;

/** At start-up, deletes the {@code .part} files an interrupted run left in the archive (nothing else). */
public final class PartialFiles {
    private static final Logger LOG = LoggerFactory.getLogger(PartialFiles.class);

    private PartialFiles() {}

    /** Deletes {@code <archive>/<collection>/*.part}; returns what was deleted. */
    public static List<Path> clean(Path archiveRoot) {
        return clean(archiveRoot, java.util.Set.of());
    }

    /** Deletes the part files except those in {@code keep} (absolute paths: downloads the next run resumes). */
    public static List<Path> clean(Path archiveRoot, java.util.Set<Path> keep) {
        List<Path> deleted = new ArrayList<>();
        if (!Files.isDirectory(archiveRoot)) {
            return deleted;
        }
        try (Stream<Path> files = Files.walk(archiveRoot, 2)) {
            for (Path f : files.filter(p -> Files.isRegularFile(p)
                            && p.getFileName().toString().endsWith(SafeFiles.PART)
                            && !keep.contains(p.toAbsolutePath()))
                    .toList()) {
                Files.deleteIfExists(f);
                deleted.add(f);
            }
        } catch (IOException e) {
            LOG.warn("could not look for partial files in {}: {}", archiveRoot, e.getMessage());
        }
        if (!deleted.isEmpty()) {
            LOG.warn("deleted {} partial file(s) left by an interrupted transfer: {}", deleted.size(), deleted);
        }
        return deleted;
    }
}
