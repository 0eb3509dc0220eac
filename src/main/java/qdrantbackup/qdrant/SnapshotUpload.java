package qdrantbackup.qdrant;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.apache.hc.client5.http.entity.mime.AbstractContentBody;
import org.apache.hc.client5.http.entity.mime.MultipartEntityBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import qdrantbackup.transfer.HashingCopy;

/**
 * The multipart body of a snapshot upload, streamed from disk in 1 MiB reads and hashed (SHA-256) as it goes:
 * the one read of the file a restore makes.
 */
final class SnapshotUpload extends AbstractContentBody {
    private static final int BUFFER = 1 << 20;

    /** Told how many bytes of the file have been sent. */
    public interface Progress {
        void sent(long done, long total);
    }

    private final Path file;
    private final String fileName;
    private final Progress progress;
    private final long size;
    private volatile String sha256;

    private SnapshotUpload(Path file, String fileName, Progress progress) throws IOException {
        super(ContentType.APPLICATION_OCTET_STREAM);
        this.file = file;
        this.fileName = fileName;
        this.progress = progress;
        this.size = Files.size(file);
    }

    static SnapshotUpload of(Path file, String fileName, Progress progress) {
        try {
            return new SnapshotUpload(file, fileName, progress);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    HttpEntity entity() {
        return MultipartEntityBuilder.create().addPart("snapshot", this).build();
    }

    /** The SHA-256 (hex) of the bytes the last complete write sent; null before one finished. */
    String sha256() {
        return sha256;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
        MessageDigest sha = HashingCopy.sha256();
        sha256 = null;
        long done = 0;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            int n;
            while ((n = channel.read(buffer.clear())) > 0) {
                sha.update(buffer.array(), 0, n);
                out.write(buffer.array(), 0, n);
                done += n;
                if (progress != null) {
                    progress.sent(done, size);
                }
            }
        }
        sha256 = HexFormat.of().formatHex(sha.digest());
    }

    @Override
    public String getFilename() {
        return fileName;
    }

    @Override
    public long getContentLength() {
        return size;
    }
}
