package io.rivulet.engine.sql.internal;

import io.rivulet.engine.sql.Encoder;
import io.rivulet.operators.state.SnapshotInput;
import io.rivulet.operators.state.SnapshotOutput;
import io.rivulet.operators.state.StateCodec;

import java.util.Objects;

/**
 * A state codec through an {@link Encoder}, as Spark keeps a {@code mapGroupsWithState} state by its state encoder:
 * a value is written as the encoder's row ({@link RowStateCodec}, the schema is the format, no class names) and read
 * back with {@link Encoder#fromRow}. A copy is a write and a read, so a copy shares nothing with the value.
 * Immutable and thread-safe when the encoder is (every {@code Encoders} encoder is).
 *
 * @param <S> state type
 */
public final class EncoderStateCodec<S> implements StateCodec<S> {
    private final Encoder<S> encoder;
    private final RowStateCodec rows;

    /**
     * @param encoder the state encoder
     */
    public EncoderStateCodec(Encoder<S> encoder) {
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        this.rows = new RowStateCodec(encoder.schema());
    }

    @Override
    public void write(S value, SnapshotOutput out) {
        rows.write(encoder.toRow(value), out);
    }

    @Override
    public S read(SnapshotInput in) {
        return encoder.fromRow(rows.read(in));
    }

    @Override
    public String describe() {
        return "encoder(" + encoder.schema().simpleString() + ")";
    }
}
