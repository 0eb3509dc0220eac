package qdrantbackup.store.s3;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qdrantbackup.transfer.HashingCopy;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.Part;

/**
 * A multipart upload of the same key that a crashed process left open (recorded in {@link UploadRecords}) is
 * taken up again: each part S3 lists is kept when its size and its ETag (the MD5 of the part's bytes) match the
 * file's slice, and only the others are sent.
 */
final class UploadResume {
    private static final Logger LOG = LoggerFactory.getLogger(UploadResume.class);

    /** The upload taken over and the parts it already holds, by part number. */
    record Taken(String uploadId, Map<Integer, CompletedPart> parts) {}

    private UploadResume() {}

    static Optional<Taken> find(
            Supplier<S3Client> s3, MultipartCalls calls, FileChannel file, String key, long size, long partSize) {
        for (UploadRecords.Open o : calls.records().all()) {
            if (!o.key().equals(key) || o.pid() == ProcessHandle.current().pid() || o.ownerAlive()) {
                continue;
            }
            try {
                Map<Integer, CompletedPart> kept = kept(s3, calls, file, o, size, partSize);
                calls.records().closed(o.uploadId());
                calls.records().opened(key, o.uploadId());
                long parts = (size + partSize - 1) / partSize;
                LOG.info(
                        "resuming multipart upload {} of {} left open by process {}: {} of {} parts already there and"
                                + " checked, not sent again",
                        o.uploadId(),
                        calls.errors.where(key),
                        o.pid(),
                        kept.size(),
                        parts);
                return Optional.of(new Taken(o.uploadId(), kept));
            } catch (SdkException | IOException e) {
                LOG.warn(
                        "cannot resume multipart upload {} of {} ({}); uploading anew",
                        o.uploadId(),
                        calls.errors.where(key),
                        e.getMessage());
            }
        }
        return Optional.empty();
    }

    private static Map<Integer, CompletedPart> kept(
            Supplier<S3Client> s3,
            MultipartCalls calls,
            FileChannel file,
            UploadRecords.Open o,
            long size,
            long partSize)
            throws IOException {
        Map<Integer, CompletedPart> kept = new HashMap<>();
        Integer marker = null;
        while (true) {
            Integer m = marker;
            ListPartsResponse page = s3.get()
                    .listParts(b -> b.bucket(calls.errors.bucket())
                            .key(o.key())
                            .uploadId(o.uploadId())
                            .partNumberMarker(m));
            for (Part p : page.parts()) {
                long offset = (p.partNumber() - 1L) * partSize;
                long length = Math.min(partSize, size - offset);
                if (offset >= size || p.size() == null || p.size() != length) {
                    continue;
                }
                String etag = p.eTag() == null ? "" : p.eTag().replace("\"", "");
                if (etag.equalsIgnoreCase(md5(file, offset, length))) {
                    kept.put(
                            p.partNumber(),
                            CompletedPart.builder()
                                    .partNumber(p.partNumber())
                                    .eTag(p.eTag())
                                    .build());
                }
            }
            if (!Boolean.TRUE.equals(page.isTruncated())) {
                return kept;
            }
            marker = page.nextPartNumberMarker();
        }
    }

    private static String md5(FileChannel file, long offset, long length) throws IOException {
        try {
            return HexFormat.of()
                    .formatHex(HashingCopy.digest(file, offset, length, MessageDigest.getInstance("MD5"))
                            .digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
