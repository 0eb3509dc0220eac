package qdrantbackup.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Daemon instances as separate JVM processes (the test class path, {@link Member}); killed on close. */
public final class Members implements AutoCloseable {
    /** The management token of the instances this starts. */
    public static final String TOKEN = "members-test-token";

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Process> started = new ArrayList<>();

    /** A running instance: its process, log file, state folder and management port. */
    public record Instance(String id, Process process, Path log, Path state, int port) {
        public String ready() {
            return get("/observe/health/ready?exposureLevel=full");
        }

        public String get(String path) {
            return call(HttpRequest.newBuilder(uri(path))
                    .header("Authorization", "Bearer " + TOKEN)
                    .GET());
        }

        /** A POST with the bearer token the instances are started with ({@link #TOKEN}). */
        public String post(String path) {
            return call(HttpRequest.newBuilder(uri(path))
                    .header("Authorization", "Bearer " + TOKEN)
                    .POST(HttpRequest.BodyPublishers.noBody()));
        }

        public String logText() throws IOException {
            return Files.readString(log);
        }

        private URI uri(String path) {
            return URI.create("http://127.0.0.1:" + port + path);
        }

        private static String call(HttpRequest.Builder request) {
            try {
                HttpResponse<String> r =
                        HTTP.send(request.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                return r.statusCode() + " " + r.body();
            } catch (IOException e) {
                return "no answer: " + e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        }
    }

    /** Starts instance {@code id} with its own state folder and management port under {@code dir}. */
    public Instance start(String id, Path dir, Map<String, String> settings) throws IOException {
        return start(id, dir, settings, List.of(), Map.of());
    }

    /** As {@link #start(String, Path, Map)}, with JVM options such as {@code -Dqdrantbackup.crash-at=...}. */
    public Instance start(String id, Path dir, Map<String, String> settings, List<String> jvmOptions)
            throws IOException {
        return start(id, dir, settings, jvmOptions, Map.of());
    }

    /** The same with {@code env} added to the process's environment (e.g. where the Kubernetes API is). */
    public Instance start(String id, Path dir, Map<String, String> settings, Map<String, String> env)
            throws IOException {
        return start(id, dir, settings, List.of(), env);
    }

    private Instance start(
            String id, Path dir, Map<String, String> settings, List<String> jvmOptions, Map<String, String> env)
            throws IOException {
        int port = freePort();
        Path state = dir.resolve("state-" + id);
        Path log = dir.resolve(id + ".log");
        for (int n = 2; Files.exists(log); n++) {
            log = dir.resolve(id + "-" + n + ".log"); // a restart on the same folders keeps the first log
        }
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1")); // these JVMs live seconds: start sooner
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Member.class.getName()));
        Map<String, String> all = new java.util.LinkedHashMap<>(settings);
        all.putIfAbsent("management.token", TOKEN);
        all.forEach((k, v) -> cmd.add(k + "=" + v));
        cmd.add("ha.member-id=" + id);
        cmd.add("state.dir=" + state);
        cmd.add("camel.management.enabled=true");
        cmd.add("camel.management.port=" + port);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("HA_") || k.startsWith("QDRANT_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        started.add(p);
        return new Instance(id, p, log, state, port);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        for (Process p : started) {
            p.destroyForcibly();
        }
        for (Process p : started) {
            try {
                p.waitFor(
                        java.util.concurrent.TimeUnit.SECONDS.toMillis(10), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
