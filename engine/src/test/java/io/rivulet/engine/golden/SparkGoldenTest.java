package io.rivulet.engine.golden;

import io.rivulet.engine.NoLeakedThreads;
import io.rivulet.engine.QueryProgress;
import io.rivulet.engine.Rivulet;
import io.rivulet.engine.Stream;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.source.MemoryStream;
import io.rivulet.engine.source.Sources;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import io.rivulet.engine.runtime.RuntimeProbe;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.time.Instant;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Runs every golden case recorded from Apache Spark (each file of {@code testdata/spark-golden}) in
 * micro-batch mode and asserts the exact per-batch output, batch ids (no-data batches included),
 * watermarks, input rows, the watermark the next batch will use, late rows dropped and (for
 * aggregations and deduplication, whose state rows are one per key as in Spark) state rows; every
 * query Spark rejects is rejected at start. A case whose operator is not built yet is reported as
 * skipped with the reason ({@link GoldenQueries#notYetBuilt}), never left out.
 */
@ExtendWith(NoLeakedThreads.class)
class SparkGoldenTest {
    static List<String> replayed() throws IOException {
        List<String> cases = new ArrayList<>();
        for (String name : GoldenCase.all()) {
            if (GoldenCase.load(name).rejected() == null) {
                cases.add(name);
            }
        }
        return cases;
    }

    static List<String> rejected() throws IOException {
        List<String> cases = new ArrayList<>();
        for (String name : GoldenCase.all()) {
            if (GoldenCase.load(name).rejected() != null) {
                cases.add(name);
            }
        }
        return cases;
    }

    @Test
    void shouldFindEveryGoldenCaseInTheFolder() throws IOException {
        assertThat(GoldenCase.all()).hasSizeGreaterThanOrEqualTo(26)
            .contains("e2_drop_duplicates_id_with_watermark_append", "l19_reject_drop_duplicates_within_watermark_without_watermark");
    }

    @Test
    void shouldSkipNoGoldenCase() throws IOException {
        for (String name : GoldenCase.all()) {
            assertThat(GoldenQueries.notYetBuilt(name)).as(name).isNull();
        }
    }

    private static void skipIfNotYetBuilt(String caseName) {
        String reason = GoldenQueries.notYetBuilt(caseName);
        if (reason != null) {
            Assumptions.abort(caseName + ": " + reason);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("replayed")
    void shouldReproduceSparkBatchByBatch(String caseName) throws Exception {
        skipIfNotYetBuilt(caseName);
        replay(GoldenCase.load(caseName), GoldenQueries.of(caseName));
    }

    /**
     * Runs a case's query in micro-batch mode, feeding each step's rows to their named inputs (every
     * input of the case exists from the start, whether or not the step adds to it), and asserts Spark's
     * batches: ids, rows, input rows, watermarks, late rows dropped, state operators and (for
     * aggregations and deduplication) state rows, and the next batch's watermark.
     *
     * @param golden the case
     * @param query its query in Rivulet's API
     */
    static void replay(GoldenCase golden, GoldenQueries.Query query) throws Exception {
        String caseName = golden.name();
        BatchRecordingSink sink = new BatchRecordingSink(GoldenQueries.rows(query));
        boolean ordered = caseName.startsWith("j1");
        try (Rivulet rivulet = Rivulet.create()) {
            Map<String, MemoryStream<List<Object>>> inputs = new LinkedHashMap<>();
            for (String name : golden.inputNames()) {
                inputs.put(name, Sources.memoryStream(name));
            }
            @SuppressWarnings("unchecked")
            Stream<Object> result = (Stream<Object>) query.build(rivulet, inputs, golden.staticTables());
            StreamingQuery running = GoldenQueries.configure(result, sink, golden).start();
            // The processing-time trigger's first firing is at start(); take it here, with no input, so that a step
            // feeding two streams (g1, g2, k1) is never split across two batches by it.
            running.processAllAvailable();
            int seen = 0;
            for (int s = 0; s < golden.steps().size(); s++) {
                GoldenCase.Step step = golden.steps().get(s);
                step.input().forEach((name, rows) -> inputs.get(name).addData(rows));
                running.processAllAvailable();
                List<Map.Entry<Long, List<List<Object>>>> batches = new ArrayList<>(sink.batches().entrySet());
                List<Map.Entry<Long, List<List<Object>>>> ran = batches.subList(seen, batches.size());
                seen = batches.size();
                String where = caseName + " step " + (s + 1);
                assertThat(ran.stream().map(Map.Entry::getKey).toList()).as(where + " batch ids")
                    .isEqualTo(step.batches().stream().map(GoldenCase.Batch::batchId).toList());
                for (int b = 0; b < ran.size(); b++) {
                    GoldenCase.Batch expected = step.batches().get(b);
                    List<List<Object>> actual = ran.get(b).getValue();
                    String at = where + " batch " + expected.batchId();
                    if (ordered) {
                        assertThat(actual).as(at + " rows").containsExactlyElementsOf(expected.output());
                    } else {
                        assertThat(actual).as(at + " rows").containsExactlyInAnyOrderElementsOf(expected.output());
                    }
                    QueryProgress progress = progressOf(running, expected.batchId());
                    // As many state operators as Spark reports: none for a stateless (stream-static) join.
                    assertThat(progress.stateOperators()).as(at + " state operators").hasSize(expected.droppedByWatermark().size());
                    if (expected.numInputRows() != null) {
                        assertThat(progress.numInputRows()).as(at + " input rows").isEqualTo(expected.numInputRows());
                    }
                    if (caseName.matches("[aije]\\d_.*")) {
                        // A running aggregation and deduplication hold one state row per key, as Spark's state store does.
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

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void shouldRejectAtStartWhatSparkRejects(String caseName) throws Exception {
        skipIfNotYetBuilt(caseName);
        GoldenCase golden = GoldenCase.load(caseName);
        String sparkMessage = golden.rejected().path("message_first_line").asText();
        String meaning = sparkMessage.replaceFirst("^\\[[A-Z_.]+] ", "").replaceFirst(" SQLSTATE: \\w+$", "")
            .replaceFirst(";$", "").replaceFirst("\\.$", "");
        try (Rivulet rivulet = Rivulet.create()) {
            Map<String, MemoryStream<List<Object>>> inputs = new LinkedHashMap<>();
            for (String name : golden.inputNames()) {
                inputs.put(name, Sources.memoryStream(name));
            }
            @SuppressWarnings("unchecked")
            Stream<Object> result = (Stream<Object>) GoldenQueries.of(caseName).build(rivulet, inputs, golden.staticTables());
            assertThatThrownBy(() -> GoldenQueries.configure(result, new BatchRecordingSink(List::of), golden).start())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(meaning);
            assertThat(rivulet.streams().active()).isEmpty();
        }
    }

    private static QueryProgress progressOf(StreamingQuery query, long batchId) {
        for (QueryProgress progress : query.recentProgress()) {
            if (progress.batchId() == batchId) {
                return progress;
            }
        }
        throw new AssertionError("no progress for batch " + batchId);
    }
}
