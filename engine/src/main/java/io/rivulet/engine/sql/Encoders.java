package io.rivulet.engine.sql;

import io.rivulet.engine.sql.internal.ObjectEncoders;
import io.rivulet.engine.sql.internal.RowEncoder;
import io.rivulet.engine.types.StructType;
import io.rivulet.engine.sql.internal.ScalarEncoder;

import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Spark's {@code Encoders} for Java: how a Java type becomes rows and back.
 * <p>
 * The schema is inferred from the Java types: {@code String} → string, {@code int}/{@code Integer} → int,
 * {@code long} → bigint, {@code double}, {@code float}, {@code boolean}, {@code short} → smallint,
 * {@code byte} → tinyint, {@code BigDecimal} → decimal(38,18), {@code Instant}/{@code java.sql.Timestamp} →
 * timestamp, {@code LocalDate}/{@code java.sql.Date} → date, {@code byte[]} → binary, enums → string (by name),
 * arrays and {@code List<E>} → array, {@code Map<K,V>} → map, nested records and beans → struct. Primitive
 * fields are not nullable; everything else is. Any other type fails when the encoder is built, naming the class,
 * the field and the type.
 * <p>
 * Building an encoder inspects the class (reflection, {@link java.lang.invoke.LambdaMetafactory}); build it once
 * and keep it: encoders are immutable and thread-safe. Stateless.
 */
public final class Encoders {
    private Encoders() {
    }

    /**
     * The encoder of rows of a schema (Spark 3.5's {@code Encoders.row(schema)}): the encoder of a
     * {@code Dataset<Row>}, a DataFrame. {@code fromRow} returns the row itself.
     *
     * @param schema the rows' schema.
     * @return the encoder.
     */
    public static Encoder<Row> row(StructType schema) {
        return new RowEncoder(schema);
    }

    /**
     * The encoder of a Java record: one field per component, in component order.
     *
     * @param recordClass the record class.
     * @param <T>         its type.
     * @return the encoder.
     * @throws UnsupportedOperationException if it is not a record, or a component's type is not supported (the
     *                                       message names the class, the component and its type).
     */
    public static <T> Encoder<T> record(Class<T> recordClass) {
        return ObjectEncoders.record(recordClass);
    }

    /**
     * The encoder of a Java bean, as Spark's: one field per property that has a public getter and setter, sorted
     * by property name; the class needs a public no-argument constructor.
     *
     * @param beanClass the bean class.
     * @param <T>       its type.
     * @return the encoder.
     * @throws UnsupportedOperationException if it is not a bean (a record: use {@link #record(Class)}), or a
     *                                       property's type is not supported (naming class, property and type).
     */
    public static <T> Encoder<T> bean(Class<T> beanClass) {
        return ObjectEncoders.bean(beanClass);
    }

    /** @return the encoder of a {@code String} as one nullable field {@code value: string}. */
    public static Encoder<String> STRING() {
        return new ScalarEncoder<>(String.class);
    }

    /** @return the encoder of an {@code Integer} as {@code value: int}. */
    public static Encoder<Integer> INT() {
        return new ScalarEncoder<>(Integer.class);
    }

    /** @return the encoder of a {@code Long} as {@code value: bigint}. */
    public static Encoder<Long> LONG() {
        return new ScalarEncoder<>(Long.class);
    }

    /** @return the encoder of a {@code Double} as {@code value: double}. */
    public static Encoder<Double> DOUBLE() {
        return new ScalarEncoder<>(Double.class);
    }

    /** @return the encoder of a {@code Float} as {@code value: float}. */
    public static Encoder<Float> FLOAT() {
        return new ScalarEncoder<>(Float.class);
    }

    /** @return the encoder of a {@code Boolean} as {@code value: boolean}. */
    public static Encoder<Boolean> BOOLEAN() {
        return new ScalarEncoder<>(Boolean.class);
    }

    /** @return the encoder of a {@code Short} as {@code value: smallint}. */
    public static Encoder<Short> SHORT() {
        return new ScalarEncoder<>(Short.class);
    }

    /** @return the encoder of a {@code Byte} as {@code value: tinyint}. */
    public static Encoder<Byte> BYTE() {
        return new ScalarEncoder<>(Byte.class);
    }

    /** @return the encoder of a {@code BigDecimal} as {@code value: decimal(38,18)}. */
    public static Encoder<BigDecimal> DECIMAL() {
        return new ScalarEncoder<>(BigDecimal.class);
    }

    /** @return the encoder of a {@code java.sql.Timestamp} as {@code value: timestamp} (Spark's TIMESTAMP()). */
    public static Encoder<Timestamp> TIMESTAMP() {
        return new ScalarEncoder<>(Timestamp.class);
    }

    /** @return the encoder of an {@code Instant} as {@code value: timestamp}. */
    public static Encoder<Instant> INSTANT() {
        return new ScalarEncoder<>(Instant.class);
    }

    /** @return the encoder of a {@code java.sql.Date} as {@code value: date} (Spark's DATE()). */
    public static Encoder<Date> DATE() {
        return new ScalarEncoder<>(Date.class);
    }

    /** @return the encoder of a {@code LocalDate} as {@code value: date}. */
    public static Encoder<LocalDate> LOCALDATE() {
        return new ScalarEncoder<>(LocalDate.class);
    }

    /** @return the encoder of a {@code byte[]} as {@code value: binary}. */
    public static Encoder<byte[]> BINARY() {
        return new ScalarEncoder<>(byte[].class);
    }
}
