package qdrantbackup.restore;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import qdrantbackup.store.s3.RemoteObject;
import qdrantbackup.store.s3.S3Store;

/** Backups in the S3 bucket ({@code <prefix>/<collection>/<snapshot>} + {@code .json}), as a restore needs them. */
public final class S3Backups implements OffsiteBackups {
    private final S3Store s3;

    public S3Backups(S3Store s3) {
        this.s3 = s3;
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public String describe() {
        return s3.describe();
    }

    @Override
    public List<String> snapshots(String collection) {
        List<RemoteObject> objects = s3.objects(collection);
        Set<String> names = objects.stream().map(RemoteObject::fileName).collect(Collectors.toSet());
        return objects.stream()
                .map(RemoteObject::fileName)
                .filter(n -> n.endsWith(Drop.SNAPSHOT_SUFFIX) && names.contains(n + ".json"))
                .sorted(Comparator.comparing(Restore::stamp).reversed())
                .toList();
    }

    @Override
    public void download(String collection, String snapshot, Path folder) {
        s3.objects().get(s3.layout().key(collection, snapshot), folder.resolve(snapshot), -1, null, null);
        // the manifest last: only a snapshot with its manifest is a backup
        s3.objects()
                .get(
                        s3.layout().key(collection, snapshot + ".json"),
                        folder.resolve(snapshot + ".json"),
                        -1,
                        null,
                        null);
    }
}
