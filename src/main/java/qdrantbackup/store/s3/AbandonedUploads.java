package qdrantbackup.store.s3;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/**
 * Multipart uploads nobody will finish: those a crashed process of this tool recorded (aborted at once) and those
 * under the prefix that no record explains (aborted once older than {@code offsite.abandoned-upload-age}, so an
 * upload another instance has just begun is never touched; a store that does not say when an upload began keeps
 * those).
 */
final class AbandonedUploads {
    private static final Logger LOG = LoggerFactory.getLogger(AbandonedUploads.class);

    private final Supplier<S3Client> s3;
    private final MultipartCalls calls;
    private final String prefix;

    AbandonedUploads(Supplier<S3Client> s3, MultipartCalls calls, String prefix) {
        this.s3 = s3;
        this.calls = calls;
        this.prefix = prefix;
    }

    /** Aborts them; returns how many. */
    int abort(Duration unexplainedAfter, Instant now) {
        int aborted = 0;
        UploadRecords records = calls.records();
        Set<String> live = new HashSet<>();
        for (UploadRecords.Open o : records.all()) {
            if (o.pid() == ProcessHandle.current().pid() || o.ownerAlive()) {
                live.add(o.uploadId());
                continue;
            }
            LOG.warn(
                    "multipart upload {} of {} was left open by process {} (started {}, it ended without finishing);"
                            + " aborting it",
                    o.uploadId(),
                    calls.errors.where(o.key()),
                    o.pid(),
                    o.started());
            calls.abort(o.key(), o.uploadId(), new OffsiteException("abandoned upload"));
            aborted++;
        }
        String keyMarker = null;
        String idMarker = null;
        while (true) {
            String km = keyMarker;
            String im = idMarker;
            ListMultipartUploadsResponse page = s3.get()
                    .listMultipartUploads(b -> b.bucket(calls.errors.bucket())
                            .prefix(prefix.isEmpty() ? null : prefix)
                            .keyMarker(km)
                            .uploadIdMarker(im));
            for (MultipartUpload u : page.uploads()) {
                if (live.contains(u.uploadId()) || u.initiated() == null) {
                    continue;
                }
                if (u.initiated().isBefore(now.minus(unexplainedAfter))) {
                    LOG.warn(
                            "multipart upload {} of {} started {} is still open and no record of this tool explains"
                                    + " it (older than offsite.abandoned-upload-age={}); aborting it",
                            u.uploadId(),
                            calls.errors.where(u.key()),
                            u.initiated(),
                            unexplainedAfter);
                    calls.abort(u.key(), u.uploadId(), new OffsiteException("abandoned upload"));
                    aborted++;
                }
            }
            if (!Boolean.TRUE.equals(page.isTruncated())) {
                return aborted;
            }
            keyMarker = page.nextKeyMarker();
            idMarker = page.nextUploadIdMarker();
        }
    }
}
