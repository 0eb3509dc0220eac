package qdrantbackup.transfer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Named moments where a crash hurts most. Off unless the JVM is started with
 * {@code -Dqdrantbackup.crash-at=<name>} (only the crash-point tests do): the process then halts there, as
 * kill -9 would, without running shutdown hooks or flushing anything.
 */
public final class CrashPoint {
    private static final Logger LOG = LoggerFactory.getLogger(CrashPoint.class);
    private static final String AT = System.getProperty("qdrantbackup.crash-at");

    private CrashPoint() {}

    /** Halts the JVM when {@code name} is the configured crash point; otherwise does nothing. */
    public static void reached(String name) {
        if (AT != null && AT.equals(name)) {
            LOG.warn("crash point {} reached: halting (test hook qdrantbackup.crash-at)", name);
            Runtime.getRuntime().halt(137);
        }
    }
}
