package qdrantbackup.retention;

import java.util.List;
import qdrantbackup.offsite.RemoteObject;
import qdrantbackup.offsite.S3Offsite;
import qdrantbackup.offsite.S3Target;
import qdrantbackup.qdrant.SnapshotNames;

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
        return offsite.target().list(null).stream()
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
        S3Target target = offsite.target();
        // manifests first: a half-deleted backup is then no longer counted as one
        target.delete(backups.stream()
                .map(b -> target.key(b.collection(), b.snapshot() + ".json"))
                .toList());
        target.delete(backups.stream()
                .map(b -> target.key(b.collection(), b.snapshot()))
                .toList());
    }
}
