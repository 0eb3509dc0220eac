package qdrantbackup.retention;

import java.util.List;
import qdrantbackup.archive.Archive;
import qdrantbackup.archive.ArchivedBackup;

/** The local archive as a retention {@link Place}: only complete backups (snapshot + manifest) count. */
public final class ArchivePlace implements Place {
    private final Archive archive;

    public ArchivePlace(Archive archive) {
        this.archive = archive;
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public List<String> collections() {
        return archive.collections();
    }

    @Override
    public List<Stored> backups(String collection) {
        return archive.list(collection).stream()
                .map(b -> new Stored(
                        collection,
                        b.snapshot(),
                        b.manifest().createdAt(),
                        b.manifest().size()))
                .toList();
    }

    @Override
    public void delete(List<Stored> backups) {
        for (Stored backup : backups) {
            ArchivedBackup found = archive.find(backup.collection(), backup.snapshot())
                    .orElseThrow(() -> new IllegalStateException("backup " + backup.snapshot() + " is gone already"));
            archive.delete(found);
        }
    }
}
