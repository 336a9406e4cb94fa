package io.rivulet.engine.source.file;

import io.rivulet.engine.sql.Row;
import io.rivulet.engine.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static io.rivulet.engine.source.file.FileSourceHarness.T0;
import static io.rivulet.engine.source.file.FileSourceHarness.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code FileSource.json/csv(dir, schema)}: rows of a schema through the real reader, in each parse mode. */
class FileSourceRowsTest {
    private static final long OLD = T0 - 60_000;
    private static final StructType SCHEMA = StructType.fromDDL("symbol STRING, qty BIGINT");
    private static final StructType WITH_CORRUPT = StructType.fromDDL("symbol STRING, qty BIGINT, _corrupt_record STRING");

    @TempDir
    Path dir;

    private Path in() {
        return dir.resolve("in");
    }

    private static <T> FileSourceHarness<T> read(FileSource<T> source) throws Exception {
        FileSourceHarness<T> h = new FileSourceHarness<>(source.fileSettleTime(Duration.ZERO)).open();
        h.drain(100);
        return h;
    }

    private static final String JSON = "{\"symbol\":\"A\",\"qty\":1}\n{\"symbol\":\"B\",\"qty\":\"x\"}\n\n"
        + "[{\"symbol\":\"C\",\"qty\":3},{\"symbol\":\"D\"}]\n{\"symbol\":\"E\",";

    @Test
    void shouldEmitPartialAndCorruptRowsInPermissiveModeByDefault() throws Exception {
        write(in().resolve("t.json"), JSON, OLD);
        FileSource<Row> source = FileSource.json(in(), WITH_CORRUPT);
        assertThat(source.mode()).as("Spark's default mode").isEqualTo(ParseMode.PERMISSIVE);
        FileSourceHarness<Row> h = read(source);
        assertThat(h.records).extracting(Row::toString).containsExactly(
            "[A,1,null]",
            "[B,null,{\"symbol\":\"B\",\"qty\":\"x\"}]",
            "[C,3,null]",
            "[D,null,null]",
            "[null,null,{\"symbol\":\"E\",]");
    }

    @Test
    void shouldKeepOnlyConvertedValuesWithoutACorruptColumn() throws Exception {
        write(in().resolve("t.json"), JSON, OLD);
        FileSourceHarness<Row> h = read(FileSource.json(in(), SCHEMA));
        assertThat(h.records).extracting(Row::toString)
            .containsExactly("[A,1]", "[B,null]", "[C,3]", "[D,null]", "[null,null]");
    }

    @Test
    void shouldDropAndCountMalformedRowsWithDropMalformed() throws Exception {
        write(in().resolve("t.json"), JSON, OLD);
        FileSourceHarness<Row> h = read(FileSource.json(in(), WITH_CORRUPT).option("mode", "DROPMALFORMED"));
        assertThat(h.records).extracting(Row::toString).containsExactly("[A,1,null]", "[C,3,null]", "[D,null,null]");
        assertThat(h.dropped).isEqualTo(2);
    }

    @Test
    void shouldFailNamingFileLineAndFieldWithFailFast() throws Exception {
        Path file = write(in().resolve("t.json"), JSON, OLD);
        FileSourceHarness<Row> h = new FileSourceHarness<>(FileSource.json(in(), SCHEMA).option("mode", "FAILFAST")
            .fileSettleTime(Duration.ZERO)).open();
        assertThatThrownBy(() -> h.drain(100)).isInstanceOf(MalformedLineException.class)
            .hasMessageContaining("malformed line 2 of " + file)
            .hasMessageContaining("field name 'qty' and the value x");
    }

    @Test
    void shouldReadCsvRowsSkippingTheHeaderAndApplyingOptions() throws Exception {
        write(in().resolve("t.csv"), "name;count\nA;1\nB;NULL\n# note\nC;2;extra\nD;x\n", OLD);
        FileSourceHarness<Row> h = read(FileSource.csv(in(), WITH_CORRUPT).option("header", "true")
            .option("sep", ";").option("nullValue", "NULL").option("comment", "#"));
        assertThat(h.records).extracting(Row::toString).containsExactly(
            "[A,1,null]", "[B,null,null]", "[C,2,C;2;extra]", "[D,null,D;x]");
    }

    @Test
    void shouldCheckTheCsvHeaderOnlyWithEnforceSchemaFalse() throws Exception {
        write(in().resolve("t.csv"), "name,count\nA,1\n", OLD);
        assertThat(read(FileSource.csv(in(), SCHEMA).option("header", "true")).records).hasSize(1);
        FileSourceHarness<Row> strict = new FileSourceHarness<>(FileSource.csv(in(), SCHEMA).option("header", "true")
            .option("enforceSchema", "false").fileSettleTime(Duration.ZERO)).open();
        assertThatThrownBy(() -> strict.drain(100)).hasStackTraceContaining("CSV header does not conform to the schema")
            .hasStackTraceContaining("Expected: symbol but found: name");
    }

    @Test
    void shouldRejectBadRowOptionsWhenSetNamingTheOption() {
        assertThatThrownBy(() -> FileSource.json(in(), SCHEMA).option("timestampFormat", "yyyy-MM-dd'T"))
            .hasMessageContaining("option 'timestampFormat'");
        assertThatThrownBy(() -> FileSource.json(in(), SCHEMA).option("multiLine", "true"))
            .hasMessageContaining("multiLine=true is not supported");
        assertThatThrownBy(() -> FileSource.json(in(), SCHEMA).option("emptyValue", "x"))
            .hasMessageContaining("unknown option 'emptyValue'").hasMessageContaining("allowComments");
        assertThatThrownBy(() -> FileSource.csv(in(), SCHEMA).option("allowComments", "true"))
            .hasMessageContaining("unknown option 'allowComments'");
        assertThatThrownBy(() -> FileSource.json(in(), StructType.fromDDL("a INT, bad INT"))
            .option("columnNameOfCorruptRecord", "bad")).hasMessageContaining("must be string type");
        assertThatThrownBy(() -> FileSource.jsonLines(in(), (b, o, l) -> l).option("timestampFormat", "x"))
            .as("row options only on the sources of rows").hasMessageContaining("unknown option 'timestampFormat'");
        assertThat(FileSource.json(in(), SCHEMA).option("primitivesAsString", "true").option("prefersDecimal", "true"))
            .as("inference options are accepted and ignored, as Spark with a schema").isNotNull();
    }
}
