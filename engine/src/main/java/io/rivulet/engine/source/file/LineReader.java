package io.rivulet.engine.source.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Splits a file into lines at {@code \n} (a {@code \r} before it is dropped), reading it through one
 * reusable buffer that grows only for a line longer than it. Reads the file from a byte offset up to
 * a fixed length (its size when the source took it), so that a replay reads the same bytes even if
 * something appended since. A last line without a terminator is a line (Hadoop's
 * {@code LineRecordReader}, which Spark's text, json and csv sources use, does the same).
 *
 * <p>Allocates nothing per line. Not thread-safe; owned by the source task.
 */
final class LineReader implements AutoCloseable {
    static final int INITIAL_BUFFER_BYTES = 64 * 1024;

    private final FileChannel channel;
    private final long endOffset;
    private byte[] buffer;
    private ByteBuffer view;
    /** File offset of {@code buffer[0]}. */
    private long bufferOffset;
    /** Unread bytes are {@code buffer[start, end)}. */
    private int start;
    private int end;
    private boolean exhausted;
    private long lineNumber;
    private int lineStart;
    private int lineLength;

    /**
     * @param file the file
     * @param offset the byte offset of the first line to read
     * @param lineNumber the number of the line before it (0 at the start of the file)
     * @param endOffset the file's length when the source took it: bytes past it are not read
     * @param bufferBytes the initial buffer size
     * @throws IOException if the file cannot be opened
     */
    LineReader(Path file, long offset, long lineNumber, long endOffset, int bufferBytes) throws IOException {
        this.channel = FileChannel.open(file, StandardOpenOption.READ);
        this.endOffset = endOffset;
        this.buffer = new byte[bufferBytes];
        this.view = ByteBuffer.wrap(buffer);
        this.bufferOffset = offset;
        this.lineNumber = lineNumber;
        this.exhausted = offset >= endOffset;
    }

    /**
     * Moves to the next line.
     *
     * @return {@code false} at the end of the file
     * @throws IOException on a read failure
     */
    boolean next() throws IOException {
        while (true) {
            int newline = indexOfNewline(start, end);
            if (newline >= 0) {
                int length = newline - start;
                if (length > 0 && buffer[newline - 1] == '\r') {
                    length--;
                }
                take(length, newline + 1);
                return true;
            }
            if (exhausted) {
                if (start < end) {
                    int length = end - start;
                    if (buffer[end - 1] == '\r') {
                        length--;
                    }
                    take(length, end);
                    return true;
                }
                return false;
            }
            fill();
        }
    }

    private void take(int length, int nextStart) {
        lineStart = start;
        lineLength = length;
        start = nextStart;
        lineNumber++;
    }

    private int indexOfNewline(int from, int to) {
        byte[] b = buffer;
        for (int i = from; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private void fill() throws IOException {
        if (start > 0) {
            System.arraycopy(buffer, start, buffer, 0, end - start);
            bufferOffset += start;
            end -= start;
            start = 0;
        }
        if (end == buffer.length) {
            growSlowPath();
        }
        long filePosition = bufferOffset + end;
        int wanted = (int) Math.min(buffer.length - end, endOffset - filePosition);
        view.limit(end + wanted).position(end);
        int read = wanted == 0 ? -1 : channel.read(view, filePosition);
        if (read < 0) {
            // Shorter than when it was taken: a file truncated since is read as far as it goes.
            exhausted = true;
            return;
        }
        end += read;
        if (bufferOffset + end >= endOffset) {
            exhausted = true;
        }
    }

    private void growSlowPath() {
        byte[] bigger = new byte[buffer.length * 2];
        System.arraycopy(buffer, 0, bigger, 0, end);
        buffer = bigger;
        view = ByteBuffer.wrap(buffer);
    }

    /** @return the buffer holding the current line, valid until the next {@link #next()} */
    byte[] buffer() {
        return buffer;
    }

    /** @return where the current line starts in {@link #buffer()} */
    int lineStart() {
        return lineStart;
    }

    /** @return the current line's length in bytes, without its terminator */
    int lineLength() {
        return lineLength;
    }

    /** @return the current line's number in the file, from 1 */
    long lineNumber() {
        return lineNumber;
    }

    /** @return the byte offset of the line after the current one: where a resumed read starts */
    long nextOffset() {
        return bufferOffset + start;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
