package io.rivulet.engine.sql.internal;

import io.rivulet.engine.sql.Encoder;
import io.rivulet.engine.sql.MutableRow;
import io.rivulet.engine.sql.Row;
import io.rivulet.engine.types.StructType;

import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;

/**
 * The encoder of a record or bean: one {@link FieldWriter} per field, each holding an accessor spun by
 * {@link java.lang.invoke.LambdaMetafactory} (a primitive functional interface for primitive fields, so
 * {@link #toRow(Object, MutableRow)} never boxes them). Reading back is the subclass's part. Immutable after
 * construction; thread-safe.
 *
 * @param <T> the Java type.
 */
public abstract class ObjectEncoder<T> implements Encoder<T> {
    private final Class<T> clazz;
    private final StructType schema;
    private final FieldWriter[] writers;

    ObjectEncoder(Class<T> clazz, StructType schema, FieldWriter[] writers) {
        this.clazz = clazz;
        this.schema = schema;
        this.writers = writers;
    }

    @Override
    public final StructType schema() {
        return schema;
    }

    @Override
    public final Class<T> clazz() {
        return clazz;
    }

    @Override
    public final void toRow(T value, MutableRow into) {
        Objects.requireNonNull(value, "value");
        for (FieldWriter writer : writers) {
            writer.write(value, into);
        }
    }

    /** A nested value as a new row (nested structs are the one place toRow allocates). */
    final Row toRowUnchecked(Object value) {
        PackedRow row = new PackedRow(schema);
        toRow(clazz.cast(value), row);
        return row;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + clazz.getName() + ": " + schema.simpleString() + "]";
    }

    // ---------------------------------------------------------------------------------------------------------

    /** Reads one field of an object and sets it in a row. */
    abstract static class FieldWriter {
        final int index;

        FieldWriter(int index) {
            this.index = index;
        }

        abstract void write(Object value, MutableRow row);
    }

    static final class IntWriter extends FieldWriter {
        private final ToIntFunction<Object> getter;

        IntWriter(int index, ToIntFunction<Object> getter) {
            super(index);
            this.getter = getter;
        }

        @Override
        void write(Object value, MutableRow row) {
            row.setInt(index, getter.applyAsInt(value));
        }
    }

    static final class ShortWriter extends FieldWriter {
        private final ToIntFunction<Object> getter;

        ShortWriter(int index, ToIntFunction<Object> getter) {
            super(index);
            this.getter = getter;
        }

        @Override
        void write(Object value, MutableRow row) {
            row.setShort(index, (short) getter.applyAsInt(value));
        }
    }

    static final class ByteWriter extends FieldWriter {
        private final ToIntFunction<Object> getter;

        ByteWriter(int index, ToIntFunction<Object> getter) {
            super(index);
            this.getter = getter;
        }

        @Override
        void write(Object value, MutableRow row) {
            row.setByte(index, (byte) getter.applyAsInt(value));
        }
    }

    static final class LongWriter extends FieldWriter {
        private final ToLongFunction<Object> getter;

        LongWriter(int index, ToLongFunction<Object> getter) {
            super(index);
            this.getter = getter;
        }

        @Override
        void write(Object value, MutableRow row) {
            row.setLong(index, getter.applyAsLong(value));
        }
    }

    static final class DoubleWriter extends FieldWriter {
        private final ToDoubleFunction<Object> getter;

        DoubleWriter(int index, ToDoubleFunction<Object> getter) {
            super(index);
            this.getter = getter;
        }

        @Override
        void write(Object value, MutableRow row) {
            row.setDouble(index, getter.applyAsDouble(value));
        }
    }

    static final class FloatWriter extends FieldWriter {
        private final ToDoubleFunction<Object> getter;

        FloatWriter(int index, ToDoubleFunction<Object> getter) {
            super(index);
            this.getter = getter;
        }

        @Override
        void write(Object value, MutableRow row) {
            row.setFloat(index, (float) getter.applyAsDouble(value));
        }
    }

    static final class BooleanWriter extends FieldWriter {
        private final Predicate<Object> getter;

        BooleanWriter(int index, Predicate<Object> getter) {
            super(index);
            this.getter = getter;
        }

        @Override
        void write(Object value, MutableRow row) {
            row.setBoolean(index, getter.test(value));
        }
    }

    static final class StringWriter extends FieldWriter {
        private final Function<Object, Object> getter;

        StringWriter(int index, Function<Object, Object> getter) {
            super(index);
            this.getter = getter;
        }

        @Override
        void write(Object value, MutableRow row) {
            row.setString(index, (String) getter.apply(value));
        }
    }

    static final class ObjectWriter extends FieldWriter {
        private final Function<Object, Object> getter;
        private final ValueCodec codec;

        ObjectWriter(int index, Function<Object, Object> getter, ValueCodec codec) {
            super(index);
            this.getter = getter;
            this.codec = codec;
        }

        @Override
        void write(Object value, MutableRow row) {
            codec.writeNullable(row, index, getter.apply(value));
        }
    }
}
