package qdrantbackup.retention;

import java.util.List;
import qdrantbackup.backup.S3Offsite;
import qdrantbackup.qdrant.SnapshotNames;
import qdrantbackup.store.s3.RemoteObject;
import qdrantbackup.store.s3.S3Store;

/**
 * The S3 bucket as a retention {@link Place}. A backup counts only when both its snapshot and its
 * manifest are there (the manifest is uploaded last); its time comes from Qdrant's snapshot name.
 */
public final class OffsitePlace implements Place {
    private final S3Offsite offsite;

    public OffsitePlace(S3Offsite offsite) {
        this.offsite = offsite;
    }

    @Override
    public String name() {
        return offsite.describe();
    }

    @Override
    public List<String> collections() {
        return offsite.store().objects(null).stream()
                .map(RemoteObject::collection)
                .distinct()
                .sorted()
                .toList();
    }

    @Override
    public List<Stored> backups(String collection) {
        return offsite.completeSnapshots(collection).stream()
                .map(o -> new Stored(
                        collection,
                        o.fileName(),
                        SnapshotNames.time(o.fileName()).orElseThrow(),
                        o.size()))
                .toList();
    }

    @Override
    public void delete(List<Stored> backups) {
        S3Store store = offsite.store();
        // manifests first: a half-deleted backup is then no longer counted as one
        store.objects()
                .delete(backups.stream()
                        .map(b -> store.layout().key(b.collection(), b.snapshot() + ".json"))
                        .toList());
        store.objects()
                .delete(backups.stream()
                        .map(b -> store.layout().key(b.collection(), b.snapshot()))
                        .toList());
    }
}
