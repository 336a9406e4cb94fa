package io.rivulet.engine.source;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link SourceOutput} that keeps what a reader emits, for tests that poll readers directly.
 *
 * <p>Not thread-safe; owned by the test thread.
 *
 * @param <T> record type
 */
final class RecordingOutput<T> implements SourceOutput<T> {
    final List<T> records = new ArrayList<>();
    final List<Long> watermarks = new ArrayList<>();
    /** The source time of each record emitted with one, {@code Long.MIN_VALUE} for those without. */
    final List<Long> sourceTimes = new ArrayList<>();

    @Override
    public void emit(T record) {
        records.add(record);
        sourceTimes.add(Long.MIN_VALUE);
    }

    @Override
    public void emit(T record, long sourceNanoTime) {
        records.add(record);
        sourceTimes.add(sourceNanoTime);
    }

    @Override
    public void emitWatermark(long watermarkMs) {
        watermarks.add(watermarkMs);
    }

    /**
     * Polls until the reader has nothing more to emit now (it returns 0) or its input ends.
     *
     * @return {@link SourceReader#END_OF_INPUT} if the input ended, else the records emitted
     */
    int drain(SourceReader<T> reader, int limit) throws Exception {
        int total = 0;
        while (true) {
            int polled = reader.poll(this, limit);
            if (polled == SourceReader.END_OF_INPUT) {
                return SourceReader.END_OF_INPUT;
            }
            if (polled == 0) {
                return total;
            }
            total += polled;
        }
    }
}
