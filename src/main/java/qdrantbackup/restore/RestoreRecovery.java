package qdrantbackup.restore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qdrantbackup.qdrant.QdrantClient;
import qdrantbackup.qdrant.QdrantException;

/**
 * What the next start does with a restore a crash cut short ({@link RestoreJournal}). Before anything in Qdrant
 * changed: the drop, still in the inbox, runs again (at most {@value #MAX_INTERRUPTIONS} times in all). After:
 * an upload that Qdrant had accepted is checked and finished; anything else is rolled back from the safety copy
 * (or the half-restored collection is removed when it did not exist before). Either way it is reported like any
 * restore: report file, webhook, metric.
 */
final class RestoreRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(RestoreRecovery.class);
    static final int MAX_INTERRUPTIONS = 3;

    private final Restore restore;
    private final RestoreJournal journal;
    private final QdrantClient qdrant;
    private Path queued;
    private int queuedAttempts;
    private String lastError;

    RestoreRecovery(Restore restore, RestoreJournal journal, QdrantClient qdrant) {
        this.restore = restore;
        this.journal = journal;
        this.qdrant = qdrant;
    }

    /** How often {@code drop} was interrupted before (0 unless this start queued it again). */
    synchronized int attemptsOf(Path drop) {
        return drop.toAbsolutePath().equals(queued) ? queuedAttempts : 0;
    }

    /** Finishes or rolls back a crashed process's restore; false while Qdrant does not answer for it. */
    synchronized boolean run() {
        Optional<RestoreJournal.Entry> found = journal.read();
        if (found.isEmpty()) {
            return true;
        }
        RestoreJournal.Entry e = found.get();
        if (e.pid() == ProcessHandle.current().pid()) {
            return true; // this process's own restore, going on or queued again
        }
        if (e.ownedByLiveProcess()) {
            LOG.info("a restore into {} is going on in process {}; its record is left alone", e.target(), e.pid());
            return true;
        }
        String what = "the restore of " + Path.of(e.drop()).getFileName() + " into " + e.target();
        String step = e.step().name().toLowerCase(Locale.ROOT).replace('_', ' ');
        if (!e.step().touched()) {
            return again(e, what, step);
        }
        try {
            qdrant.collectionInfo(e.target());
        } catch (QdrantException down) {
            String why = down.getMessage();
            if (!why.equals(lastError)) {
                LOG.error(
                        "{} was interrupted at step {} and cannot be finished until Qdrant answers ({}); it is tried"
                                + " again before the next drop and at the next start",
                        what,
                        step,
                        why);
                lastError = why;
            }
            return false;
        }
        lastError = null;
        journal.adopt();
        RestoreReport r = RestoreReport.resumed(e);
        r.check(
                "interrupted",
                false,
                "the process ended at step " + step + " (restore started " + e.started()
                        + "); finished by the next start");
        if (e.step() == RestoreJournal.Step.UPLOADED) {
            LOG.warn("{} was interrupted after Qdrant took the upload: checking it now", what);
            try {
                restore.check(r);
            } catch (RuntimeException notRight) {
                restore.failed(r, notRight);
            }
        } else {
            LOG.warn(
                    "{} was interrupted at step {} (the process ended): {}",
                    what,
                    step,
                    e.safetyCopy() != null
                            ? "putting the previous collection back from its safety copy " + e.safetyCopy()
                            : "removing the half-restored collection (it did not exist before)");
            restore.failed(
                    r,
                    new IllegalStateException("the restore was interrupted at step " + step + " (the process"
                            + " ended before it finished)"));
        }
        restore.finish(r);
        return true;
    }

    /** Nothing in Qdrant changed: the drop runs again, unless this is its last interruption allowed. */
    private boolean again(RestoreJournal.Entry e, String what, String step) {
        Path drop = Path.of(e.drop());
        int interruptions = e.attempts() + 1;
        if (!Files.exists(drop)) {
            LOG.warn("{} was interrupted at step {} before anything in Qdrant changed; its drop is gone", what, step);
            journal.adopt();
            journal.clear();
            return true;
        }
        if (interruptions >= MAX_INTERRUPTIONS) {
            journal.adopt();
            RestoreReport r = RestoreReport.resumed(e);
            String why = what + " was interrupted " + interruptions + " times (last at step " + step + ") before"
                    + " anything in Qdrant changed; it is not tried again: look in the log for what ended the process,"
                    + " then drop the file again";
            r.end(RestoreReport.Outcome.FAILED, why, "not needed: nothing in Qdrant was changed");
            LOG.error("{}", why);
            restore.finish(r);
            return true;
        }
        LOG.warn(
                "{} was interrupted at step {} (the process ended) before anything in Qdrant changed; it runs again"
                        + " from the start (interruption {} of {} allowed)",
                what,
                step,
                interruptions,
                MAX_INTERRUPTIONS - 1);
        queued = drop.toAbsolutePath();
        queuedAttempts = interruptions;
        journal.write(e.takenOver(interruptions));
        return true;
    }
}
