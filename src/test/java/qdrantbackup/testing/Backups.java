package qdrantbackup.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import qdrantbackup.store.Manifest;

/** Writes backups into an archive folder as the backup chain leaves them, for retention and catalogue tests. */
public final class Backups {
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss").withZone(ZoneOffset.UTC);

    private Backups() {}

    /** Qdrant's name for a snapshot of {@code collection} made at {@code when}. */
    public static String name(String collection, Instant when) {
        return collection + "-" + FakeQdrant.PEER_ID + "-" + STAMP.format(when) + ".snapshot";
    }

    /** A small snapshot file and its manifest in {@code archive/<collection>/}. */
    public static Manifest write(Path archive, String collection, Instant when) throws IOException {
        Path folder = archive.resolve(collection);
        Files.createDirectories(folder);
        String name = name(collection, when);
        byte[] bytes = (collection + "@" + when).getBytes();
        Files.write(folder.resolve(name), bytes);
        Manifest manifest = new Manifest(
                collection,
                name,
                Manifest.COLLECTION,
                bytes.length,
                FakeQdrant.sha256(bytes),
                when.toString(),
                FakeQdrant.VERSION,
                1L,
                null,
                Map.of(),
                "test");
        qdrantbackup.transfer.SafeFiles.JSON.writeValue(
                folder.resolve(name + ".json").toFile(), manifest);
        return manifest;
    }
}
