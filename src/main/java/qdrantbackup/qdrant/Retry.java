package qdrantbackup.qdrant;

import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qdrantbackup.transfer.DiskSpace;

/** Exponential backoff for steps that are safe to repeat: delay, 2×delay, 4×delay … capped at 5 min. */
public final class Retry {
    private static final Logger LOG = LoggerFactory.getLogger(Retry.class);
    private static final Duration CAP = Duration.ofMinutes(5);

    private final int retries;
    private final Duration delay;

    public Retry(int retries, Duration delay) {
        this.retries = Math.max(0, retries);
        this.delay = delay;
    }

    /** Runs {@code step}; retries it while it throws a retryable {@link QdrantException}. */
    public <T> T run(String what, Supplier<T> step) {
        Duration wait = delay;
        for (int attempt = 1; ; attempt++) {
            try {
                return step.get();
            } catch (RuntimeException e) {
                // a full disk is the disk's problem: another try fills it again
                boolean retryable = e instanceof QdrantException q && q.retryable() && !DiskSpace.isDiskFull(e);
                if (!retryable || attempt > retries) {
                    throw e;
                }
                LOG.warn(
                        "{} failed (attempt {} of {}), trying again in {} ms: {}",
                        what,
                        attempt,
                        retries + 1,
                        wait.toMillis(),
                        e.getMessage());
                sleep(wait);
                wait = wait.multipliedBy(2).compareTo(CAP) > 0 ? CAP : wait.multipliedBy(2);
            }
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry", e);
        }
    }
}
