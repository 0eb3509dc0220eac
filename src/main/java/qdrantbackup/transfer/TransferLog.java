package qdrantbackup.transfer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the progress of one long transfer at INFO every few seconds: bytes done, total, percent,
 * MB/s and ETA. Cheap to call for every buffer; only the clock check runs each time.
 */
public final class TransferLog {
    private static final Logger LOG = LoggerFactory.getLogger("qdrantbackup.progress");
    private static volatile long intervalNanos = 5_000_000_000L;

    private final String what;
    private final Transfers owner;
    private final long started = System.nanoTime();
    private long lastLogged = started;
    private volatile long resumedAt;

    public TransferLog(String what) {
        this(what, null);
    }

    TransferLog(String what, Transfers owner) {
        this.what = what;
        this.owner = owner;
    }

    String what() {
        return what;
    }

    /** True once the application is stopping: the transfer must stop and delete its partial file. */
    public boolean stopped() {
        return owner != null && owner.stopping();
    }

    /** Ends the tracking of this transfer (see {@link Transfers#begin}); always call it, in a finally. */
    public void end() {
        if (owner != null) {
            owner.end(this);
        }
    }

    /** The transfer goes on from byte {@code offset}: the rate counts only the bytes moved by this one. */
    public void resumedAt(long offset) {
        resumedAt = offset;
    }

    /** Sets how often progress lines appear (setting {@code progress.interval-seconds}). */
    public static void interval(double seconds) {
        intervalNanos = (long) (seconds * 1e9);
    }

    /** Reports that {@code done} of {@code total} bytes (total below 0 when unknown) have passed. */
    public void bytes(long done, long total) {
        long now = System.nanoTime();
        if (now - lastLogged < intervalNanos) {
            return;
        }
        synchronized (this) {
            if (now - lastLogged < intervalNanos) {
                return;
            }
            lastLogged = now;
        }
        LOG.info("{}: {}", what, line(done, total, now - started, resumedAt));
    }

    /** Logs the closing line of a transfer, whatever the interval. */
    public void done(long bytes) {
        LOG.info("{}: done, {}", what, line(bytes, bytes, System.nanoTime() - started, resumedAt));
    }

    static String line(long done, long total, long elapsedNanos) {
        return line(done, total, elapsedNanos, 0);
    }

    static String line(long done, long total, long elapsedNanos, long from) {
        double seconds = Math.max(elapsedNanos / 1e9, 1e-9);
        double rate = Math.max(0, done - from) / seconds;
        StringBuilder sb = new StringBuilder(mib(done));
        if (total > 0) {
            sb.append(" of ").append(mib(total)).append(String.format(" (%.0f%%)", 100.0 * done / total));
        }
        sb.append(String.format(", %.1f MB/s", rate / 1e6));
        if (total > 0 && done < total && rate > 0) {
            sb.append(String.format(", ETA %ds", (long) Math.ceil((total - done) / rate)));
        } else if (done >= total && total > 0) {
            sb.append(String.format(", in %.1fs", seconds));
        }
        return sb.toString();
    }

    private static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / 1048576.0);
    }
}
