package io.rivulet.engine.sql;

import io.rivulet.engine.NoLeakedThreads;
import io.rivulet.engine.Rivulet;
import io.rivulet.engine.Trigger;
import io.rivulet.engine.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * json schema inference as Spark's {@code JsonInferSchema}: a static {@code rivulet.read().json(path)} without a
 * schema infers it (Spark always does), and a streaming json read does with schema inference on.
 */
@ExtendWith(NoLeakedThreads.class)
class JsonSchemaInferenceTest {
    @TempDir
    Path dir;

    private Path file(String name, String... lines) throws Exception {
        return Files.writeString(dir.resolve(name), String.join("\n", lines) + "\n");
    }

    @Test
    void shouldInferAStaticJsonSchemaAsSparkFieldsSortedByName() throws Exception {
        Path json = file("a.json",
            "{\"id\":1,\"name\":\"a\",\"score\":1.5,\"ok\":true,\"tags\":[\"x\"],\"pos\":{\"y\":2,\"x\":1},\"n\":null}",
            "{\"id\":3000000000,\"score\":2,\"big\":12345678901234567890,\"tags\":[],\"pos\":{\"z\":\"s\"},\"mixed\":1}",
            "",
            "{\"mixed\":\"s\",\"n\":null,\"empty\":{}}",
            "[{\"id\":5}]");
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<Row> df = rivulet.read().json(json.toString());
            assertThat(df.schema()).isEqualTo(StructType.fromDDL("big DECIMAL(20,0), id BIGINT, mixed STRING, n STRING,"
                + " name STRING, ok BOOLEAN, pos STRUCT<x: BIGINT, y: BIGINT, z: STRING>, score DOUBLE, tags ARRAY<STRING>"));
            List<Row> rows = List.copyOf(df.staticRows().load());
            assertThat(rows).hasSize(4);
            assertThat(rows.get(0).getLong(1)).isEqualTo(1L);
            assertThat(rows.get(0).getDouble(7)).isEqualTo(1.5);
            assertThat(rows.get(1).getDouble(7)).isEqualTo(2.0);
            assertThat(rows.get(1).get(0)).hasToString("12345678901234567890");
            assertThat(rows.get(1).getString(2)).isEqualTo("1");
            assertThat(rows.get(3).getLong(1)).isEqualTo(5L);
        }
    }

    @Test
    void shouldFailTheInferenceOfAMalformedLineNamingFileAndLine() throws Exception {
        Path json = file("bad.json", "{\"a\":1}", "{\"a\":");
        try (Rivulet rivulet = Rivulet.create()) {
            assertThatThrownBy(() -> rivulet.read().json(json.toString())).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(json + " line 2: Malformed records are detected in schema inference");
            assertThatThrownBy(() -> rivulet.read().json(file("scalar.json", "1").toString()))
                .hasMessageContaining("line 1: Malformed records");
        }
    }

    @Test
    void shouldFailAsSparkWithNothingToInferAStaticJsonSchemaFrom() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        try (Rivulet rivulet = Rivulet.create()) {
            assertThatThrownBy(() -> rivulet.read().json(dir.resolve("missing").toString()))
                .hasMessageStartingWith("[PATH_NOT_FOUND] Path does not exist: ");
            assertThatThrownBy(() -> rivulet.read().json(empty.toString()))
                .hasMessage("[UNABLE_TO_INFER_SCHEMA] Unable to infer schema for JSON. It must be specified manually.");
        }
    }

    @Test
    void shouldInferAStreamingJsonSchemaWithSchemaInferenceAndOtherwiseNameTheSetting() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Files.writeString(logs.resolve("calls.json"), "{\"action\":\"open\",\"id\":7}\n{\"action\":\"close\",\"id\":11}\n");
        try (Rivulet rivulet = Rivulet.create()) {
            assertThatThrownBy(() -> rivulet.readStream().json(logs.toString()))
                .hasMessageStartingWith("Schema must be specified when creating a streaming source DataFrame.")
                .hasMessageContaining("option(\"schemaInference\", true)");
            Dataset<Row> df = rivulet.readStream().option("schemaInference", true).option("fileSettleTime", "0s")
                .json(logs.toString());
            assertThat(df.schema().toDDL()).isEqualTo("action STRING,id BIGINT");
            df.select("action").where("id > 10").writeStream().format("memory").queryName("calls")
                .trigger(Trigger.availableNow()).start().awaitTermination();
            assertThat(rivulet.table("calls")).extracting(Row::toString).containsExactly("[close]");
            assertThatThrownBy(() -> rivulet.readStream().option("schemaInference", true).json(dir.resolve("no").toString()))
                .hasMessage("[UNABLE_TO_INFER_SCHEMA] Unable to infer schema for JSON. It must be specified manually.");
        }
    }
}
