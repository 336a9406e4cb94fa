package io.rivulet.engine.sql;

import io.rivulet.engine.types.DataTypes;
import io.rivulet.engine.types.StructType;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RowTest {
    private static final StructType SCHEMA = StructType.fromDDL(
        "id INT, qty BIGINT, price DOUBLE, ratio FLOAT, ok BOOLEAN, s SMALLINT, b TINYINT, ts TIMESTAMP, d DATE, "
            + "name STRING, amount DECIMAL(10,2), bytes BINARY, tags ARRAY<STRING>, attrs MAP<STRING, INT>, "
            + "nested STRUCT<x: INT, y: STRING>");
    private static final StructType NESTED = (StructType) SCHEMA.apply("nested").dataType();

    private static Row sample() {
        return Row.of(SCHEMA, 7, 8L, 1.5, 2.5f, true, (short) 3, (byte) 4,
            Instant.parse("2024-03-01T10:15:30.123456789Z"), LocalDate.of(2024, 3, 1), "abc",
            new BigDecimal("12.5"), new byte[] {1, 2}, List.of("a", "b"), Map.of("k", 1), Row.of(NESTED, 9, "z"));
    }

    @Test
    void shouldReadEveryTypeThroughItsGetter() {
        Row row = sample();

        assertThat(row.size()).isEqualTo(15);
        assertThat(row.getInt(0)).isEqualTo(7);
        assertThat(row.getLong(1)).isEqualTo(8L);
        assertThat(row.getDouble(2)).isEqualTo(1.5);
        assertThat(row.getFloat(3)).isEqualTo(2.5f);
        assertThat(row.getBoolean(4)).isTrue();
        assertThat(row.getShort(5)).isEqualTo((short) 3);
        assertThat(row.getByte(6)).isEqualTo((byte) 4);
        assertThat(row.getTimestamp(7)).isEqualTo(Instant.parse("2024-03-01T10:15:30.123456Z"));
        assertThat(row.getTimestampMicros(7)).isEqualTo(1709288130123456L);
        assertThat(row.getDate(8)).isEqualTo(LocalDate.of(2024, 3, 1));
        assertThat(row.getDateDays(8)).isEqualTo((int) LocalDate.of(2024, 3, 1).toEpochDay());
        assertThat(row.getString(9)).isEqualTo("abc");
        assertThat(row.getDecimal(10)).isEqualTo(new BigDecimal("12.50"));
        assertThat(row.getBinary(11)).containsExactly(1, 2);
        assertThat(row.<String>getList(12)).containsExactly("a", "b");
        assertThat(row.<String, Integer>getMap(13)).containsEntry("k", 1);
        assertThat(row.getStruct(14).getString(1)).isEqualTo("z");
        assertThat(row.<Long>getAs("qty")).isEqualTo(8L);
        assertThat(row.fieldIndex("name")).isEqualTo(9);
        assertThat(row.get(0)).isEqualTo(7);
    }

    @Test
    void shouldKeepTimestampsBeforeTheEpochExactToTheMicrosecond() {
        StructType schema = StructType.fromDDL("ts TIMESTAMP");
        Instant before = Instant.parse("1969-12-31T23:59:59.999999Z");

        Row row = Row.of(schema, before);

        assertThat(row.getTimestampMicros(0)).isEqualTo(-1L);
        assertThat(row.getTimestamp(0)).isEqualTo(before);
    }

    @Test
    void shouldReportNullsAndRefusePrimitiveGettersOnNull() {
        Object[] values = new Object[15];
        Row row = Row.of(SCHEMA, values);

        for (int i = 0; i < 15; i++) {
            assertThat(row.isNullAt(i)).isTrue();
            assertThat(row.get(i)).isNull();
        }
        assertThat(row.getString(9)).isNull();
        assertThat(row.getTimestamp(7)).isNull();
        assertThat(row.anyNull()).isTrue();
        assertThatThrownBy(() -> row.getLong(1))
            .isInstanceOf(NullPointerException.class)
            .hasMessage("the value of field 'qty' (index 1) is null: test isNullAt(1) before getLong");
    }

    @Test
    void shouldNameFieldTypeAndGetterOnWrongTypeAccess() {
        Row row = sample();

        assertThatThrownBy(() -> row.getInt(9))
            .isInstanceOf(ClassCastException.class)
            .hasMessage("getInt(9) on field 'name' of type string: use getString");
        assertThatThrownBy(() -> row.getLong(0))
            .hasMessage("getLong(0) on field 'id' of type int: use getInt");
        assertThatThrownBy(() -> row.getString(7))
            .hasMessage("getString(7) on field 'ts' of type timestamp: use getTimestamp or getTimestampMicros");
        assertThatThrownBy(() -> Row.of(StructType.fromDDL("id INT"), 1L))
            .isInstanceOf(ClassCastException.class)
            .hasMessage("cannot set field 'id' (index 0) of type int to a java.lang.Long (1)");
        assertThatThrownBy(() -> Row.of(StructType.fromDDL("id INT, x INT"), 1))
            .hasMessage("Row.of: 1 values for a schema of 2 fields id, x");
        assertThatThrownBy(() -> row.getAs("nope")).hasMessageContaining("the fields are: id, qty, price");
    }

    @Test
    void shouldPrintAsSparkPrintsARow() {
        StructType schema = StructType.fromDDL("id INT, name STRING, x DOUBLE, s STRUCT<a: INT, b: STRING>");

        assertThat(Row.of(schema, 1, "a", null, Row.of((StructType) schema.apply(3).dataType(), 2, "b")))
            .hasToString("[1,a,null,[2,b]]");
        assertThat(RowFactory.create(1, "a", null)).hasToString("[1,a,null]");
    }

    @Test
    void shouldCompareRowsByValues() {
        StructType schema = StructType.fromDDL("id INT, x DOUBLE, b BINARY");

        Row a = Row.of(schema, 1, Double.NaN, new byte[] {1});
        Row b = Row.of(schema, 1, Double.NaN, new byte[] {1});
        Row zero = Row.of(schema, 1, 0.0, null);
        Row negativeZero = Row.of(schema, 1, -0.0, null);

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(zero).isEqualTo(negativeZero).hasSameHashCodeAs(negativeZero);
        assertThat(a).isNotEqualTo(zero);
        assertThat(RowFactory.create(1, Double.NaN, new byte[] {1})).isEqualTo(a);
    }

    @Test
    void shouldReuseMutableRowWithoutLeakingOldValues() {
        StructType schema = StructType.fromDDL("id BIGINT, name STRING, ts TIMESTAMP, d DATE, ok BOOLEAN");
        MutableRow row = MutableRow.create(schema);

        row.setLong(0, 42L);
        row.setString(1, "first");
        row.setTimestampMicros(2, 1_000_001L);
        row.setDateDays(3, -1);
        row.setBoolean(4, false);
        Row kept = row.copy();
        row.clear();

        assertThat(row.anyNull()).isTrue();
        assertThat(row.isNullAt(0)).isTrue();
        assertThat(row.getString(1)).isNull();
        assertThat(kept).hasToString("[42,first,1970-01-01T00:00:01.000001Z,1969-12-31,false]");

        row.setLong(0, 43L);
        row.setNull(0);
        assertThat(row.isNullAt(0)).isTrue();
        assertThatThrownBy(() -> row.setInt(0, 1))
            .isInstanceOf(ClassCastException.class)
            .hasMessage("setInt(0) on field 'id' of type bigint: use setLong");
    }

    @Test
    void shouldCopyNestedMutableRowsDeeply() {
        StructType inner = StructType.fromDDL("x INT");
        StructType outer = new StructType().add("s", inner);
        MutableRow nested = MutableRow.create(inner);
        nested.setInt(0, 1);
        MutableRow row = MutableRow.create(outer);
        row.setStruct(0, nested);

        Row copy = row.copy();
        nested.setInt(0, 2);

        assertThat(copy.getStruct(0).getInt(0)).isEqualTo(1);
    }

    @Test
    void shouldRoundDecimalsToTheFieldScaleAndRejectOverflow() {
        MutableRow row = MutableRow.create(StructType.fromDDL("amount DECIMAL(5,2)"));

        row.setDecimal(0, new BigDecimal("1.005"));
        assertThat(row.getDecimal(0)).isEqualTo(new BigDecimal("1.01"));
        assertThatThrownBy(() -> row.setDecimal(0, new BigDecimal("12345.6")))
            .isInstanceOf(ArithmeticException.class)
            .hasMessage("decimal 12345.6 does not fit field 'amount' of type decimal(5,2)");
    }

    @Test
    void shouldHandleMoreThanSixtyFourFieldsInTheNullMask() {
        StructType schema = new StructType();
        for (int i = 0; i < 130; i++) {
            schema = schema.add("f" + i, DataTypes.IntegerType);
        }
        MutableRow row = MutableRow.create(schema);

        row.setInt(129, 5);
        row.setInt(64, 6);

        assertThat(row.getInt(129)).isEqualTo(5);
        assertThat(row.getInt(64)).isEqualTo(6);
        assertThat(row.isNullAt(63)).isTrue();
        assertThat(row.isNullAt(128)).isTrue();
    }

    @Test
    void shouldReadSchemaLessRowsByValueClass() {
        Row row = RowFactory.create(1, "a", null);

        assertThat(row.schema()).isNull();
        assertThat(row.getInt(0)).isEqualTo(1);
        assertThatThrownBy(() -> row.getLong(0)).isInstanceOf(ClassCastException.class)
            .hasMessage("getLong(0) on a value of class java.lang.Integer, not Long");
        assertThatThrownBy(() -> row.getAs("id")).isInstanceOf(UnsupportedOperationException.class);
    }
}
