package io.rivulet.metrics.micrometer;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rivulet.engine.QueryProgress;
import io.rivulet.engine.Rivulet;
import io.rivulet.engine.Stream;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.StreamingQueryListener;
import io.rivulet.engine.Trigger;
import io.rivulet.engine.Windows;
import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.source.MemoryStream;
import io.rivulet.engine.source.Sources;
import io.rivulet.operators.window.WindowedValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RivuletMetricsTest {
    /** 2023-11-14T22:13:20.000Z. */
    private static final long T0 = 1_700_000_000_000L;
    /** Wall time of every commit: a minute after the first event, so the watermark lag is positive. */
    private static final long WALL_MS = T0 + 60_000;

    /** An event: key, event time. */
    record Event(String key, long tsMs) {
    }

    /** What the meters said while the listener after the binder heard one report. */
    record Seen(QueryProgress progress, Map<String, Double> values) {
    }

    private static Rivulet engine() {
        AtomicLong nanos = new AtomicLong();
        // Monotonic time moves 1 ms per reading (rates are finite and positive); wall time stands still.
        return Rivulet.builder().clocks(() -> nanos.addAndGet(1_000_000L), () -> WALL_MS).build();
    }

    private static Stream<WindowedValue<String, Long>> windowedCounts(Rivulet rivulet, MemoryStream<Event> input) {
        return rivulet.readStream(input)
            .withWatermark(Event::tsMs, Duration.ofMillis(500))
            .keyBy(Event::key, 2)
            .window(Windows.tumbling(Duration.ofSeconds(1)), Event::tsMs)
            .count();
    }

    private static List<Event> events(long fromMs, int count) {
        return LongStream.range(0, count).mapToObj(i -> new Event("k" + (i % 3), fromMs + i)).toList();
    }

    private static Search find(MeterRegistry registry, String name, String query) {
        return registry.find(name).tag(MeterNames.TAG_QUERY, query);
    }

    /** Reads every meter of the query now: gauges as they are, time gauges in the unit the progress uses. */
    private static Map<String, Double> read(MeterRegistry registry, String query, String operator) {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("inputRate", find(registry, MeterNames.INPUT_RATE, query).gauge().value());
        values.put("processedRate", find(registry, MeterNames.PROCESSED_RATE, query).gauge().value());
        values.put("inputRows", find(registry, MeterNames.INPUT_ROWS, query).functionCounter().count());
        values.put("outputRows", find(registry, MeterNames.OUTPUT_ROWS, query).functionCounter().count());
        values.put("batchId", find(registry, MeterNames.BATCH_ID, query).gauge().value());
        for (String quantile : List.of("0.5", "0.99", "0.999", "1")) {
            values.put("latencyUs" + quantile, find(registry, MeterNames.LATENCY, query)
                .tag(MeterNames.TAG_QUANTILE, quantile).timeGauge().value(TimeUnit.MICROSECONDS));
        }
        values.put("latencyRows", find(registry, MeterNames.LATENCY_ROWS, query).gauge().value());
        values.put("watermarkMs", find(registry, MeterNames.WATERMARK, query).timeGauge().value(TimeUnit.MILLISECONDS));
        values.put("lagMs", find(registry, MeterNames.WATERMARK_LAG, query).timeGauge().value(TimeUnit.MILLISECONDS));
        values.put("stateRows", find(registry, MeterNames.STATE_ROWS, query).tag(MeterNames.TAG_OPERATOR, operator).gauge().value());
        values.put("stateBytes", find(registry, MeterNames.STATE_MEMORY, query).tag(MeterNames.TAG_OPERATOR, operator).gauge().value());
        values.put("droppedRows", find(registry, MeterNames.ROWS_DROPPED_BY_WATERMARK, query)
            .tag(MeterNames.TAG_OPERATOR, operator).functionCounter().count());
        values.put("commitNs", find(registry, MeterNames.EPOCH_COMMIT, query).timeGauge().value(TimeUnit.NANOSECONDS));
        values.put("checkpointNs", find(registry, MeterNames.CHECKPOINT, query).timeGauge().value(TimeUnit.NANOSECONDS));
        values.put("checkpointBytes", find(registry, MeterNames.CHECKPOINT_WRITTEN, query).gauge().value());
        return values;
    }

    private static List<Meter> rivuletMeters(MeterRegistry registry) {
        List<Meter> meters = new ArrayList<>();
        for (Meter meter : registry.getMeters()) {
            if (meter.getId().getName().startsWith("rivulet.")) {
                meters.add(meter);
            }
        }
        return meters;
    }

    @Test
    void shouldShowEachProgressReportInTheMetersOfAStatefulCheckpointedQuery(@TempDir Path checkpoints) throws Exception {
        // With a checkpoint location the query restarts on failure (RestartingQuery): its handle must answer
        // id() and name() in onQueryStarted.
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        List<Seen> seen = new CopyOnWriteArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        try (Rivulet rivulet = engine(); RivuletMetrics metrics = RivuletMetrics.bind(rivulet, registry)) {
            // Listeners run in the order added, on one thread: this one sees the meters the binder just updated.
            List<UUID> started = new CopyOnWriteArrayList<>();
            rivulet.streams().addListener(new StreamingQueryListener() {
                @Override
                public void onQueryStarted(StreamingQuery query) {
                    try {
                        started.add(query.id());
                    } catch (RuntimeException e) {
                        failures.add(e);
                    }
                }

                @Override
                public void onQueryProgress(StreamingQuery query, QueryProgress progress) {
                    try {
                        String operator = progress.stateOperators().get(0).operator();
                        seen.add(new Seen(progress, read(registry, query.name(), operator)));
                    } catch (RuntimeException | AssertionError e) {
                        failures.add(e);
                    }
                }
            });
            MemoryStream<Event> input = Sources.memoryStream("events");
            StreamingQuery query = windowedCounts(rivulet, input).writeStream(Sinks.collecting()).queryName("counts")
                .trigger(Trigger.processingTime(Duration.ofHours(1))).checkpointLocation(checkpoints).start();
            input.addData(events(T0, 10_000));
            query.processAllAvailable();
            // Behind the watermark (T0 + 9.499 s): dropped as late by the window operator.
            input.addData(events(T0, 7));
            query.processAllAvailable();

            assertThat(failures).isEmpty();
            assertThat(started).containsExactly(query.id());
            assertThat(seen).isNotEmpty();
            long dropped = 0;
            for (Seen s : seen) {
                QueryProgress p = s.progress();
                Map<String, Double> v = s.values();
                QueryProgress.StateOperatorProgress state = p.stateOperators().get(0);
                dropped += state.numRowsDroppedByWatermark();
                assertThat(v.get("inputRate")).isEqualTo(p.inputRowsPerSecond());
                assertThat(v.get("processedRate")).isEqualTo(p.processedRowsPerSecond());
                assertThat(v.get("inputRows")).isEqualTo(p.totalInputRows());
                assertThat(v.get("outputRows")).isEqualTo(p.totalOutputRows());
                assertThat(v.get("batchId")).isEqualTo(p.batchId());
                assertThat(v.get("latencyUs0.5")).isCloseTo(p.latency().p50Us(), within(1e-6));
                assertThat(v.get("latencyUs0.99")).isCloseTo(p.latency().p99Us(), within(1e-6));
                assertThat(v.get("latencyUs0.999")).isCloseTo(p.latency().p999Us(), within(1e-6));
                assertThat(v.get("latencyUs1")).isCloseTo(p.latency().maxUs(), within(1e-6));
                assertThat(v.get("latencyRows")).isEqualTo(p.latency().count());
                assertThat(v.get("watermarkMs")).isEqualTo(p.eventTimeWatermark().toEpochMilli());
                assertThat(v.get("lagMs")).isEqualTo(WALL_MS - p.eventTimeWatermark().toEpochMilli());
                assertThat(v.get("stateRows")).isEqualTo(state.numRowsTotal());
                assertThat(v.get("stateBytes")).isEqualTo(state.memoryUsedBytes());
                assertThat(v.get("droppedRows")).isEqualTo(dropped);
                assertThat(v.get("commitNs")).isCloseTo(p.epochCommit().commitNs(), within(1e-3));
                assertThat(v.get("checkpointNs")).isCloseTo(p.epochCommit().checkpointNs(), within(1e-3));
                assertThat(v.get("checkpointBytes")).isEqualTo(p.epochCommit().checkpointBytes());
            }
            QueryProgress last = seen.get(seen.size() - 1).progress();
            assertThat(last.totalInputRows()).isEqualTo(10_007);
            assertThat(dropped).isPositive();
            assertThat(last.epochCommit().checkpointMeasured()).isTrue();
            assertThat(last.epochCommit().checkpointBytes()).isPositive();
            assertThat(seen.get(seen.size() - 1).values().get("watermarkMs")).isEqualTo(T0 + 9_499);
            Meter inputRows = find(registry, MeterNames.INPUT_ROWS, "counts").functionCounter();
            assertThat(inputRows.getId().getTag(MeterNames.TAG_RUN_ID)).isEqualTo(query.runId().toString());

            query.stop();
            assertThat(rivuletMeters(registry)).isEmpty();
            assertThat(metrics.boundQueries()).isEmpty();
        }
    }

    @Test
    void shouldRegisterAQueryAtStartAndRemoveItsMetersWhenItStops() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Rivulet rivulet = engine(); RivuletMetrics metrics = RivuletMetrics.bind(rivulet, registry)) {
            MemoryStream<Long> input = Sources.memoryStream("numbers");
            StreamingQuery query = rivulet.readStream(input).map(x -> x * 2).writeStream(Sinks.collecting())
                .queryName("doubles").start();
            // Registered at start, before any report: gauges NaN, counters 0; no state, watermark NaN.
            assertThat(find(registry, MeterNames.INPUT_RATE, "doubles").gauge()).isNotNull();
            assertThat(metrics.boundQueries()).containsExactly("doubles");
            input.addData(1L, 2L, 3L);
            query.processAllAvailable();
            QueryProgress last = query.lastProgress();
            assertThat(find(registry, MeterNames.INPUT_ROWS, "doubles").functionCounter().count()).isEqualTo(3);
            assertThat(find(registry, MeterNames.WATERMARK, "doubles").timeGauge().value()).isNaN();
            assertThat(find(registry, MeterNames.STATE_ROWS, "doubles").gauges()).isEmpty();
            assertThat(find(registry, MeterNames.CHECKPOINT, "doubles").timeGauges()).isEmpty();
            assertThat(last.totalInputRows()).isEqualTo(3);

            query.stop();
            assertThat(rivuletMeters(registry)).isEmpty();
        }
    }

    @Test
    void shouldBindQueriesAlreadyRunningAndRemoveEveryMeterOnClose() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Rivulet rivulet = engine()) {
            MemoryStream<Long> input = Sources.memoryStream("numbers");
            StreamingQuery query = rivulet.readStream(input).writeStream(Sinks.collecting()).queryName("early").start();
            input.addData(1L, 2L);
            query.processAllAvailable();

            RivuletMetrics metrics = RivuletMetrics.bind(rivulet, registry);
            assertThat(find(registry, MeterNames.INPUT_ROWS, "early").functionCounter().count()).isEqualTo(2);
            metrics.close();
            assertThat(rivuletMeters(registry)).isEmpty();

            // Closed: a later query gets no meters.
            StreamingQuery later = rivulet.readStream(Sources.<Long>memoryStream("more")).writeStream(Sinks.collecting())
                .queryName("later").start();
            assertThat(rivuletMeters(registry)).isEmpty();
            later.stop();
            query.stop();
        }
    }

    @Test
    void shouldReplaceTheMetersOfARunWhenTheQueryRestartsWithANewRunId() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Rivulet rivulet = engine(); RivuletMetrics metrics = RivuletMetrics.bind(rivulet, registry)) {
            MemoryStream<Long> input = Sources.memoryStream("numbers");
            // Epochs of a day (the clock moves 1 ms per reading): the run's own reports cannot replace the meters
            // of the report handed in below while the test reads them.
            StreamingQuery query = rivulet.readStream(input).writeStream(Sinks.collecting()).queryName("restarting")
                .trigger(Trigger.continuous(Duration.ofDays(1))).start();
            UUID nextRun = UUID.randomUUID();
            QueryProgress restarted = new QueryProgress(query.id(), nextRun, "restarting", Instant.ofEpochMilli(WALL_MS), 7,
                1000, 5, 5.0, 5.0, 5, 0, 5, 5, null, List.of(), 0, new QueryProgress.Latency(5, 1, 2, 3, 4), List.of(),
                "collecting", List.of(), new QueryProgress.EpochCommit(1_000, -1, -1));
            metrics.onQueryProgress(query, restarted);

            List<Meter> inputRows = find(registry, MeterNames.INPUT_ROWS, "restarting").meters().stream().toList();
            assertThat(inputRows).hasSize(1);
            assertThat(inputRows.get(0).getId().getTag(MeterNames.TAG_RUN_ID)).isEqualTo(nextRun.toString());
            assertThat(find(registry, MeterNames.BATCH_ID, "restarting").gauge().value()).isEqualTo(7);
            assertThat(find(registry, MeterNames.EPOCH_COMMIT, "restarting").timeGauge().value(TimeUnit.NANOSECONDS))
                .isCloseTo(1_000, within(1e-6));
            query.stop();
            assertThat(rivuletMeters(registry)).isEmpty();
        }
    }

    @Test
    void shouldShowTheReadmeSnippetExactlyAsCompiledAndCountItsRows() throws Exception {
        String source = Files.readString(Path.of("src/test/java/io/rivulet/metrics/micrometer/ReadmeExample.java"));
        Matcher tagged = Pattern.compile("// tag::micrometer\\[]\\n(.*?)\\n\\s*// end::micrometer\\[]", Pattern.DOTALL)
            .matcher(source);
        assertThat(tagged.find()).isTrue();
        String snippet = tagged.group(1).stripIndent().strip();
        assertThat(Files.readString(Path.of("../README.md"))).contains(snippet);
        PrintStream original = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            ReadmeExample.run();
        } finally {
            System.setOut(original);
        }
        assertThat(printed.toString(StandardCharsets.UTF_8)).isEqualTo("rows in: 6.0" + System.lineSeparator());
    }
}
