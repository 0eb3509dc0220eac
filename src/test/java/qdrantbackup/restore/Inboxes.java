package qdrantbackup.restore;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import qdrantbackup.store.Manifest;

/** Test helpers: settings for a fast inbox, dropping files the way an operator does, reading reports. */
final class Inboxes {
    static final ObjectMapper JSON = new ObjectMapper();

    private Inboxes() {}

    static Map<String, String> settings(Path dir) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("restore.inbox.enabled", "true");
        o.put("restore.inbox.dir", dir.resolve("inbox").toString());
        o.put("restore.inbox.poll", "50ms");
        o.put("restore.inbox.min-age", "150ms");
        o.put("restore.health-poll", "20ms");
        o.put("restore.health-timeout", "5s");
        return o;
    }

    /** Copies a file into the inbox as a copy tool would finish it: written aside, then renamed in. */
    static Path drop(Path inbox, Path source, String name) {
        try {
            Files.createDirectories(inbox);
            Path staging = Files.createDirectories(inbox.resolveSibling("staging"));
            Path temp = staging.resolve(name);
            Files.copy(source, temp, StandardCopyOption.REPLACE_EXISTING);
            return Files.move(temp, inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path dropText(Path inbox, String name, String text) {
        try {
            Path staging = Files.createDirectories(inbox.resolveSibling("staging"));
            Path temp = Files.writeString(staging.resolve(name + ".tmp"), text);
            return drop(inbox, temp, name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path dropManifest(Path inbox, String name, Manifest m) {
        try {
            return dropText(inbox, name, JSON.writeValueAsString(m));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for {@code <file>.report.json} in done/ or failed/ and reads it. */
    static JsonNode report(Path inbox, String reportOf) {
        Path done = inbox.resolve("done").resolve(reportOf + ".report.json");
        Path failed = inbox.resolve("failed").resolve(reportOf + ".report.json");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(done) || Files.exists(failed));
        try {
            return JSON.readTree((Files.exists(done) ? done : failed).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Manifest manifest(
            String collection, String snapshot, Path file, String sha, Long points, Map<String, String> aliases) {
        try {
            return new Manifest(
                    collection,
                    snapshot,
                    Manifest.COLLECTION,
                    Files.size(file),
                    sha,
                    "2026-01-01T00:00:00Z",
                    "1.19.0",
                    points,
                    null,
                    aliases,
                    "test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A Qdrant-style snapshot name for a collection at a given second. */
    static String name(String collection, int second) {
        return collection + "-11532566549086892528-2026-01-01-00-00-" + String.format("%02d", second) + ".snapshot";
    }
}
