package io.rivulet.operators.state;

/**
 * Writes values of one type into a snapshot and reads them back. Keys, values and accumulators held
 * in state are written with codecs, never with Java serialization.
 *
 * <p>Implementations are immutable and thread-safe (a snapshot may be written on another thread
 * than the one that owns the state). {@link #read} must consume exactly what {@link #write} wrote.
 * Built-in codecs come from {@link StateCodecs}.
 *
 * @param <T> value type
 */
public interface StateCodec<T> {
    /**
     * @param value the value; {@code null} only if the codec says it accepts it
     * @param out where to write
     */
    void write(T value, SnapshotOutput out);

    /**
     * @param in where to read, positioned at a value this codec wrote
     * @return the value
     * @throws StateFormatException if the bytes are not a value of this codec
     */
    T read(SnapshotInput in);

    /**
     * A copy of {@code value} that shares no mutable part with it, for snapshots taken while the
     * state goes on changing (copy-on-write). Codecs of immutable types return the value itself;
     * the default writes and reads it back.
     *
     * @param value the value
     * @return an independent copy
     */
    default T copy(T value) {
        SnapshotOutput out = new SnapshotOutput();
        write(value, out);
        return read(out.asInput());
    }

    /**
     * What this codec writes, for the checkpoint's record of the stateful plan (a changed codec is an
     * incompatible change). Defaults to the class name.
     *
     * @return a short, stable description, e.g. {@code long} or {@code record(com.acme.Trade)}
     */
    default String describe() {
        return getClass().getName();
    }
}
