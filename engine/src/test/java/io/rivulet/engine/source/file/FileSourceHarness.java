package io.rivulet.engine.source.file;

import io.rivulet.engine.source.SourceContext;
import io.rivulet.engine.source.SourceOutput;
import io.rivulet.engine.source.SourceReader;
import io.rivulet.operators.state.SnapshotInput;
import io.rivulet.operators.state.SnapshotOutput;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Drives a file source's reader by hand: a wall clock the test moves, files written with the
 * modification times the test chooses, the records emitted, the records dropped, and positions
 * saved and restored as a checkpoint would.
 *
 * <p>Not thread-safe; owned by the test thread.
 *
 * @param <T> record type
 */
final class FileSourceHarness<T> implements SourceContext, SourceOutput<T> {
    /** The harness clock's start: files written at {@code T0 - n} are {@code n} ms old. */
    static final long T0 = 1_700_000_000_000L;

    final List<T> records = new ArrayList<>();
    long nowMs = T0;
    long dropped;
    private SnapshotInput restored;
    private final FileSource<T> source;
    SourceReader<T> reader;
    private long epoch;

    FileSourceHarness(FileSource<T> source) {
        this.source = source;
    }

    FileSourceHarness<T> open() throws Exception {
        reader = source.open(this);
        return this;
    }

    /** Opens the reader a restarted query would: from {@code position}. */
    FileSourceHarness<T> restoreFrom(SnapshotOutput position) throws Exception {
        restored = position.asInput();
        reader = source.open(this);
        restored = null;
        return this;
    }

    /** Polls until the reader returns 0: one micro-batch's worth. @return records emitted */
    int drain(int limit) throws Exception {
        int total = 0;
        int polled;
        while ((polled = reader.poll(this, limit)) > 0) {
            total += polled;
        }
        return total;
    }

    /** Ends an epoch and returns the position its checkpoint would hold. */
    SnapshotOutput endEpoch() throws Exception {
        reader.onEpochEnd(epoch);
        SnapshotOutput position = new SnapshotOutput();
        reader.writePosition(position);
        epoch++;
        return position;
    }

    void commit(long epochId) throws Exception {
        reader.onEpochCommitted(epochId);
    }

    long lastEpoch() {
        return epoch - 1;
    }

    void advance(long ms) {
        nowMs += ms;
    }

    FileSourceReader<T> fileReader() {
        return (FileSourceReader<T>) reader;
    }

    /** Writes {@code content} to {@code file} and sets its modification time {@code ageMs} before now. */
    static Path write(Path file, String content, long modifiedMs) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
        Files.setLastModifiedTime(file, FileTime.fromMillis(modifiedMs));
        return file;
    }

    @Override
    public void emit(T record) {
        records.add(record);
    }

    @Override
    public void emitWatermark(long watermarkMs) {
    }

    @Override
    public int partition() {
        return 0;
    }

    @Override
    public int numPartitions() {
        return 1;
    }

    @Override
    public String queryName() {
        return "files";
    }

    @Override
    public long nanoTime() {
        return nowMs * 1_000_000L;
    }

    @Override
    public long epochMillis() {
        return nowMs;
    }

    @Override
    public SnapshotInput restoredPosition() {
        return restored;
    }

    @Override
    public boolean checkpointing() {
        return true;
    }

    @Override
    public void recordsDropped(int count) {
        dropped += count;
    }
}
