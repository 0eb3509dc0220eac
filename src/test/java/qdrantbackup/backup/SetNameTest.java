package qdrantbackup.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two sets of one collection begun in the same second must not share file names. */
class SetNameTest {
    @TempDir
    Path folder;

    private final Instant start = Instant.parse("2026-12-02T06:37:36Z");

    @Test
    void aSetIsNamedAfterItsStartSecond() {
        assertThat(ClusterSetBackup.freeName("products", folder, start)).isEqualTo("products-set-2026-12-02-06-37-36");
        assertThat(ClusterSetBackup.freeName("products", folder.resolve("not-made-yet"), start))
                .isEqualTo("products-set-2026-12-02-06-37-36");
    }

    @Test
    void aSecondAlreadyTakenMovesTheNameOn() throws Exception {
        Files.writeString(folder.resolve("products-set-2026-12-02-06-37-36-shard-3.snapshot"), "x");
        Files.writeString(folder.resolve("products-set-2026-12-02-06-37-37-shard-0.snapshot.part"), "x");
        // another collection's set of that second does not count
        Files.writeString(folder.resolve("prod-set-2026-12-02-06-37-38-shard-0.snapshot"), "x");

        assertThat(ClusterSetBackup.freeName("products", folder, start)).isEqualTo("products-set-2026-12-02-06-37-38");
    }
}
