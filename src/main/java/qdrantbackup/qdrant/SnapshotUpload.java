package qdrantbackup.qdrant;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.hc.client5.http.entity.mime.AbstractContentBody;
import org.apache.hc.client5.http.entity.mime.MultipartEntityBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;

/** The multipart body of a snapshot upload, streamed from disk in 1 MiB reads. */
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

    private SnapshotUpload(Path file, String fileName, Progress progress) throws IOException {
        super(ContentType.APPLICATION_OCTET_STREAM);
        this.file = file;
        this.fileName = fileName;
        this.progress = progress;
        this.size = Files.size(file);
    }

    static HttpEntity entity(Path file, String fileName, Progress progress) {
        try {
            return MultipartEntityBuilder.create()
                    .addPart("snapshot", new SnapshotUpload(file, fileName, progress))
                    .build();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
        long done = 0;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            int n;
            while ((n = channel.read(buffer.clear())) > 0) {
                out.write(buffer.array(), 0, n);
                done += n;
                if (progress != null) {
                    progress.sent(done, size);
                }
            }
        }
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
