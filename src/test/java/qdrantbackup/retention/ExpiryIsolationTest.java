package qdrantbackup.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.store.BackupStore;
import qdrantbackup.store.Manifest;
import qdrantbackup.store.local.LocalStore;
import qdrantbackup.testing.Backups;

/** One collection whose listing fails does not keep the others from being expired. */
class ExpiryIsolationTest {
    @TempDir
    Path archive;

    @Test
    void aCollectionThatCannotBeListedIsReportedAndTheOthersAreExpired() throws Exception {
        Instant start = Instant.parse("2025-01-01T02:00:00Z");
        for (String c : List.of("alpha", "broken", "gamma")) {
            for (int day = 0; day < 10; day++) {
                Backups.write(archive, c, start.plus(Duration.ofDays(day)));
            }
        }
        LocalStore local = new LocalStore(archive);
        BackupStore failing = new BackupStore() {
            public String describe() {
                return "local";
            }

            public List<String> collections() {
                return local.collections();
            }

            public List<Manifest> list(String collection) {
                if (collection.equals("broken")) {
                    throw new IllegalStateException("cannot read " + archive.resolve(collection));
                }
                return local.list(collection);
            }

            public Optional<Manifest> find(String collection, String snapshot) {
                return local.find(collection, snapshot);
            }

            public boolean has(Manifest backup) {
                return local.has(backup);
            }

            public void put(Manifest backup, Path folder) {
                local.put(backup, folder);
            }

            public void fetch(Manifest backup, Path folder) {
                local.fetch(backup, folder);
            }

            public void delete(List<Manifest> backups) {
                local.delete(backups);
            }

            public void checkWritable() {}
        };

        List<Expire.Outcome> outcomes =
                Expire.run(failing, new RetentionPolicy(1, 3, 0, 0, java.time.ZoneOffset.UTC), null, false);

        assertThat(outcomes).extracting(Expire.Outcome::collection).containsExactly("alpha", "broken", "gamma");
        assertThat(outcomes.get(1).errors()).singleElement().asString().contains("cannot read");
        assertThat(local.list("alpha")).hasSize(3);
        assertThat(local.list("gamma")).hasSize(3);
        assertThat(local.list("broken")).as("nothing of it deleted").hasSize(10);
    }
}
