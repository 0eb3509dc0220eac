package qdrantbackup.testing;

import java.nio.file.Path;
import java.time.Duration;
import qdrantbackup.lifecycle.ArchiveLock;

/**
 * A second process for the lock tests: takes the archive's lock, says {@code locked}, and holds it until
 * it is killed, or for the milliseconds given as the second argument.
 */
public final class LockHolder {
    private LockHolder() {}

    public static void main(String[] args) throws Exception {
        ArchiveLock lock = ArchiveLock.acquire(Path.of(args[0]), Duration.ZERO, "run");
        System.out.println("locked");
        System.out.flush();
        if (args.length > 1) {
            Thread.sleep(Long.parseLong(args[1]));
            lock.stop();
            return;
        }
        System.in.read(); // until the test kills this process
    }

    /** Starts the holder in a child JVM and returns once it holds the lock. */
    public static Process start(Path archive, Long holdMillis) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = holdMillis == null
                ? new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        LockHolder.class.getName(),
                        archive.toString())
                : new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        LockHolder.class.getName(),
                        archive.toString(),
                        holdMillis.toString());
        Process p = pb.redirectErrorStream(true).start();
        var in = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()));
        for (String line; (line = in.readLine()) != null; ) {
            if (line.equals("locked")) {
                return p;
            }
        }
        throw new IllegalStateException("the lock holder ended without taking the lock, exit " + p.waitFor());
    }
}
