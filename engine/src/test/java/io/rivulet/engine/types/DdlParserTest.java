package io.rivulet.engine.types;

import io.rivulet.engine.sql.ParseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.rivulet.engine.types.DataTypes.BinaryType;
import static io.rivulet.engine.types.DataTypes.BooleanType;
import static io.rivulet.engine.types.DataTypes.DoubleType;
import static io.rivulet.engine.types.DataTypes.IntegerType;
import static io.rivulet.engine.types.DataTypes.LongType;
import static io.rivulet.engine.types.DataTypes.StringType;
import static io.rivulet.engine.types.DataTypes.TimestampType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DdlParserTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "STRING | string", "string | string", "VARCHAR(10) | string", "char(3) | string",
        "INT | int", "integer | int", "BIGINT | bigint", "long | bigint",
        "SMALLINT | smallint", "short | smallint", "TINYINT | tinyint", "byte | tinyint",
        "DOUBLE | double", "FLOAT | float", "real | float", "BOOLEAN | boolean",
        "TIMESTAMP | timestamp", "timestamp_ltz | timestamp", "DATE | date", "BINARY | binary", "void | void",
        "DECIMAL | decimal(10,0)", "dec(5) | decimal(5,0)", "NUMERIC(38, 18) | decimal(38,18)",
        "Decimal(10,2) | decimal(10,2)",
        "ARRAY<STRING> | array<string>", "array<array<int>> | array<array<int>>",
        "MAP<STRING, BIGINT> | map<string,bigint>", "map<string,array<map<int,date>>> | map<string,array<map<int,date>>>",
        "STRUCT<a: INT, b: STRING> | struct<a:int,b:string>", "struct<a int,b string> | struct<a:int,b:string>",
        "STRUCT<> | struct<>", "struct< > | struct<>",
        "ARRAY<STRUCT<product: STRING, amount: INT>> | array<struct<product:string,amount:int>>",
    })
    void shouldParseEveryTypeAndAliasAsSparkDoes(String ddl, String simpleString) {
        assertThat(DataType.fromDDL(ddl).simpleString()).isEqualTo(simpleString);
    }

    @Test
    void shouldParseTableSchemaWithNullabilityCommentsAndQuotedNames() {
        StructType schema = StructType.fromDDL(
            "id INT NOT NULL, `event time` TIMESTAMP COMMENT 'when it happened', tags ARRAY<STRING>,\n"
                + "  date DATE, `a``b` MAP<STRING, DOUBLE> -- trailing comment\n");

        assertThat(schema).isEqualTo(new StructType()
            .add("id", IntegerType, false)
            .add("event time", TimestampType, true, "when it happened")
            .add("tags", DataTypes.createArrayType(StringType))
            .add("date", DataTypes.DateType)
            .add("a`b", DataTypes.createMapType(StringType, DoubleType)));
    }

    @Test
    void shouldParseNestedStructNullabilityAndKeywordsAsNames() {
        DataType parsed = DataType.fromDDL("STRUCT<array: ARRAY<INT>, map MAP<INT,INT> NOT NULL, s: STRUCT<x: BINARY>>");

        assertThat(parsed).isEqualTo(new StructType()
            .add("array", DataTypes.createArrayType(IntegerType))
            .add("map", DataTypes.createMapType(IntegerType, IntegerType), false)
            .add("s", new StructType().add("x", BinaryType)));
    }

    @Test
    void shouldFallBackToTableSchemaInDataTypeFromDdl() {
        assertThat(DataType.fromDDL("a INT, b STRING"))
            .isEqualTo(new StructType().add("a", IntegerType).add("b", StringType));
    }

    @Test
    void shouldRoundTripThroughToDdl() {
        StructType schema = new StructType()
            .add("id", LongType, false)
            .add("name", StringType, true, "it's \\ quoted")
            .add("price", new DecimalType(12, 4))
            .add("ok", BooleanType)
            .add("when", TimestampType)
            .add("1st col", DataTypes.ShortType)
            .add("not", DataTypes.ByteType)
            .add("tags", DataTypes.createArrayType(StringType, true))
            .add("m", DataTypes.createMapType(StringType, new StructType().add("x", DoubleType, false)))
            .add("f", DataTypes.FloatType)
            .add("d", DataTypes.DateType)
            .add("b", BinaryType);

        String ddl = schema.toDDL();

        assertThat(ddl).startsWith("id BIGINT NOT NULL,name STRING COMMENT 'it\\'s \\\\ quoted',price DECIMAL(12,4),");
        assertThat(ddl).contains("`1st col` SMALLINT,`not` TINYINT,tags ARRAY<STRING>,m MAP<STRING, STRUCT<x: DOUBLE NOT NULL>>");
        assertThat(StructType.fromDDL(ddl)).isEqualTo(schema);
        assertThat(DataType.fromDDL(schema.sql())).isEqualTo(schema);
    }

    @Test
    void shouldNameTheOffendingTokenAndItsPositionOnSyntaxError() {
        assertThatThrownBy(() -> StructType.fromDDL("id INT, name STRING foo"))
            .isInstanceOf(ParseException.class)
            .hasMessageStartingWith("Syntax error at or near 'foo' (line 1, pos 20) in \"id INT, name STRING foo\"")
            .satisfies(e -> {
                ParseException p = (ParseException) e;
                assertThat(p.line()).isEqualTo(1);
                assertThat(p.position()).isEqualTo(20);
            });
    }

    @Test
    void shouldReportMissingClosingBracketAtEndOfInput() {
        assertThatThrownBy(() -> StructType.fromDDL("tags ARRAY<STRING"))
            .isInstanceOf(ParseException.class)
            .hasMessageStartingWith("Syntax error at or near end of input (line 1, pos 17)")
            .hasMessageContaining("'>'");
    }

    @Test
    void shouldReportPositionOnLaterLines() {
        assertThatThrownBy(() -> StructType.fromDDL("a INT,\nb INT,,"))
            .isInstanceOf(ParseException.class)
            .hasMessageStartingWith("Syntax error at or near ',' (line 2, pos 6)");
    }

    @Test
    void shouldNameUnknownTypeAndListTheKnownOnes() {
        assertThatThrownBy(() -> StructType.fromDDL("id INT, price MONEY"))
            .isInstanceOf(ParseException.class)
            .hasMessageStartingWith("Unsupported data type 'MONEY' (line 1, pos 14)")
            .hasMessageContaining("known types are ARRAY<type>, BIGINT, BINARY, BOOLEAN");
        assertThatThrownBy(() -> DataType.fromDDL("a INT, b FOO"))
            .hasMessageStartingWith("Unsupported data type 'FOO'");
    }

    @Test
    void shouldRejectBadTypeParameters() {
        assertThatThrownBy(() -> DataType.fromDDL("DECIMAL(39,2)"))
            .isInstanceOf(ParseException.class).hasMessageContaining("precision must be between 1 and 38, got 39");
        assertThatThrownBy(() -> DataType.fromDDL("DECIMAL(5,6)"))
            .isInstanceOf(ParseException.class).hasMessageContaining("scale must be between 0 and the precision");
        assertThatThrownBy(() -> DataType.fromDDL("INT(4)"))
            .isInstanceOf(ParseException.class).hasMessageStartingWith("Data type INT takes no parameters");
        assertThatThrownBy(() -> DataType.fromDDL("VARCHAR"))
            .isInstanceOf(ParseException.class).hasMessageStartingWith("Data type VARCHAR takes one parameter");
    }

    @Test
    void shouldReportUnrecognizedCharactersAsSyntaxErrors() {
        assertThatThrownBy(() -> StructType.fromDDL("a INT; b INT"))
            .isInstanceOf(ParseException.class)
            .hasMessageStartingWith("Syntax error at or near ';' (line 1, pos 5)");
    }

    @Test
    void shouldParseTypeStringInStructTypeAdd() {
        assertThat(new StructType().add("t", "array<bigint>").apply("t").dataType())
            .isEqualTo(DataTypes.createArrayType(LongType));
    }
}
