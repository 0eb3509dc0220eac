package qdrantbackup.catalogue;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.retention.RetentionPolicy;
import qdrantbackup.store.BackupStore;
import qdrantbackup.store.Manifest;
import qdrantbackup.store.ScriptedStore;
import qdrantbackup.store.local.LocalStore;

/** Where each backup is and whether each place's policy keeps it. */
class CatalogueTest {
    private static final RetentionPolicy KEEP_TWO = RetentionPolicy.of(2, 0, 0, 0, "UTC", "retention");
    private static final RetentionPolicy KEEP_THREE = RetentionPolicy.of(3, 0, 0, 0, "UTC", "offsite.retention");

    @TempDir
    Path dir;

    @Test
    void localOnlyBackupsNewestFirstWithWhatRetentionDecides() throws Exception {
        LocalStore archive = new LocalStore(dir);
        backup(archive, "users", "2026-11-20T02:00:00Z");
        backup(archive, "users", "2026-11-21T02:00:00Z");
        backup(archive, "users", "2026-11-22T02:00:00Z");
        backup(archive, "logs", "2026-11-22T02:00:00Z");

        List<CatalogueEntry> entries = new Catalogue(archive, BackupStore.NONE, KEEP_TWO, KEEP_TWO).entries(null);

        assertThat(entries).extracting(CatalogueEntry::collection).containsExactly("logs", "users", "users", "users");
        assertThat(entries)
                .extracting(CatalogueEntry::created)
                .containsExactly(
                        "2026-11-22T02:00:00Z", "2026-11-22T02:00:00Z", "2026-11-21T02:00:00Z", "2026-11-20T02:00:00Z");
        assertThat(entries).extracting(CatalogueEntry::where).containsOnly("local");
        assertThat(entries).extracting(CatalogueEntry::kept).containsExactly(true, true, true, false);
        assertThat(entries.get(3).retention()).isEqualTo(Map.of("local", "expire"));
        assertThat(entries.get(1).retention()).isEqualTo(Map.of("local", "keep-last"));
        assertThat(entries.get(1).sha256()).hasSize(64);

        assertThat(new Catalogue(archive, BackupStore.NONE, KEEP_TWO, KEEP_TWO).entries("logs"))
                .hasSize(1);
        assertThat(new Catalogue(archive, BackupStore.NONE, KEEP_TWO, KEEP_TWO).entries("nothing"))
                .isEmpty();
    }

    @Test
    void offsiteListingAndPresenceMergeWithLocalEachPlaceWithItsOwnPolicy() throws Exception {
        LocalStore archive = new LocalStore(dir.resolve("archive"));
        Manifest oldest = backup(archive, "users", "2026-11-20T02:00:00Z");
        Manifest middle = backup(archive, "users", "2026-11-21T02:00:00Z");
        Manifest newest = backup(archive, "users", "2026-11-22T02:00:00Z");
        Manifest onlyOffsite = new Manifest(
                "users",
                "users-2026-11-19.snapshot",
                Manifest.COLLECTION,
                10,
                "ab".repeat(32),
                "2026-11-19T02:00:00Z",
                "1.19.0",
                1L,
                null,
                null,
                "test");
        archive.delete(List.of(oldest)); // expired here, still offsite
        BackupStore s3 = new ScriptedStore("s3://bucket/backups", List.of(oldest, onlyOffsite, middle)).alsoHas(newest);

        List<CatalogueEntry> entries = new Catalogue(archive, s3, KEEP_TWO, KEEP_THREE).entries("users");

        assertThat(entries)
                .extracting(CatalogueEntry::snapshot)
                .containsExactly(newest.snapshot(), middle.snapshot(), oldest.snapshot(), onlyOffsite.snapshot());
        assertThat(entries).extracting(CatalogueEntry::where).containsExactly("both", "both", "offsite", "offsite");
        assertThat(entries.get(0).retention()).isEqualTo(Map.of("local", "keep-last", "offsite", "keep-last"));
        assertThat(entries.get(2).retention()).isEqualTo(Map.of("offsite", "keep-last"));
        assertThat(entries.get(3).retention()).isEqualTo(Map.of("offsite", "expire"));
        assertThat(entries).extracting(CatalogueEntry::kept).containsExactly(true, true, true, false);
        assertThat(entries.get(3).sha256()).isEqualTo("ab".repeat(32));
    }

    @Test
    void anUnreachableOffsiteStillListsTheLocalBackups() throws Exception {
        LocalStore archive = new LocalStore(dir);
        backup(archive, "users", "2026-11-22T02:00:00Z");
        BackupStore broken = new ScriptedStore("s3://bucket/backups", List.of()).down();

        List<CatalogueEntry> entries = new Catalogue(archive, broken, KEEP_TWO, KEEP_TWO).entries(null);
        assertThat(entries).extracting(CatalogueEntry::where).containsExactly("local");
    }

    @Test
    void theTableShowsShortHashesSizesAndRetention() throws Exception {
        LocalStore archive = new LocalStore(dir);
        Manifest b = backup(archive, "users", "2026-11-22T02:00:00Z");
        String text = CatalogueText.format(new Catalogue(archive, BackupStore.NONE, KEEP_TWO, KEEP_TWO).entries(null));
        assertThat(text.lines()).hasSize(2);
        assertThat(text.lines().toList().get(0))
                .startsWith("COLLECTION")
                .contains("SHA256")
                .contains("WHERE");
        assertThat(text.lines().toList().get(1))
                .startsWith("users")
                .contains("2026-11-22T02:00:00Z")
                .contains(b.sha256().substring(0, 12))
                .doesNotContain(b.sha256())
                .contains("2.0 KiB")
                .contains("local")
                .contains("keep (keep-last)");
        assertThat(CatalogueText.format(List.of())).isEqualTo("no backups found\n");
        assertThat(CatalogueText.size(3 * 1024 * 1024)).isEqualTo("3.0 MiB");
        assertThat(CatalogueText.retention(Map.of("local", "expire"))).isEqualTo("EXPIRE (no rule keeps it)");
    }

    private static Manifest backup(LocalStore archive, String collection, String created) throws Exception {
        String name = collection + "-" + created.replace(':', '-') + ".snapshot";
        Path file = archive.folder(collection).resolve(name);
        byte[] bytes = new byte[2048];
        bytes[0] = (byte) created.hashCode();
        Files.write(file, bytes);
        String sha = qdrantbackup.testing.FakeQdrant.sha256(bytes);
        Manifest m = new Manifest(
                collection, name, Manifest.COLLECTION, bytes.length, sha, created, "1.19.0", 1L, null, null, "test");
        archive.put(m, archive.folder(collection));
        return m;
    }
}
