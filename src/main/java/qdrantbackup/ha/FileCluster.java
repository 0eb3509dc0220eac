package qdrantbackup.ha;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.camel.component.file.cluster.FileLockClusterService;

/** ha.cluster=file: Camel's lock on a file in a folder every instance shares. */
final class FileCluster {
    private FileCluster() {}

    static FileLockClusterService service(Path root, Duration interval) {
        FileLockClusterService service = new FileLockClusterService();
        service.setRoot(root.toString());
        service.setAcquireLockDelay(100, TimeUnit.MILLISECONDS); // Camel refuses 0
        service.setAcquireLockInterval(interval.toMillis(), TimeUnit.MILLISECONDS);
        return service;
    }
}
