package qdrantbackup.testing;

import java.nio.file.Path;
import java.time.Duration;
import qdrantbackup.lifecycle.ArchiveLock;

/**
 * A second process for the lock tests: takes the archive's lock, says {@code locked}, and holds it until it is
 * killed or a line reaches its standard input ({@link #release}).
 */
public final class LockHolder {
    private LockHolder() {}

    public static void main(String[] args) throws Exception {
        ArchiveLock lock = ArchiveLock.acquire(Path.of(args[0]), Duration.ZERO, "run");
        System.out.println("locked");
        System.out.flush();
        new java.io.BufferedReader(new java.io.InputStreamReader(System.in)).readLine();
        lock.stop();
    }

    /** Lets the holder release its lock and end. */
    public static void release(Process holder) throws java.io.IOException {
        holder.getOutputStream().write("release\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        holder.getOutputStream().flush();
    }

    /** Starts the holder in a child JVM and returns once it holds the lock. */
    public static Process start(Path archive) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(
                java, "-cp", System.getProperty("java.class.path"), LockHolder.class.getName(), archive.toString());
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
