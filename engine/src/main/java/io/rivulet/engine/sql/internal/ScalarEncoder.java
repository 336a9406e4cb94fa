package io.rivulet.engine.sql.internal;

import io.rivulet.engine.sql.Encoder;
import io.rivulet.engine.sql.MutableRow;
import io.rivulet.engine.sql.Row;
import io.rivulet.engine.types.StructField;
import io.rivulet.engine.types.StructType;

import java.util.ArrayList;
import java.util.Objects;

/**
 * The encoder of a single value ({@code Encoders.STRING()}, {@code Encoders.INT()}, ...): one nullable field
 * named {@code value}, as in Spark. Immutable; thread-safe.
 *
 * @param <T> the Java type.
 */
public final class ScalarEncoder<T> implements Encoder<T> {
    private final Class<T> clazz;
    private final ValueCodec codec;
    private final StructType schema;

    /**
     * @param clazz the value's class (a box, String, BigDecimal, Instant, LocalDate, java.sql.Timestamp/Date,
     *              byte[]).
     */
    public ScalarEncoder(Class<T> clazz) {
        this.clazz = clazz;
        this.codec = ValueCodec.of(clazz, clazz.getName(), new ArrayList<>());
        this.schema = new StructType(new StructField[] {new StructField("value", codec.dataType(), true)});
    }

    @Override
    public StructType schema() {
        return schema;
    }

    @Override
    public Class<T> clazz() {
        return clazz;
    }

    @Override
    public void toRow(T value, MutableRow into) {
        codec.write(into, 0, Objects.requireNonNull(value, "value"));
    }

    @Override
    public T fromRow(Row row) {
        return clazz.cast(codec.readNullable(row, 0));
    }

    @Override
    public String toString() {
        return "ScalarEncoder[" + clazz.getName() + ": " + schema.simpleString() + "]";
    }
}
