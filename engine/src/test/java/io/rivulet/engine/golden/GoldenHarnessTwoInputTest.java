package io.rivulet.engine.golden;

import io.rivulet.engine.NoLeakedThreads;
import io.rivulet.engine.Rivulet;
import io.rivulet.engine.Stream;
import io.rivulet.engine.source.MemoryStream;
import io.rivulet.operators.Output;
import io.rivulet.operators.StateMetrics;
import io.rivulet.operators.StatefulOperator;
import io.rivulet.operators.TwoInputKeyedOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The golden harness is ready for the join cases: it feeds a case's two named inputs step by step
 * and runs a two-input stage batch by batch. Here a naive stream-stream inner join written in the test
 * (not the engine's join, which {@link GoldenQueries} runs for the case itself) reproduces
 * Spark's g1 batch by batch: rows, batch ids with the no-data batches the merged watermark causes,
 * watermarks (minimum of both inputs'), input rows of both inputs, late rows dropped.
 */
@ExtendWith(NoLeakedThreads.class)
class GoldenHarnessTwoInputTest {
    /**
     * impressions ⋈ clicks on ad id where impTime <= clickTime <= impTime + 10 s; rows at or behind the
     * watermark are dropped and counted. Keeps every row (state rows are not compared for joins).
     */
    static final class NaiveTimeRangeJoin implements TwoInputKeyedOperator<String, List<Object>, List<Object>, List<Object>>,
        StatefulOperator {
        private final Map<String, List<List<Object>>> impressions = new HashMap<>();
        private final Map<String, List<List<Object>>> clicks = new HashMap<>();
        private long watermarkMs = Long.MIN_VALUE;
        private long dropped;

        @Override
        public void process(String key, List<Object> impression, Output<List<Object>> out) {
            long impTime = (Long) impression.get(1);
            if (impTime <= watermarkMs) {
                dropped++;
                return;
            }
            impressions.computeIfAbsent(key, k -> new ArrayList<>()).add(impression);
            for (List<Object> click : clicks.getOrDefault(key, List.of())) {
                emitIfInRange(impression, click, out);
            }
        }

        @Override
        public void processRight(String key, List<Object> click, Output<List<Object>> out) {
            long clickTime = (Long) click.get(1);
            if (clickTime <= watermarkMs) {
                dropped++;
                return;
            }
            clicks.computeIfAbsent(key, k -> new ArrayList<>()).add(click);
            for (List<Object> impression : impressions.getOrDefault(key, List.of())) {
                emitIfInRange(impression, click, out);
            }
        }

        private static void emitIfInRange(List<Object> impression, List<Object> click, Output<List<Object>> out) {
            long impTime = (Long) impression.get(1);
            long clickTime = (Long) click.get(1);
            if (clickTime >= impTime && clickTime <= impTime + 10_000) {
                List<Object> row = new ArrayList<>(impression);
                row.addAll(click);
                out.emit(row);
            }
        }

        @Override
        public void onWatermark(long watermarkMs, Output<List<Object>> out) {
            this.watermarkMs = watermarkMs;
        }

        @Override
        public void stateMetrics(StateMetrics into) {
            into.set(impressions.size() + clicks.size(), 0, 0, dropped, 0);
        }
    }

    /** impressions.withWatermark(10 s) joined with clicks.withWatermark(20 s), through connect(...).process(...). */
    static final class NaiveG1 implements GoldenQueries.Query {
        @Override
        public Stream<?> build(Rivulet rivulet, Map<String, MemoryStream<List<Object>>> in) {
            return rivulet.readStream(in.get("impressions")).withWatermark(r -> (Long) r.get(1), Duration.ofSeconds(10))
                .keyBy(r -> (String) r.get(0))
                .connect(rivulet.readStream(in.get("clicks")).withWatermark(r -> (Long) r.get(1), Duration.ofSeconds(20))
                    .keyBy(r -> (String) r.get(0)))
                .process("naiveJoin", NaiveTimeRangeJoin::new);
        }

        @Override
        @SuppressWarnings("unchecked")
        public List<Object> toRow(Object output) {
            List<Object> row = new ArrayList<>((List<Object>) output);
            row.set(1, Instant.ofEpochMilli((Long) row.get(1)).toString());
            row.set(3, Instant.ofEpochMilli((Long) row.get(3)).toString());
            return row;
        }
    }

    @Test
    void shouldFeedBothNamedInputsOfAJoinCaseAndReproduceSparksBatchesThroughATwoInputStage() throws Exception {
        GoldenCase golden = GoldenCase.load("g1_stream_stream_inner_join");
        assertThat(golden.inputNames()).containsExactly("impressions", "clicks");
        SparkGoldenTest.replay(golden, new NaiveG1());
    }

    @Test
    void shouldLoadTheStaticTablesOfAStreamStaticJoinCase() throws Exception {
        GoldenCase golden = GoldenCase.load("f1_stream_static_inner_join");
        assertThat(golden.inputNames()).containsExactly("trades");
        assertThat(golden.staticTables()).containsOnlyKeys("symbols");
        assertThat(golden.staticTables().get("symbols")).contains(List.of("AAPL", "Apple", "Tech"));
    }

    @Test
    void shouldGiveARejectedJoinCaseBothOfItsNamedInputs() throws Exception {
        assertThat(GoldenCase.load("l09_reject_stream_stream_left_outer_without_watermark").inputNames())
            .containsExactly("impressions", "clicks");
        assertThat(GoldenCase.load("l01_reject_append_aggregation_without_watermark").inputNames()).containsExactly("words");
    }
}
