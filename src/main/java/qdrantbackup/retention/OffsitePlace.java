package qdrantbackup.retention;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import qdrantbackup.offsite.RemoteObject;
import qdrantbackup.offsite.S3Target;
import qdrantbackup.qdrant.SnapshotNames;

/**
 * The S3 bucket as a retention {@link Place}. A backup counts only when both its snapshot and its
 * manifest are there (the manifest is uploaded last); its time comes from Qdrant's snapshot name.
 */
public final class OffsitePlace implements Place {
    private final S3Target target;
    private final String name;

    public OffsitePlace(S3Target target, String name) {
        this.target = target;
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<String> collections() {
        return target.list(null).stream().map(RemoteObject::collection).distinct().sorted().toList();
    }

    @Override
    public List<Stored> backups(String collection) {
        Map<String, RemoteObject> objects = target.list(collection).stream()
            .collect(Collectors.toMap(RemoteObject::fileName, Function.identity(), (a, b) -> a));
        List<Stored> backups = new ArrayList<>();
        objects.values().forEach(o -> {
            if (o.fileName().endsWith(".snapshot") && objects.containsKey(o.fileName() + ".json")) {
                SnapshotNames.time(o.fileName()).ifPresent(created ->
                    backups.add(new Stored(collection, o.fileName(), created, o.size())));
            }
        });
        return backups;
    }

    @Override
    public void delete(List<Stored> backups) {
        // manifests first: a half-deleted backup is then no longer counted as one
        target.delete(backups.stream().map(b -> target.key(b.collection(), b.snapshot() + ".json")).toList());
        target.delete(backups.stream().map(b -> target.key(b.collection(), b.snapshot())).toList());
    }

}
