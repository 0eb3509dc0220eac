package qdrantbackup.archive;

import java.nio.file.Path;

/** A complete backup in the local archive: the snapshot file and its manifest. */
public record ArchivedBackup(Manifest manifest, Path snapshotFile, Path manifestFile) {
    public String collection() {
        return manifest.collection();
    }

    public String snapshot() {
        return manifest.snapshot();
    }
}
