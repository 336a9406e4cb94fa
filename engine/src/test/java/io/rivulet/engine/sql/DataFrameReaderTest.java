package io.rivulet.engine.sql;

import io.rivulet.engine.NoLeakedThreads;
import io.rivulet.engine.Rivulet;
import io.rivulet.engine.source.file.MalformedLineException;
import io.rivulet.engine.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Static DataFrames read by {@code rivulet.read()} in csv and text (Spark's {@code spark.read}), through the file
 * source's own decoders: Spark's string columns without a schema ({@code inferSchema=false}), header names, the
 * separator, a schema's conversions, the parse modes, text's one {@code value} column, and the errors.
 */
@ExtendWith(NoLeakedThreads.class)
class DataFrameReaderTest {
    @TempDir
    Path dir;

    private static List<String> rows(Dataset<Row> df) throws Exception {
        return df.staticRows().load().stream().map(Row::toString).toList();
    }

    private Path file(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void shouldReadCsvWithoutASchemaAsStringColumnsNamedByTheHeaderWithTheSeparatorGiven() throws Exception {
        Path csv = file("quotes.csv", "sym;price;note\nAAPL;1.5;\"a;b\"\nMSFT;;x\n");
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<Row> df = rivulet.read().option("header", true).option("sep", ";").csv(csv.toString());
            assertThat(df.schema()).isEqualTo(StructType.fromDDL("sym STRING, price STRING, note STRING"));
            assertThat(df.isStreaming()).isFalse();
            assertThat(rows(df)).containsExactly("[AAPL,1.5,a;b]", "[MSFT,null,x]");
        }
    }

    @Test
    void shouldNameCsvColumnsLikeSparkWithoutAHeaderAndForEmptyOrDuplicateHeaderNames() throws Exception {
        Path plain = file("plain.csv", "1,x\n2,y\n");
        Path odd = file("odd.csv", "a,,A\n1,2,3\n");
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<Row> df = rivulet.read().csv(plain.toString());
            assertThat(df.columns()).containsExactly("_c0", "_c1");
            assertThat(rows(df)).containsExactly("[1,x]", "[2,y]");
            assertThat(rivulet.read().option("header", "true").csv(odd.toString()).columns()).containsExactly("a0", "_c1", "A2");
        }
    }

    @Test
    void shouldReadCsvWithASchemaBySparksConversionsPermissiveByDefault() throws Exception {
        Path csv = file("ids.csv", "id,name\n1,a\nx,b\n3\n");
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<Row> df = rivulet.read().schema("id INT, name STRING").option("header", true).csv(csv.toString());
            assertThat(rows(df)).as("a malformed line keeps what converted").containsExactly("[1,a]", "[null,b]", "[3,null]");
            Dataset<Row> dropped = rivulet.read().schema("id INT, name STRING").option("header", true)
                .option("mode", "DROPMALFORMED").csv(csv.toString());
            assertThat(rows(dropped)).containsExactly("[1,a]");
            Dataset<Row> strict = rivulet.read().schema("id INT, name STRING").option("header", true)
                .option("mode", "FAILFAST").csv(csv.toString());
            assertThatThrownBy(() -> rows(strict)).isInstanceOf(MalformedLineException.class)
                .hasMessageContaining("malformed line 3 of " + csv);
        }
    }

    @Test
    void shouldReadEveryVisibleFileOfADirectoryInPathOrderEachWithItsHeader() throws Exception {
        file("b.csv", "k,v\n2,y\n");
        file("a.csv", "k,v\n1,x\n");
        file("_hidden.csv", "k,v\n9,z\n");
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<Row> df = rivulet.read().format("CSV").option("header", true).load(dir.toString());
            assertThat(df.columns()).containsExactly("k", "v");
            assertThat(rows(df)).containsExactly("[1,x]", "[2,y]");
        }
    }

    @Test
    void shouldReadTextLinesBlankOnesIncludedAsOneValueColumn() throws Exception {
        Path text = file("lines.txt", "one\n\nthree\n");
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<Row> df = rivulet.read().text(text.toString());
            assertThat(df.schema()).isEqualTo(StructType.fromDDL("value STRING"));
            assertThat(rows(df)).containsExactly("[one]", "[]", "[three]");
            assertThat(rows(rivulet.read().format("text").load(text.toString()))).hasSize(3);
            assertThat(rivulet.read().schema("line STRING").text(text.toString()).columns()).containsExactly("line");
        }
    }

    @Test
    void shouldRejectWhatSparkRejectsAndAnOptionTheFormatDoesNotKnow() throws Exception {
        Path csv = file("x.csv", "a\n");
        try (Rivulet rivulet = Rivulet.create()) {
            assertThatThrownBy(() -> rivulet.read().schema("a STRING, b STRING").text(csv.toString()))
                .hasMessage("Text data source supports only a single column, and you have 2 columns.");
            assertThatThrownBy(() -> rivulet.read().schema("a INT").text(csv.toString()))
                .hasMessage("Text data source does not support int data type.");
            assertThatThrownBy(() -> rivulet.read().option("heder", true).csv(csv.toString()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("heder").hasMessageContaining("header");
            assertThatThrownBy(() -> rivulet.read().csv(dir.resolve("missing").toString()))
                .hasMessageStartingWith("[PATH_NOT_FOUND] Path does not exist: ");
            assertThatThrownBy(() -> rivulet.read().schema("a STRING").option("mode", "PERMISSIVE").json(csv.toString()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("options [mode] are not applied to json");
            assertThatThrownBy(() -> rivulet.read().format("parquet").load(csv.toString()))
                .hasMessage("[DATA_SOURCE_NOT_FOUND] Failed to find the data source: parquet. Known static formats: csv,"
                    + " json, text");
        }
    }
}
