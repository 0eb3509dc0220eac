package qdrantbackup.ha;

import java.util.Map;

/** ha.cluster=file: Camel's FileLockClusterService on a folder both instances share. */
class FileClusterTest extends ElectionTest {
    @Override
    Map<String, String> cluster() {
        return Map.of(
                "ha.cluster", "file", "ha.file.root", dir.resolve("shared-lock").toString());
    }
}
