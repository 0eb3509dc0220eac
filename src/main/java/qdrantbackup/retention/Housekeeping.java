package qdrantbackup.retention;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qdrantbackup.store.Manifest;
import qdrantbackup.store.local.LocalStore;
import qdrantbackup.transfer.SafeFiles;

/**
 * Limits for the files that would otherwise grow forever, run after each backup run and each expiry: run
 * summaries ({@code state/runs/}), snapshots filed in {@code inbox/done/} (their reports stay), pre-restore
 * safety copies (the newest of each collection always stays) and pre-restore part files left by a crash.
 */
public final class Housekeeping {
    private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);
    /** A part file untouched this long is a crash's leftover: a download writes to its part file all the time. */
    static final Duration STALE_PART = Duration.ofHours(6);

    /**
     * @param runs           the run summaries' folder
     * @param runsKept       how long a run summary is kept
     * @param done           the inbox's done/ folder
     * @param doneSnapshots  how long a snapshot (and its manifest) stays in done/
     * @param archive        the archive, whose collections' pre-restore/ folders are cleaned
     * @param preRestoreKept how long a safety copy is kept when a newer one of its collection exists
     */
    public record Limits(
            Path runs,
            Duration runsKept,
            Path done,
            Duration doneSnapshots,
            LocalStore archive,
            Duration preRestoreKept) {}

    private final Limits limits;
    private final Clock clock;

    public Housekeeping(Limits limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
    }

    /** Removes what is over its limit; a failure is logged and never fails the run that called it. */
    public void run() {
        Instant now = clock.instant();
        int removed = 0;
        try {
            removed += removeOlder(limits.runs(), now.minus(limits.runsKept()), n -> n.endsWith(".json"));
            removed += removeOlder(limits.done(), now.minus(limits.doneSnapshots()), Housekeeping::isDoneSnapshot);
            for (String collection : limits.archive().collections()) {
                removed += preRestore(limits.archive().root().resolve(collection), collection, now);
            }
        } catch (RuntimeException e) {
            LOG.warn("housekeeping stopped early ({} file(s) removed): {}", removed, e.getMessage());
            return;
        }
        if (removed > 0) {
            LOG.info("housekeeping: removed {} file(s) over their limits", removed);
        }
    }

    /** A snapshot or its manifest in done/ ({@code .2} etc. when a name was taken); never a report or request. */
    static boolean isDoneSnapshot(String name) {
        return !name.endsWith(".report.json") && name.matches(".*\\.snapshot(\\.json)?(\\.\\d+)?");
    }

    private int preRestore(Path collectionFolder, String collection, Instant now) {
        Path dir = collectionFolder.resolve(LocalStore.PRE_RESTORE);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        int removed = removeOlder(dir, now.minus(STALE_PART), n -> n.endsWith(SafeFiles.PART));
        List<Manifest> copies = LocalStore.listFolder(dir, collection); // newest first
        Instant limit = now.minus(limits.preRestoreKept());
        for (Manifest old : copies.subList(Math.min(1, copies.size()), copies.size())) {
            if (old.createdAt().isBefore(limit)) {
                // the manifest first: a half-removed copy is then no longer a backup
                List<Path> files = new ArrayList<>();
                files.add(dir.resolve(old.fileName()));
                old.dataFiles().forEach(f -> files.add(dir.resolve(f.name())));
                files.forEach(SafeFiles::deleteQuietly);
                SafeFiles.forceFolder(dir);
                LOG.info(
                        "housekeeping: removed the safety copy {} of {} (older than {})",
                        old.snapshot(),
                        collection,
                        limits.preRestoreKept());
                removed += files.size();
            }
        }
        return removed;
    }

    /** Deletes the regular files of {@code dir} named so and last changed before {@code limit}. */
    private static int removeOlder(Path dir, Instant limit, Predicate<String> name) {
        if (dir == null || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        int removed = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                if (name.test(f.getFileName().toString())
                        && Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)
                        && Files.getLastModifiedTime(f, LinkOption.NOFOLLOW_LINKS)
                                .toInstant()
                                .isBefore(limit)) {
                    Files.deleteIfExists(f);
                    removed++;
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot clean " + dir + ": " + e.getMessage(), e);
        }
        return removed;
    }
}
