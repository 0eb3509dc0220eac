package qdrantbackup.store.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads {@code length} bytes from {@code offset} of a shared channel with positional (thread-safe) reads: the
 * body of one part (or of a single put), so parts stream from the file in parallel and memory stays flat.
 */
final class FileSliceInputStream extends InputStream {
    static final int BUFFER = 64 * 1024;

    private final FileChannel channel;
    private final long end;
    private long position;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER);

    FileSliceInputStream(FileChannel channel, long offset, long length) {
        this.channel = channel;
        this.position = offset;
        this.end = offset + length;
        buffer.limit(0);
    }

    @Override
    public int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return buffer.get() & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, buffer.remaining());
        buffer.get(b, off, n);
        return n;
    }

    @Override
    public int available() {
        return (int) Math.min(Integer.MAX_VALUE, buffer.remaining() + (end - position));
    }

    private boolean fill() throws IOException {
        if (buffer.hasRemaining()) {
            return true;
        }
        if (position >= end) {
            return false;
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException("part upload cancelled");
        }
        buffer.clear();
        buffer.limit((int) Math.min(buffer.capacity(), end - position));
        int n = channel.read(buffer, position);
        if (n < 0) {
            throw new IOException("file ended early at byte " + position + " (expected " + end
                    + "): was it changed during the upload?");
        }
        position += n;
        buffer.flip();
        return true;
    }
}
