package qdrantbackup.store.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import qdrantbackup.store.BackupStore;
import qdrantbackup.store.BackupStoreConformance;

/** The local archive passes the store suite. */
class LocalStoreConformanceTest extends BackupStoreConformance {
    private LocalStore store;

    @BeforeEach
    void archive() {
        store = new LocalStore(tmp.resolve("archive"));
    }

    @Override
    protected BackupStore store() {
        return store;
    }

    @Override
    protected void plant(String collection, String name, byte[] content) {
        try {
            Files.write(store.folder(collection).resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected void damage(String collection, String name) {
        try {
            Path file = store.folder(collection).resolve(name);
            byte[] bytes = Files.readAllBytes(file);
            bytes[bytes.length / 2] ^= 0x5a;
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected Set<String> stored(String collection) {
        try (Stream<Path> files = Files.list(store.folder(collection))) {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
