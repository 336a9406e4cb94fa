package io.rivulet.engine.internal.dashboard;

import io.rivulet.engine.QueryProgress;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class PrometheusTextTest {
    private static final UUID ID = UUID.fromString("60fa09da-1c3f-4c05-b969-4587f6727189");
    private static final UUID RUN = UUID.fromString("3bf19937-8f12-4767-afef-64851eaa81f0");

    private static QueryProgress progress(String name, Instant watermark, QueryProgress.Latency latency) {
        return new QueryProgress(ID, RUN, name, Instant.ofEpochMilli(1_700_000_010_000L), 7, 1000, 2000, 2000.0, 1990.5,
            40, 0, 50_000, 900, watermark,
            List.of(new QueryProgress.StateOperatorProgress("window(tumbling(sizeMs=1000, offsetMs=0)).aggregate",
                12, 3, 1, 4, 2048, Map.of(), 2)),
            0, latency, List.of(new QueryProgress.SourceProgress("rate", 2000, 2000.0, 2000.0)), "console");
    }

    @Test
    void shouldWriteEveryFamilyFromTheLastProgressWithQueryLabels() {
        QueryFigures figures = new QueryFigures("counts", ID.toString(), true,
            progress("counts", Instant.ofEpochMilli(1_700_000_009_500L), new QueryProgress.Latency(40, 250.5, 1200, 1500, 2000)),
            1_500_000, 12_000_000, 4096, List.of("*(2) window"), new double[] {0.25}, new double[] {0.125});

        String text = PrometheusText.write(List.of(figures));

        assertThat(text).isEqualTo("""
            # HELP rivulet_query_active 1 while the query runs, 0 once it ended
            # TYPE rivulet_query_active gauge
            rivulet_query_active{query="counts"} 1
            # HELP rivulet_batch_id The last committed epoch (Spark's batchId)
            # TYPE rivulet_batch_id gauge
            rivulet_batch_id{query="counts"} 7
            # HELP rivulet_input_rows_per_second Rows read from all sources per second, over the last progress interval
            # TYPE rivulet_input_rows_per_second gauge
            rivulet_input_rows_per_second{query="counts"} 2000.0
            # HELP rivulet_processed_rows_per_second Rows that completed the last stage per second, over the last progress interval
            # TYPE rivulet_processed_rows_per_second gauge
            rivulet_processed_rows_per_second{query="counts"} 1990.5
            # HELP rivulet_input_rows_total Rows read from all sources since the run started
            # TYPE rivulet_input_rows_total counter
            rivulet_input_rows_total{query="counts"} 50000
            # HELP rivulet_output_rows_total Rows written to the sink since the run started
            # TYPE rivulet_output_rows_total counter
            rivulet_output_rows_total{query="counts"} 900
            # HELP rivulet_latency_seconds End-to-end latency (source time to sink) of the rows written in the last progress interval, by quantile (1 = max)
            # TYPE rivulet_latency_seconds gauge
            rivulet_latency_seconds{query="counts",quantile="0.5"} 2.505E-4
            rivulet_latency_seconds{query="counts",quantile="0.99"} 0.0012
            rivulet_latency_seconds{query="counts",quantile="0.999"} 0.0015
            rivulet_latency_seconds{query="counts",quantile="1"} 0.002
            # HELP rivulet_latency_rows Rows whose latency the last progress interval measured
            # TYPE rivulet_latency_rows gauge
            rivulet_latency_rows{query="counts"} 40
            # HELP rivulet_watermark_seconds The event-time watermark at the last commit, seconds since the epoch
            # TYPE rivulet_watermark_seconds gauge
            rivulet_watermark_seconds{query="counts"} 1.7000000095E9
            # HELP rivulet_watermark_lag_seconds How far the watermark is behind the last commit's wall time
            # TYPE rivulet_watermark_lag_seconds gauge
            rivulet_watermark_lag_seconds{query="counts"} 0.5
            # HELP rivulet_state_rows State rows a stateful operator holds, over its partitions
            # TYPE rivulet_state_rows gauge
            rivulet_state_rows{query="counts",operator="window(tumbling(sizeMs=1000, offsetMs=0)).aggregate"} 12
            # HELP rivulet_state_memory_bytes Estimated bytes a stateful operator's state holds, over its partitions
            # TYPE rivulet_state_memory_bytes gauge
            rivulet_state_memory_bytes{query="counts",operator="window(tumbling(sizeMs=1000, offsetMs=0)).aggregate"} 2048
            # HELP rivulet_rows_dropped_by_watermark Late input rows a stateful operator dropped in the last progress interval
            # TYPE rivulet_rows_dropped_by_watermark gauge
            rivulet_rows_dropped_by_watermark{query="counts",operator="window(tumbling(sizeMs=1000, offsetMs=0)).aggregate"} 4
            # HELP rivulet_epoch_commit_seconds How long the last epoch commit to the sinks took
            # TYPE rivulet_epoch_commit_seconds gauge
            rivulet_epoch_commit_seconds{query="counts"} 0.0015
            # HELP rivulet_checkpoint_seconds How long writing the last checkpoint took
            # TYPE rivulet_checkpoint_seconds gauge
            rivulet_checkpoint_seconds{query="counts"} 0.012
            # HELP rivulet_checkpoint_written_bytes Bytes the last checkpoint wrote (blocks reused from earlier checkpoints not counted)
            # TYPE rivulet_checkpoint_written_bytes gauge
            rivulet_checkpoint_written_bytes{query="counts"} 4096
            # HELP rivulet_ring_fill_ratio Fill of the fullest ring into a keyed stage (0..1): back-pressure when near 1
            # TYPE rivulet_ring_fill_ratio gauge
            rivulet_ring_fill_ratio{query="counts",stage="*(2) window"} 0.25
            """);
    }

    @Test
    void shouldLeaveOutWhatAQueryHasNotMeasured() {
        QueryFigures beforeFirstCommit = new QueryFigures("starting", ID.toString(), true, null, -1, -1, -1,
            List.of(), new double[0], new double[0]);
        QueryFigures noWatermarkNoRows = new QueryFigures("idle", ID.toString(), false,
            progress("idle", null, new QueryProgress.Latency(0, 0, 0, 0, 0)), 2_000, -1, -1, List.of(), new double[0], new double[0]);

        String text = PrometheusText.write(List.of(beforeFirstCommit, noWatermarkNoRows));

        assertThat(text).contains("rivulet_query_active{query=\"starting\"} 1\n", "rivulet_query_active{query=\"idle\"} 0\n",
            "rivulet_latency_rows{query=\"idle\"} 0\n", "rivulet_epoch_commit_seconds{query=\"idle\"} 2.0E-6\n");
        assertThat(text).doesNotContain("rivulet_batch_id{query=\"starting\"}", "rivulet_latency_seconds{",
            "rivulet_watermark_seconds{", "rivulet_watermark_lag_seconds{", "rivulet_checkpoint_seconds{",
            "rivulet_checkpoint_written_bytes{", "rivulet_ring_fill_ratio{");
        // Every family still has its HELP and TYPE, so a scraper sees the same families always.
        assertThat(text).contains("# TYPE rivulet_watermark_lag_seconds gauge\n", "# TYPE rivulet_checkpoint_seconds gauge\n");
    }

    @Test
    void shouldEscapeBackslashQuoteAndNewlineInLabelValues() {
        QueryFigures odd = new QueryFigures("a\\b\"c\nd", ID.toString(), true, null, -1, -1, -1, List.of(),
            new double[0], new double[0]);

        assertThat(PrometheusText.write(List.of(odd))).contains("rivulet_query_active{query=\"a\\\\b\\\"c\\nd\"} 1\n");
    }

    @Test
    void shouldWriteNonFiniteValuesAsTheFormatSpellsThem() {
        assertThat(PrometheusText.number(Double.NaN)).isEqualTo("NaN");
        assertThat(PrometheusText.number(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
        assertThat(PrometheusText.number(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
        assertThat(PrometheusText.number(0.1)).isEqualTo("0.1");
    }
}
