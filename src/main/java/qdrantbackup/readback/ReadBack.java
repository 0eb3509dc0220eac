package qdrantbackup.readback;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qdrantbackup.store.Manifest;
import qdrantbackup.store.s3.ObjectStore;
import qdrantbackup.store.s3.OffsiteException;
import qdrantbackup.store.s3.S3Store;
import qdrantbackup.transfer.HashingCopy;

/**
 * Reads back a rolling share of the bucket's backups (routes/verify.camel.yaml, the {@code verify} command):
 * each data file streamed and hashed, never kept, and compared with its manifest's size and SHA-256, as restic's
 * {@code check --read-data-subset} does. A run reads the backups whose last read-back is oldest: at least
 * {@code 1/runs-per-period} of them, and every one due (not read back within the period since it was made or
 * last read), so each backup is read at least once per period.
 */
public final class ReadBack {
    private static final Logger LOG = LoggerFactory.getLogger(ReadBack.class);

    /** One backup read back: OK, DAMAGED (bytes differ), MISSING (an object is gone) or ERROR (no answer). */
    public record Result(String collection, String snapshot, String outcome, String detail) {
        public boolean ok() {
            return "OK".equals(outcome);
        }

        public String line() {
            return String.format("%-20s %-8s %s  %s", collection, outcome, snapshot, detail);
        }
    }

    private final S3Store bucket;
    private final ReadBackState state;
    private final Duration period;
    private final int runsPerPeriod;
    private final Clock clock;
    private final List<Consumer<Result>> listeners = new ArrayList<>();

    public ReadBack(S3Store bucket, ReadBackState state, Duration period, int runsPerPeriod, Clock clock) {
        this.bucket = bucket;
        this.state = state;
        this.period = period;
        this.runsPerPeriod = runsPerPeriod;
        this.clock = clock;
    }

    /** Told of every backup read back (webhook, metrics). */
    public void onResult(Consumer<Result> listener) {
        listeners.add(listener);
    }

    /** What is on record of earlier read-backs (metrics). */
    public ReadBackState state() {
        return state;
    }

    public boolean enabled() {
        return bucket != null;
    }

    /** When the backup was last read back and how it went, for the catalogue: {@code <time> ok}, or never. */
    public String lastLine(Manifest m) {
        return state.last(m.collection(), m.snapshot())
                .map(l -> l.at().replaceAll("\\.\\d+Z$", "Z") + (l.ok() ? " ok" : " FAILED: " + l.detail()))
                .orElse("never");
    }

    /** The scheduled run: the rolling share of every collection's bucket backups. */
    public List<Result> scheduled() {
        return run(null, false);
    }

    /** Reads back the share (or, with {@code all}, every backup) of one collection or, when null, all. */
    public List<Result> run(String collection, boolean all) {
        if (bucket == null) {
            LOG.info("read-back: no bucket (offsite.bucket is empty): nothing to read back");
            return List.of();
        }
        // not list(): it hides a backup whose object is gone or cut short, the very ones to report
        List<Manifest> backups = bucket.allManifests(collection);
        List<Manifest> chosen = all ? backups : share(backups);
        LOG.info("read-back: reading {} of the {} backups in {}", chosen.size(), backups.size(), bucket.describe());
        List<Result> results = new ArrayList<>();
        for (Manifest m : chosen) {
            Result r = readBack(m);
            results.add(r);
            for (Consumer<Result> l : listeners) {
                l.accept(r);
            }
        }
        long bad = results.stream().filter(r -> !r.ok()).count();
        LOG.info("read-back: {} backups read, {} ok, {} not", results.size(), results.size() - bad, bad);
        return results;
    }

    /** The oldest-read first: every one due, and at least the run's share. */
    List<Manifest> share(List<Manifest> backups) {
        Instant now = clock.instant();
        List<Manifest> sorted = new ArrayList<>(backups);
        sorted.sort(Comparator.comparing(this::lastRead).thenComparing(Manifest::createdAt));
        int quota = (int) Math.ceil(backups.size() / (double) runsPerPeriod);
        List<Manifest> chosen = new ArrayList<>();
        for (Manifest m : sorted) {
            Instant since = lastRead(m).equals(Instant.EPOCH) ? m.createdAt() : lastRead(m);
            boolean due = !since.plus(period).isAfter(now);
            if (chosen.size() < quota || due) {
                chosen.add(m);
            }
        }
        return chosen;
    }

    private Instant lastRead(Manifest m) {
        return state.last(m.collection(), m.snapshot())
                .map(ReadBackState.Last::when)
                .orElse(Instant.EPOCH);
    }

    private Result readBack(Manifest m) {
        ObjectStore objects = bucket.objects();
        String where = "s3://" + bucket.settings().bucket() + "/";
        long bytes = 0;
        for (Manifest.DataFile f : m.dataFiles()) {
            String key = bucket.layout().key(m.collection(), f.name());
            HashingCopy.Result got;
            try {
                got = objects.readThrough(key);
            } catch (OffsiteException e) {
                if (!(e instanceof OffsiteException.Missing)) {
                    // the bucket did not answer: nothing is known about the backup, its last read-back stays
                    LOG.error("read-back of {}{} failed: {}; it is read again next run", where, key, e.getMessage());
                    return new Result(m.collection(), m.snapshot(), "ERROR", e.getMessage());
                }
                return damaged(m, where + key, "MISSING", "the object is missing");
            }
            if (got.size() != f.size() || !got.sha256().equalsIgnoreCase(f.sha256())) {
                return damaged(
                        m,
                        where + key,
                        "DAMAGED",
                        "its bytes differ from the manifest (SHA-256 " + got.sha256() + ", " + got.size()
                                + " bytes; the manifest says " + f.sha256() + ", " + f.size() + " bytes)");
            }
            bytes += got.size();
        }
        String detail = "every file matches its manifest's SHA-256 (" + bytes + " bytes read)";
        state.record(m.collection(), m.snapshot(), new ReadBackState.Last(clock.instant(), true, detail));
        LOG.info("read-back: {} of {} OK: {}", m.snapshot(), m.collection(), detail);
        return new Result(m.collection(), m.snapshot(), "OK", detail);
    }

    private Result damaged(Manifest m, String object, String outcome, String what) {
        String detail = object + ": " + what;
        state.record(m.collection(), m.snapshot(), new ReadBackState.Last(clock.instant(), false, detail));
        LOG.error(
                "read-back: {} ({} of collection {}) {}: the bucket copy of this backup cannot be restored. Delete"
                        + " the object and run backup-now {}: the upload catch-up puts it again from the local"
                        + " archive while that still holds it; else a new backup replaces it",
                object,
                m.snapshot(),
                m.collection(),
                what,
                m.collection());
        return new Result(m.collection(), m.snapshot(), outcome, detail);
    }
}
