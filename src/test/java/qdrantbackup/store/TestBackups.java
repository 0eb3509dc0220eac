package qdrantbackup.store;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import qdrantbackup.transfer.HashingCopy;
import qdrantbackup.transfer.SafeFiles;

/** Backups made up for the store tests: data files of random bytes in a folder, and their manifest. */
public final class TestBackups {
    static final Instant EPOCH = Instant.parse("2025-03-01T00:00:00Z");

    private TestBackups() {}

    /** The snapshot name of the backup made {@code second}s after {@link #EPOCH}. */
    static String name(String collection, int second) {
        return collection + "-" + String.format("%08d", second) + ".snapshot";
    }

    /**
     * A set of {@code sizes.length} data files written into {@code folder} (the first named as the snapshot, the
     * others {@code <snapshot>.<n>}), and its manifest in this version's format; the manifest is not written.
     */
    public static Manifest make(Path folder, String collection, int second, long... sizes) {
        String snapshot = name(collection, second);
        List<Manifest.DataFile> files = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            String fileName = i == 0 ? snapshot : snapshot + "." + (i + 1);
            files.add(write(folder.resolve(fileName), sizes[i], second * 31L + i));
        }
        Manifest.DataFile first = files.get(0);
        return new Manifest(
                collection,
                snapshot,
                Manifest.COLLECTION,
                first.size(),
                first.sha256(),
                EPOCH.plusSeconds(second).toString(),
                "1.13.0",
                42L,
                JsonNodeFactory.instance.objectNode().put("vectors", 4),
                Map.of(),
                "qdrant-backup test",
                Manifest.FORMAT,
                files);
    }

    /** The same backup with another SHA-256 for file {@code index}. */
    static Manifest withOtherSha256(Manifest m, int index) {
        List<Manifest.DataFile> files = new ArrayList<>(m.dataFiles());
        Manifest.DataFile f = files.get(index);
        files.set(
                index,
                new Manifest.DataFile(f.name(), f.size(), "00" + f.sha256().substring(2)));
        Manifest.DataFile first = files.get(0);
        return new Manifest(
                m.collection(),
                m.snapshot(),
                m.kind(),
                first.size(),
                first.sha256(),
                m.created(),
                m.qdrantVersion(),
                m.pointCount(),
                m.config(),
                m.aliases(),
                m.tool(),
                m.format(),
                files);
    }

    static Manifest.DataFile write(Path file, long size, long seed) {
        try {
            SafeFiles.createPrivateDirectories(file.toAbsolutePath().getParent());
            byte[] bytes = new byte[(int) size];
            new Random(seed).nextBytes(bytes);
            Files.write(file, bytes);
            return new Manifest.DataFile(file.getFileName().toString(), size, HashingCopy.sha256(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A manifest exactly as version 1 wrote it (no {@code format}, no {@code files}) for a snapshot of
     * {@code content}; {@link #formatOneSnapshot} is the snapshot's name.
     */
    static String formatOneManifest(String collection, byte[] content) {
        return "{\n  \"collection\" : \"" + collection + "\",\n  \"snapshot\" : \"" + formatOneSnapshot(collection)
                + "\",\n  \"kind\" : \"collection\",\n  \"size\" : " + content.length + ",\n  \"sha256\" : \""
                + HashingCopy.sha256(content) + "\",\n  \"created\" : \"2024-11-05T03:00:00Z\",\n"
                + "  \"qdrantVersion\" : \"1.12.4\",\n  \"pointCount\" : 1000,\n"
                + "  \"config\" : {\n    \"params\" : {\n      \"vectors\" : {\n        \"size\" : 4\n      }\n    }\n"
                + "  },\n  \"aliases\" : {\n    \"shop\" : \"" + collection + "\"\n  },\n"
                + "  \"tool\" : \"qdrant-backup 0.1.0\"\n}";
    }

    static String formatOneSnapshot(String collection) {
        return collection + "-2024-11-05-03-00-00.snapshot";
    }
}
