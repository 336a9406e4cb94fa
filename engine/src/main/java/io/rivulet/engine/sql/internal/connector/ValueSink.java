package io.rivulet.engine.sql.internal.connector;

import io.rivulet.engine.sink.ForwardingSink;
import io.rivulet.engine.sink.Sink;
import io.rivulet.engine.sink.SinkWriter;
import io.rivulet.engine.sql.Row;

import java.util.Objects;
import java.util.function.Function;

/**
 * A sink of rows that writes one value of each row to a typed sink (the journal sink of
 * {@code format("journal")}): every lifecycle call goes to the typed sink unchanged ({@link ForwardingSink}). Thread-safety as the
 * typed sink's.
 *
 * @param <V> the typed sink's record type
 */
final class ValueSink<V> extends ForwardingSink<Row, V> {
    private final Function<Row, V> value;

    ValueSink(Sink<V> sink, Function<Row, V> value) {
        super(sink);
        this.value = Objects.requireNonNull(value, "value");
    }

    @Override
    public SinkWriter<Row> createWriter(int writerIndex) {
        SinkWriter<V> writer = delegate.createWriter(writerIndex);
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
}
