package qdrantbackup.catalogue;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.drill.DrillVerdicts;
import qdrantbackup.retention.RetentionPolicy;
import qdrantbackup.store.BackupStore;
import qdrantbackup.store.Manifest;
import qdrantbackup.store.local.LocalStore;

/** The VERIFIED column: each backup's last drill, read from the reports in state/drills/. */
class CatalogueVerifiedTest {
    private static final RetentionPolicy KEEP = RetentionPolicy.of(5, 0, 0, 0, "UTC", "retention");

    @TempDir
    Path dir;

    private void report(String file, String snapshot, boolean ok, String finished) throws Exception {
        Path drills = Files.createDirectories(dir.resolve("state/drills"));
        Files.writeString(
                drills.resolve(file),
                "{\"collection\":\"users\",\"snapshot\":\"" + snapshot + "\",\"ok\":" + ok + ",\"finished\":\""
                        + finished + "\"}");
    }

    @Test
    void eachBackupShowsItsLastDrillOrNever() throws Exception {
        LocalStore archive = new LocalStore(dir.resolve("archive"));
        Manifest older = backup(archive, "2026-11-22T02:00:00Z");
        Manifest newer = backup(archive, "2026-11-29T02:00:00Z");
        backup(archive, "2026-11-30T02:00:00Z");
        // the older backup failed a drill, then passed one; the newer one failed its only drill
        report("users-1.json", older.snapshot(), false, "2026-11-22T05:00:01.123456Z");
        report("users-2.json", older.snapshot(), true, "2026-11-23T05:00:09.5Z");
        report("users-3.json", newer.snapshot(), false, "2026-11-29T05:00:03Z");
        Files.writeString(dir.resolve("state/drills/users-4.json"), "{half");
        Path state = dir.resolve("state");
        Catalogue catalogue =
                new Catalogue(archive, BackupStore.NONE, KEEP, KEEP).showVerified(() -> DrillVerdicts.read(state));

        List<CatalogueEntry> entries = catalogue.entries("users");

        assertThat(entries)
                .extracting(CatalogueEntry::verified)
                .containsExactly("never", "2026-11-29T05:00:03Z FAILED", "2026-11-23T05:00:09Z ok");
        String text = CatalogueText.format(entries);
        assertThat(text.lines().findFirst().orElseThrow()).contains(" VERIFIED ");
        assertThat(text.lines().skip(1)).allMatch(l -> l.contains("keep (keep-last)"));
        assertThat(text.lines().skip(3).findFirst().orElseThrow()).contains(" 2026-11-23T05:00:09Z ok ");
    }

    @Test
    void withoutTheDrillsWiredThereIsNoColumn() throws Exception {
        LocalStore archive = new LocalStore(dir.resolve("archive"));
        backup(archive, "2026-11-22T02:00:00Z");
        List<CatalogueEntry> entries = new Catalogue(archive, BackupStore.NONE, KEEP, KEEP).entries(null);
        assertThat(entries.get(0).verified()).isNull();
        assertThat(CatalogueText.format(entries)).doesNotContain("VERIFIED");
    }

    private static Manifest backup(LocalStore archive, String created) throws Exception {
        String name = "users-" + created.replace(':', '-') + ".snapshot";
        Path file = archive.folder("users").resolve(name);
        byte[] bytes = new byte[2048];
        bytes[0] = (byte) created.hashCode();
        Files.write(file, bytes);
        Manifest m = new Manifest(
                "users",
                name,
                Manifest.COLLECTION,
                bytes.length,
                qdrantbackup.testing.FakeQdrant.sha256(bytes),
                created,
                "1.19.0",
                1L,
                null,
                null,
                "test");
        archive.put(m, archive.folder("users"));
        return m;
    }
}
