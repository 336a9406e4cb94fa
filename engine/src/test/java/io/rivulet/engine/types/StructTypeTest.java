package io.rivulet.engine.types;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static io.rivulet.engine.types.DataTypes.IntegerType;
import static io.rivulet.engine.types.DataTypes.LongType;
import static io.rivulet.engine.types.DataTypes.StringType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StructTypeTest {
    /** Expected text follows Spark's StructField/ArrayType/MapType.buildFormattedString, line for line. */
    @Test
    void shouldPrintTreeStringExactlyAsSparkPrintSchema() {
        StructType schema = StructType.fromDDL("order BIGINT, products ARRAY<STRUCT<product: STRING, amount: INT>>, "
            + "customer STRING NOT NULL, attrs MAP<STRING, ARRAY<INT>>, price DECIMAL(10,2), ts TIMESTAMP, d DATE");

        assertThat(schema.treeString()).isEqualTo(
            "root\n"
                + " |-- order: long (nullable = true)\n"
                + " |-- products: array (nullable = true)\n"
                + " |    |-- element: struct (containsNull = true)\n"
                + " |    |    |-- product: string (nullable = true)\n"
                + " |    |    |-- amount: integer (nullable = true)\n"
                + " |-- customer: string (nullable = false)\n"
                + " |-- attrs: map (nullable = true)\n"
                + " |    |-- key: string\n"
                + " |    |-- value: array (valueContainsNull = true)\n"
                + " |    |    |-- element: integer (containsNull = true)\n"
                + " |-- price: decimal(10,2) (nullable = true)\n"
                + " |-- ts: timestamp (nullable = true)\n"
                + " |-- d: date (nullable = true)\n");
    }

    @Test
    void shouldPrintTreeStringWithTrailingBlankLineAsSparkPrintln() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            new StructType().add("key", IntegerType).add("value", IntegerType).printTreeString();
        } finally {
            System.setOut(original);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n")).isEqualTo(
            "root\n |-- key: integer (nullable = true)\n |-- value: integer (nullable = true)\n\n");
    }

    @Test
    void shouldPrintSimpleSqlAndToStringFormsAsSpark() {
        StructType schema = new StructType().add("id", IntegerType).add("ts", DataTypes.TimestampType, false);

        assertThat(schema.simpleString()).isEqualTo("struct<id:int,ts:timestamp>");
        assertThat(schema.sql()).isEqualTo("STRUCT<id: INT, ts: TIMESTAMP NOT NULL>");
        assertThat(schema.toString())
            .isEqualTo("StructType(StructField(id,IntegerType,true),StructField(ts,TimestampType,false))");
        assertThat(DataTypes.createArrayType(StringType).toString()).isEqualTo("ArrayType(StringType,true)");
        assertThat(DataTypes.createMapType(StringType, LongType).sql()).isEqualTo("MAP<STRING, BIGINT>");
        assertThat(new DecimalType(10, 2).sql()).isEqualTo("DECIMAL(10,2)");
        assertThat(new DecimalType(10, 2).toString()).isEqualTo("DecimalType(10,2)");
        assertThat(LongType.simpleString()).isEqualTo("bigint");
        assertThat(LongType.typeName()).isEqualTo("long");
        assertThat(LongType.sql()).isEqualTo("BIGINT");
        assertThat(DataTypes.ShortType.sql()).isEqualTo("SMALLINT");
        assertThat(DataTypes.ByteType.simpleString()).isEqualTo("tinyint");
        assertThat(DataTypes.NullType.sql()).isEqualTo("VOID");
        assertThat(new DecimalType().simpleString()).isEqualTo("decimal(10,0)");
    }

    @Test
    void shouldFindFieldIndexAndListTheFieldsForAnUnknownName() {
        StructType schema = new StructType().add("id", IntegerType).add("name", StringType);

        assertThat(schema.fieldIndex("name")).isEqualTo(1);
        assertThat(schema.indexOf("nope")).isEqualTo(-1);
        assertThat(schema.fieldNames()).containsExactly("id", "name");
        assertThatThrownBy(() -> schema.fieldIndex("Name"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("No such struct field 'Name'; the fields are: id, name");
    }

    @Test
    void shouldCompareSchemasByFieldsInOrder() {
        StructType a = new StructType().add("id", IntegerType).add("name", StringType);
        StructType b = StructType.fromDDL("id INT, name STRING");
        StructType swapped = StructType.fromDDL("name STRING, id INT");
        StructType notNull = StructType.fromDDL("id INT NOT NULL, name STRING");

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(swapped).isNotEqualTo(notNull);
        assertThat(a.add("x", LongType)).isNotEqualTo(a);
    }

    @Test
    void shouldRejectDecimalOutsideSparkLimits() {
        assertThatThrownBy(() -> new DecimalType(0, 0)).hasMessageContaining("precision");
        assertThatThrownBy(() -> new DecimalType(39, 0)).hasMessageContaining("between 1 and 38, got 39");
        assertThatThrownBy(() -> new DecimalType(4, 5)).hasMessageContaining("scale");
    }
}
