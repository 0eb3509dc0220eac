package qdrantbackup.store.s3;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qdrantbackup.transfer.SafeFiles;

/**
 * {@code <state.dir>/multipart-uploads.json}: every multipart upload this tool has open, recorded when it starts
 * and removed when it completes or is aborted. A crash leaves its uploads here, and the next run aborts them (S3
 * bills their parts until then); an open upload under the prefix that no record explains is someone else's crash,
 * aborted once it is old enough.
 */
final class UploadRecords {
    private static final Logger LOG = LoggerFactory.getLogger(UploadRecords.class);
    static final String FILE = "multipart-uploads.json";

    /** One open upload, and the process that opened it. */
    record Open(String key, String uploadId, long pid, String started) {
        boolean ownerAlive() {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
    }

    /** Records nothing: for a store without a state folder (one-off tools, tests of the object calls). */
    static final UploadRecords NONE = new UploadRecords(null);

    private final Path file;

    UploadRecords(Path stateDir) {
        this.file = stateDir == null ? null : stateDir.resolve(FILE);
    }

    synchronized void opened(String key, String uploadId) {
        change(list -> list.add(new Open(
                key, uploadId, ProcessHandle.current().pid(), Instant.now().toString())));
    }

    synchronized void closed(String uploadId) {
        change(list -> list.removeIf(o -> o.uploadId().equals(uploadId)));
    }

    synchronized List<Open> all() {
        if (file == null || !Files.exists(file)) {
            return List.of();
        }
        try {
            return SafeFiles.JSON.readValue(file.toFile(), new TypeReference<List<Open>>() {});
        } catch (IOException e) {
            LOG.warn(
                    "the record of open multipart uploads {} is unreadable ({}); starting a new one",
                    file,
                    e.getMessage());
            return List.of();
        }
    }

    private void change(java.util.function.Consumer<List<Open>> edit) {
        if (file == null) {
            return;
        }
        List<Open> list = new ArrayList<>(all());
        edit.accept(list);
        try {
            SafeFiles.createPrivateDirectories(file.getParent());
            SafeFiles.writeJson(file, list);
        } catch (RuntimeException e) {
            LOG.warn("could not record open multipart uploads in {}: {}", file, e.getMessage());
        }
    }
}
