package io.rivulet.engine.golden;

import io.rivulet.engine.NoLeakedThreads;
import io.rivulet.engine.QueryProgress;
import io.rivulet.engine.Rivulet;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.Trigger;
import io.rivulet.engine.runtime.RuntimeProbe;
import io.rivulet.engine.source.MemoryStream;
import io.rivulet.engine.source.Sources;
import io.rivulet.engine.sql.DataStreamWriter;
import io.rivulet.engine.sql.Dataset;
import io.rivulet.engine.sql.Encoders;
import io.rivulet.engine.sql.Row;
import io.rivulet.engine.types.DataType;
import io.rivulet.engine.types.StructField;
import io.rivulet.engine.types.StructType;
import io.rivulet.engine.types.TimestampType;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Every golden case recorded from Apache Spark replayed through the structured API ({@link StructuredGoldenQueries}:
 * each case's {@code sql_or_api} written as Spark's Java API spells it), in micro-batch mode, batch by batch: the
 * same checks as {@link SparkGoldenTest} makes of the typed API (rows, batch ids with no-data batches, input rows,
 * watermarks, the next batch's watermark, late rows dropped, state operators and state rows). The query is written
 * through the structured writer ({@code writeStream().outputMode(..).foreachBatch(..)}, as Spark's recording ran),
 * so both API levels are held to the same rows. Every query Spark rejects is rejected before it starts, with the
 * meaning of Spark's message. A case the structured API cannot express yet is aborted with the reason
 * ({@link StructuredGoldenQueries#notExpressible}), never left out.
 */
@ExtendWith(NoLeakedThreads.class)
class StructuredGoldenTest {
    @Test
    void shouldExpressEveryGoldenCaseOrSayWhyNot() throws IOException {
        List<String> missing = new ArrayList<>();
        for (String name : GoldenCase.all()) {
            String reason = StructuredGoldenQueries.notExpressible(name);
            if (reason == null) {
                assertThat(StructuredGoldenQueries.of(name)).as(name).isNotNull();
            } else {
                missing.add(name.substring(0, name.indexOf('_')));
            }
        }
        // Every case, group state (h1, l15) included, is written in the structured API.
        assertThat(missing).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.rivulet.engine.golden.SparkGoldenTest#replayed")
    void shouldReproduceSparkBatchByBatchThroughTheStructuredApi(String caseName) throws Exception {
        skipIfNotExpressible(caseName);
        replay(GoldenCase.load(caseName), StructuredGoldenQueries.of(caseName));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.rivulet.engine.golden.SparkGoldenTest#rejected")
    void shouldRejectBeforeStartWhatSparkRejectsThroughTheStructuredApi(String caseName) throws Exception {
        skipIfNotExpressible(caseName);
        GoldenCase golden = GoldenCase.load(caseName);
        String sparkMessage = golden.rejected().path("message_first_line").asText();
        String meaning = sparkMessage.replaceFirst("^\\[[A-Z_.]+] ", "").replaceFirst(" SQLSTATE: \\w+$", "")
            .replaceFirst(";$", "").replaceFirst("\\.$", "");
        try (Rivulet rivulet = Rivulet.create()) {
            Map<String, MemoryStream<Row>> streams = new LinkedHashMap<>();
            Map<String, Dataset<Row>> inputs = inputs(rivulet, golden, streams);
            // Spark rejects at start(); the structured API may already reject when the query is built (l19).
            Throwable rejection = catchThrowable(() -> writer(StructuredGoldenQueries.of(caseName).build(inputs), golden,
                new ConcurrentHashMap<>()).start());
            assertThat(rejection).as(caseName).isInstanceOf(IllegalArgumentException.class);
            assertThat(rejection.getMessage()).as(caseName).contains(meaning);
            assertThat(rivulet.streams().active()).isEmpty();
        }
    }

    private static void skipIfNotExpressible(String caseName) {
        String reason = StructuredGoldenQueries.notExpressible(caseName);
        if (reason != null) {
            Assumptions.abort(caseName + ": " + reason);
        }
    }

    /**
     * One memory stream and DataFrame per input of the case, of the case's input schema; and one static DataFrame
     * ({@code rivulet.createDataFrame}) per static table of a stream-static case, of the table's schema.
     */
    private static Map<String, Dataset<Row>> inputs(Rivulet rivulet, GoldenCase golden, Map<String, MemoryStream<Row>> streams) {
        Map<String, Dataset<Row>> inputs = new LinkedHashMap<>();
        golden.staticTables().forEach((name, rows) -> {
            StructType schema = StructType.fromDDL(golden.staticSchemas().get(name));
            inputs.put(name, rivulet.createDataFrame(rows.stream().map(r -> inputRow(schema, r)).toList(), schema));
        });
        for (String name : golden.inputNames()) {
            MemoryStream<Row> stream = Sources.memoryStream(name);
            streams.put(name, stream);
            inputs.put(name, rivulet.readStream().memoryStream(stream,
                Encoders.row(StructType.fromDDL(golden.inputSchemas().get(name)))));
        }
        return inputs;
    }

    /**
     * The case's writer: its output mode and Spark settings, batches only when the test asks, each batch's rows
     * turned into golden form (as Spark's recording did, with {@code foreachBatch}) into {@code batches}.
     */
    @SuppressWarnings("unchecked")
    private static DataStreamWriter<Row> writer(Dataset<?> result, GoldenCase golden, Map<Long, List<List<Object>>> batches) {
        Dataset<Row> rows = (Dataset<Row>) result;
        StructType schema = rows.schema();
        DataStreamWriter<Row> writer = rows.writeStream()
            .outputMode(golden.outputMode())
            .trigger(Trigger.processingTime(Duration.ofHours(1)))
            .foreachBatch((batch, batchId) -> batches.put(batchId, batch.stream().map(r -> goldenRow(r, schema)).toList()));
        String noData = golden.sparkConf().get("spark.sql.streaming.noDataMicroBatches.enabled");
        if (noData != null) {
            writer.noDataMicroBatches(Boolean.parseBoolean(noData));
        }
        String policy = golden.sparkConf().get("spark.sql.streaming.multipleWatermarkPolicy");
        if (policy != null) {
            writer.multipleWatermarkPolicy(policy);
        }
        return writer;
    }

    /**
     * Runs a case step by step and asserts Spark's batches, as {@link SparkGoldenTest#replay} does for the typed API.
     * Batch ids come from the query's progress, and the {@code foreachBatch} function must have been called for
     * exactly those batches, no-data batches included, as Spark's recording was.
     */
    static void replay(GoldenCase golden, StructuredGoldenQueries.Query query) throws Exception {
        String caseName = golden.name();
        boolean ordered = caseName.startsWith("j1");
        Map<Long, List<List<Object>>> batches = new ConcurrentHashMap<>();
        try (Rivulet rivulet = Rivulet.create()) {
            Map<String, MemoryStream<Row>> streams = new LinkedHashMap<>();
            Map<String, Dataset<Row>> inputs = inputs(rivulet, golden, streams);
            StreamingQuery running = writer(query.build(inputs), golden, batches).start();
            // The processing-time trigger's first firing is at start(); take it here, with no input, so that a step
            // feeding two streams (g1, g2, k1) is never split across two batches by it.
            running.processAllAvailable();
            long lastBatch = -1;
            for (int s = 0; s < golden.steps().size(); s++) {
                GoldenCase.Step step = golden.steps().get(s);
                step.input().forEach((name, rows) -> {
                    StructType schema = StructType.fromDDL(golden.inputSchemas().get(name));
                    streams.get(name).addData(rows.stream().map(r -> inputRow(schema, r)).toList());
                });
                running.processAllAvailable();
                List<QueryProgress> ran = new ArrayList<>();
                for (QueryProgress progress : running.recentProgress()) {
                    if (progress.batchId() > lastBatch) {
                        ran.add(progress);
                    }
                }
                if (!ran.isEmpty()) {
                    lastBatch = ran.get(ran.size() - 1).batchId();
                }
                String where = caseName + " step " + (s + 1);
                assertThat(batches.keySet()).as(where + " foreachBatch calls").hasSize((int) (lastBatch + 1));
                assertThat(ran.stream().map(QueryProgress::batchId).toList()).as(where + " batch ids")
                    .isEqualTo(step.batches().stream().map(GoldenCase.Batch::batchId).toList());
                for (int b = 0; b < ran.size(); b++) {
                    GoldenCase.Batch expected = step.batches().get(b);
                    QueryProgress progress = ran.get(b);
                    String at = where + " batch " + expected.batchId();
                    assertThat(batches).as(at + ": foreachBatch called").containsKey(progress.batchId());
                    List<List<Object>> actual = batches.get(progress.batchId());
                    if (ordered) {
                        assertThat(actual).as(at + " rows").containsExactlyElementsOf(expected.output());
                    } else {
                        assertThat(actual).as(at + " rows").containsExactlyInAnyOrderElementsOf(expected.output());
                    }
                    assertThat(progress.stateOperators()).as(at + " state operators").hasSize(expected.droppedByWatermark().size());
                    if (expected.numInputRows() != null) {
                        assertThat(progress.numInputRows()).as(at + " input rows").isEqualTo(expected.numInputRows());
                    }
                    if (caseName.matches("[aije]\\d_.*")) {
                        assertThat(progress.stateOperators().get(0).numRowsTotal()).as(at + " state rows")
                            .isEqualTo(expected.stateRows().get(0));
                    }
                    String watermark = progress.eventTimeWatermark() == null ? null : progress.eventTimeWatermark().toString();
                    assertThat(watermark).as(at + " watermark").isEqualTo(expected.watermark());
                    assertThat(progress.stateOperators().stream().map(QueryProgress.StateOperatorProgress::numRowsDroppedByWatermark)
                        .toList()).as(at + " dropped by watermark").isEqualTo(expected.droppedByWatermark());
                }
                long next = RuntimeProbe.nextBatchWatermarkMs(running);
                assertThat(next == Long.MIN_VALUE ? null : Instant.ofEpochMilli(next).toString())
                    .as(where + " next batch watermark").isEqualTo(step.nextBatchWatermark());
            }
            running.stop();
        }
    }

    /** A golden input row (timestamps in epoch ms) as a row of the input schema. */
    private static Row inputRow(StructType schema, List<Object> values) {
        Object[] row = new Object[values.size()];
        for (int i = 0; i < row.length; i++) {
            Object value = values.get(i);
            row[i] = value != null && schema.fields()[i].dataType() instanceof TimestampType
                ? Instant.ofEpochMilli((Long) value) : value;
        }
        return Row.of(schema, row);
    }

    /** An output row in golden form: timestamps as ISO-8601 text, structs as {name: value} maps. */
    static List<Object> goldenRow(Row row, StructType schema) {
        List<Object> values = new ArrayList<>();
        StructField[] fields = schema.fields();
        for (int i = 0; i < fields.length; i++) {
            values.add(goldenValue(row, i, fields[i].dataType()));
        }
        return values;
    }

    private static Object goldenValue(Row row, int i, DataType type) {
        if (row.isNullAt(i)) {
            return null;
        }
        if (type instanceof TimestampType) {
            return row.getTimestamp(i).toString();
        }
        if (type instanceof StructType struct) {
            Row nested = row.getStruct(i);
            Map<String, Object> map = new LinkedHashMap<>();
            StructField[] fields = struct.fields();
            for (int f = 0; f < fields.length; f++) {
                map.put(fields[f].name(), goldenValue(nested, f, fields[f].dataType()));
            }
            return map;
        }
        Object value = row.get(i);
        return value instanceof Integer n ? Long.valueOf(n) : value;
    }
}
