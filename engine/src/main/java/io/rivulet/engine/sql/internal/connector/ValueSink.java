package io.rivulet.engine.sql.internal.connector;

import io.rivulet.engine.sink.Delivery;
import io.rivulet.engine.sink.OutputModeAware;
import io.rivulet.engine.sink.Sink;
import io.rivulet.engine.sink.SinkWriter;
import io.rivulet.engine.sql.Row;
import io.rivulet.operators.OutputMode;

import java.util.Objects;
import java.util.function.Function;

/**
 * A sink of rows that writes one value of each row to a typed sink (the journal sink of
 * {@code format("journal")}): every lifecycle call goes to the typed sink unchanged. Thread-safety as the
 * typed sink's.
 *
 * @param <V> the typed sink's record type
 */
final class ValueSink<V> implements Sink<Row>, OutputModeAware {
    private final Sink<V> sink;
    private final Function<Row, V> value;

    ValueSink(Sink<V> sink, Function<Row, V> value) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.value = Objects.requireNonNull(value, "value");
    }

    @Override
    public String description() {
        return sink.description();
    }

    @Override
    public void open(String queryName, int numWriters, OutputMode outputMode, boolean microBatch) throws Exception {
        sink.open(queryName, numWriters, outputMode, microBatch);
    }

    @Override
    public SinkWriter<Row> createWriter(int writerIndex) {
        SinkWriter<V> writer = sink.createWriter(writerIndex);
        return new SinkWriter<>() {
            @Override
            public void write(Row record) throws Exception {
                writer.write(value.apply(record));
            }

            @Override
            public void endEpoch(long epochId) throws Exception {
                writer.endEpoch(epochId);
            }

            @Override
            public void close() throws Exception {
                writer.close();
            }
        };
    }

    @Override
    public void commit(long epochId) throws Exception {
        sink.commit(epochId);
    }

    @Override
    public void close() throws Exception {
        sink.close();
    }

    @Override
    public Delivery delivery() {
        return sink.delivery();
    }

    @Override
    public boolean requiresCheckpointLocation() {
        return sink.requiresCheckpointLocation();
    }

    @Override
    public void recover(long checkpointedEpoch, long lastCommittedEpoch) throws Exception {
        sink.recover(checkpointedEpoch, lastCommittedEpoch);
    }

    @Override
    public boolean supports(OutputMode mode) {
        return !(sink instanceof OutputModeAware aware) || aware.supports(mode);
    }
}
