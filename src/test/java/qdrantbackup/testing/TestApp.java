package qdrantbackup.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import qdrantbackup.backup.BackupRun;
import qdrantbackup.command.Launcher;

/**
 * The application as an operator runs it: the project's application.properties and routes/, with
 * test folders and addresses as overrides. Schedules are off unless a test turns them on.
 */
public final class TestApp implements AutoCloseable {
    private final Main main;
    public final Path archive;
    public final Path state;

    private TestApp(Main main, Path archive, Path state) {
        this.main = main;
        this.archive = archive;
        this.state = state;
    }

    /** Settings every test needs: its own folders, fast retries, no schedules. */
    public static Map<String, String> defaults(Path dir, String qdrantUrl) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("qdrant.url", qdrantUrl);
        o.put("qdrant.retry-delay", "20ms");
        o.put("qdrant.retries", "2");
        o.put("archive.dir", dir.resolve("archive").toString());
        o.put("state.dir", dir.resolve("state").toString());
        o.put("backup.schedule.enabled", "false");
        o.put("retention.schedule.enabled", "false");
        o.put("drill.schedule.enabled", "false");
        o.put("restore.inbox.enabled", "false");
        o.put("camel.management.enabled", "false");
        o.put("progress.interval", "100ms");
        o.put("routes.reload", "false"); // never watch the project's own routes/ from a test
        return o;
    }

    /**
     * The operator's settings file for the commands (list, backup-now, check): the project's
     * application.properties with this test's folders, Qdrant and {@code extra} appended (a later key wins).
     */
    public static Path settingsFile(Path dir, String qdrantUrl, Map<String, String> extra) throws IOException {
        StringBuilder lines = new StringBuilder(Files.readString(Path.of("application.properties"))).append('\n');
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("archive.dir", dir.resolve("archive").toString());
        settings.put("state.dir", dir.resolve("state").toString());
        settings.put("restore.inbox.dir", dir.resolve("inbox").toString());
        settings.put("qdrant.url", qdrantUrl);
        settings.putAll(extra);
        settings.forEach((k, v) -> lines.append(k).append('=').append(v).append('\n'));
        return Files.writeString(dir.resolve("application.properties"), lines);
    }

    public static TestApp start(Path dir, String qdrantUrl, Map<String, String> extra) throws Exception {
        return start(dir, qdrantUrl, extra, Path.of("routes"));
    }

    /** With the routes from another folder (e.g. a copy a test edits). */
    public static TestApp start(Path dir, String qdrantUrl, Map<String, String> extra, Path routes) throws Exception {
        Map<String, String> overrides = defaults(dir, qdrantUrl);
        overrides.putAll(extra);
        Main main = Launcher.start(Path.of("application.properties"), routes, overrides);
        return new TestApp(main, Path.of(overrides.get("archive.dir")), Path.of(overrides.get("state.dir")));
    }

    public CamelContext camel() {
        return main.getCamelContext();
    }

    /** One backup run of everything, as backup-now does it. */
    public BackupRun backupNow() {
        return backupNow(null);
    }

    public BackupRun backupNow(String collection) {
        return camel().createProducerTemplate()
                .requestBodyAndHeader("direct:backup", null, "collection", collection, BackupRun.class);
    }

    @Override
    public void close() {
        main.stop();
    }
}
