package qdrantbackup.restore;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import qdrantbackup.offsite.RemoteObject;
import qdrantbackup.offsite.S3Target;
import qdrantbackup.transfer.TransferLog;

/** Backups in the S3 bucket ({@code <prefix>/<collection>/<snapshot>} + {@code .json}), as a restore needs them. */
public final class S3Backups implements OffsiteBackups {
    private final S3Target s3;

    public S3Backups(S3Target s3) {
        this.s3 = s3;
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public String describe() {
        String prefix = s3.settings().prefix();
        return "s3://" + s3.settings().bucket() + (prefix.isEmpty() ? "" : "/" + prefix);
    }

    @Override
    public List<String> snapshots(String collection) {
        List<RemoteObject> objects = s3.list(collection);
        Set<String> names = objects.stream().map(RemoteObject::fileName).collect(Collectors.toSet());
        return objects.stream()
                .map(RemoteObject::fileName)
                .filter(n -> n.endsWith(Drop.SNAPSHOT_SUFFIX) && names.contains(n + ".json"))
                .sorted(Comparator.comparing(Restore::stamp).reversed())
                .toList();
    }

    @Override
    public void download(String collection, String snapshot, Path folder) {
        TransferLog log = new TransferLog("download " + snapshot + " from " + describe());
        s3.download(collection, snapshot, folder.resolve(snapshot), log::bytes);
        // the manifest last: only a snapshot with its manifest is a backup
        s3.download(collection, snapshot + ".json", folder.resolve(snapshot + ".json"), null);
    }
}
