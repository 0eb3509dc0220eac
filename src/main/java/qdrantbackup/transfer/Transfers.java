package qdrantbackup.transfer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transfers in flight, so that a stop leaves no partial file behind. Camel first lets running
 * exchanges finish within {@code camel.main.shutdown-timeout}; then this service stops: new
 * transfers are refused, running ones stop at their next piece ({@link TransferLog#stopped()}) and
 * delete their partial file, and whatever partial file is still there after {@code unwind} is deleted.
 */
public final class Transfers implements Service {
    private static final Logger LOG = LoggerFactory.getLogger(Transfers.class);

    private final Map<TransferLog, Path> active = new ConcurrentHashMap<>();
    private final Duration unwind;
    private volatile boolean stopping;

    public Transfers(Duration unwind) {
        this.unwind = unwind;
    }

    /** Starts tracking a transfer writing {@code partial} (may be null); refused once stopping. */
    public TransferLog begin(String what, Path partial) {
        if (stopping) {
            throw new StoppedException(what + " not started: the application is stopping");
        }
        TransferLog log = new TransferLog(what, this);
        active.put(log, partial == null ? Path.of("") : partial);
        return log;
    }

    /** The transfer ended (done, failed or stopped); its partial file is its own business again. */
    public void end(TransferLog log) {
        Path partial = active.get(log);
        if (stopping && partial != null && !partial.toString().isEmpty()) {
            try {
                Files.deleteIfExists(partial);
                LOG.warn("{}: stopped, its partial file {} was deleted", log.what(), partial);
            } catch (IOException e) {
                LOG.warn("{}: stopped, could not delete its partial file {}: {}", log.what(), partial, e.getMessage());
            }
        }
        synchronized (this) {
            active.remove(log);
            notifyAll();
        }
    }

    public boolean stopping() {
        return stopping;
    }

    /** What is running now, for logs. */
    public List<String> running() {
        return active.keySet().stream().map(TransferLog::what).sorted().toList();
    }

    @Override
    public void start() {
        stopping = false;
    }

    @Override
    public void stop() {
        stopping = true;
        if (active.isEmpty()) {
            return;
        }
        LOG.warn(
                "stopping: {} transfer(s) did not finish within camel.main.shutdown-timeout and are stopped: {}",
                active.size(),
                running());
        long deadline = System.nanoTime() + unwind.toNanos();
        synchronized (this) {
            while (!active.isEmpty() && System.nanoTime() < deadline) {
                try {
                    wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        for (Map.Entry<TransferLog, Path> e : Map.copyOf(active).entrySet()) {
            Path partial = e.getValue();
            if (!partial.toString().isEmpty()) {
                try {
                    if (Files.deleteIfExists(partial)) {
                        LOG.warn(
                                "{}: still running after {}s, its partial file {} was deleted",
                                e.getKey().what(),
                                unwind.toSeconds(),
                                partial);
                    }
                } catch (IOException ex) {
                    LOG.warn(
                            "{}: could not delete partial file {}: {}",
                            e.getKey().what(),
                            partial,
                            ex.getMessage());
                }
            }
        }
    }

    /** A transfer refused or ended because the application is stopping: never retried. */
    public static final class StoppedException extends RuntimeException {
        public StoppedException(String message) {
            super(message);
        }
    }
}
