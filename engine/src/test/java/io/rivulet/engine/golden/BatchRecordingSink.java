package io.rivulet.engine.golden;

import io.rivulet.engine.sink.Sink;
import io.rivulet.engine.sink.SinkWriter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Records the rows of every committed batch, empty ones included, converted to golden-row form.
 * Micro-batch queries run on one thread, so a single buffer suffices; reads synchronise with it.
 */
final class BatchRecordingSink implements Sink<Object> {
    private final Function<Object, List<Object>> toRow;
    private final List<List<Object>> current = new ArrayList<>();
    private final Map<Long, List<List<Object>>> batches = new LinkedHashMap<>();

    BatchRecordingSink(Function<Object, List<Object>> toRow) {
        this.toRow = toRow;
    }

    @Override
    public String description() {
        return "batch-recording";
    }

    @Override
    public SinkWriter<Object> createWriter(int writerIndex) {
        return record -> {
            synchronized (this) {
                current.add(toRow.apply(record));
            }
        };
    }

    @Override
    public synchronized void commit(long epochId) {
        batches.put(epochId, new ArrayList<>(current));
        current.clear();
    }

    synchronized Map<Long, List<List<Object>>> batches() {
        return new LinkedHashMap<>(batches);
    }
}
