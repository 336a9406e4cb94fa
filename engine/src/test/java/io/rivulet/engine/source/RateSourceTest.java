package io.rivulet.engine.source;

import io.rivulet.engine.NoLeakedThreads;
import io.rivulet.engine.Rivulet;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.sink.CollectingSink;
import io.rivulet.engine.sink.Sinks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(NoLeakedThreads.class)
class RateSourceTest {
    private static final long SECOND_NS = 1_000_000_000L;

    /**
     * Spark's schedule, computed independently of the code under test: the speed grows by
     * {@code rowsPerSecond / (rampUp + 1)} (integer division, as Spark's {@code Long}s do) each
     * second of the ramp, then stays at {@code rowsPerSecond}; the rows due after {@code seconds}
     * are the sum of the speeds of seconds 1..seconds.
     */
    private static long sparkRowsAfter(long seconds, long rowsPerSecond, long rampUpSeconds) {
        long speedDelta = rowsPerSecond / (rampUpSeconds + 1);
        long total = 0;
        for (long s = 1; s <= seconds; s++) {
            total += s <= rampUpSeconds ? speedDelta * s : rowsPerSecond;
        }
        return total;
    }

    private static RateSource rate(long rowsPerSecond, long rampUpSeconds) {
        return Sources.rate().rowsPerSecond(rowsPerSecond).rampUpTime(Duration.ofSeconds(rampUpSeconds));
    }

    @Test
    void shouldFollowSparkRampUpTableForTenRowsPerSecondOverFourSeconds() {
        long[] values = LongStream.rangeClosed(0, 6).map(s -> RateSource.valueAtSecond(s, 10, 4)).toArray();

        assertThat(values).containsExactly(0, 2, 6, 12, 20, 30, 40);
    }

    @Test
    void shouldTruncateSpeedDeltaToWholeRowsLikeSparkWhenRateIsNotDivisibleByRampUp() {
        // 10 / (2 + 1) = 3 rows per second per second in Spark's Long arithmetic, not 3.33
        long[] values = LongStream.rangeClosed(0, 4).map(s -> RateSource.valueAtSecond(s, 10, 2)).toArray();

        assertThat(values).containsExactly(0, 3, 9, 19, 29);
    }

    @ParameterizedTest(name = "rowsPerSecond={0}, rampUp={1}s")
    @CsvSource({"1,0", "10,0", "10,4", "10,2", "7,3", "3,5", "1000,9", "999999,7", "5,1"})
    void shouldMatchSparkValueAtSecondForEverySecond(long rowsPerSecond, long rampUpSeconds) {
        for (long s = 0; s <= 3 * rampUpSeconds + 5; s++) {
            assertThat(RateSource.valueAtSecond(s, rowsPerSecond, rampUpSeconds))
                .as("valueAtSecond(%d)", s)
                .isEqualTo(sparkRowsAfter(s, rowsPerSecond, rampUpSeconds));
        }
    }

    @ParameterizedTest(name = "rowsPerSecond={0}, rampUp={1}s")
    @CsvSource({"1,0", "3,0", "7,0", "10,0", "10,4", "10,2", "7,3", "3,5", "1000,3", "999,2", "5,1"})
    void shouldMakeRowDueExactlyAtItsDueTime(long rowsPerSecond, long rampUpSeconds) {
        RateSource source = rate(rowsPerSecond, rampUpSeconds);
        long rows = sparkRowsAfter(rampUpSeconds + 3, rowsPerSecond, rampUpSeconds);
        long previous = -1;
        for (long k = 0; k < rows; k++) {
            long dueNs = source.dueNs(k);
            assertThat(source.rowsDue(dueNs)).as("rows due at dueNs(%d)=%d", k, dueNs).isGreaterThan(k);
            assertThat(dueNs).as("dueNs(%d)", k).isPositive();
            assertThat(source.rowsDue(dueNs - 1)).as("rows due just before dueNs(%d)=%d", k, dueNs).isLessThanOrEqualTo(k);
            assertThat(dueNs).as("dueNs(%d) after dueNs(%d)", k, k - 1).isGreaterThanOrEqualTo(previous);
            previous = dueNs;
        }
    }

    @ParameterizedTest(name = "rowsPerSecond={0}, rampUp={1}s")
    @CsvSource({"10,0", "10,4", "7,3", "3,5", "1000,9"})
    void shouldHaveSparkTotalDueAtEveryWholeSecond(long rowsPerSecond, long rampUpSeconds) {
        RateSource source = rate(rowsPerSecond, rampUpSeconds);
        for (long s = 0; s <= 2 * rampUpSeconds + 3; s++) {
            assertThat(source.rowsDue(s * SECOND_NS)).as("rows due at %d s", s)
                .isEqualTo(sparkRowsAfter(s, rowsPerSecond, rampUpSeconds));
        }
    }

    @Test
    void shouldStayExactForRowsHoursPastTheRamp() {
        RateSource source = rate(1_000_000, 2);
        long far = 20_000_000_000L; // about 5.5 hours at a million rows per second
        for (long k = far; k < far + 5_000; k++) {
            long dueNs = source.dueNs(k);
            assertThat(source.rowsDue(dueNs)).as("rows due at dueNs(%d)", k).isGreaterThan(k);
            assertThat(source.rowsDue(dueNs - 1)).as("rows due before dueNs(%d)", k).isLessThanOrEqualTo(k);
        }
    }

    @Test
    void shouldEmitRowsOnlyOnceTheyAreDueWithTheirScheduledTimestamps() throws Exception {
        ManualSourceContext context = ManualSourceContext.single();
        long startMs = context.epochMillis();
        SourceReader<RateRow> reader = Sources.rate().rowsPerSecond(10).open(context);
        RecordingOutput<RateRow> out = new RecordingOutput<>();

        assertThat(out.drain(reader, 256)).isZero();
        context.advance(Duration.ofMillis(99));
        assertThat(out.drain(reader, 256)).isZero();
        context.advance(Duration.ofMillis(1));
        assertThat(out.drain(reader, 256)).isEqualTo(1);
        context.advance(Duration.ofMillis(950));
        assertThat(out.drain(reader, 256)).isEqualTo(9);
        context.advance(Duration.ofMillis(50));
        assertThat(out.drain(reader, 256)).isEqualTo(1);

        assertThat(out.records).extracting(RateRow::value).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(out.records).extracting(RateRow::timestampMs)
            .containsExactly(startMs + 100, startMs + 200, startMs + 300, startMs + 400, startMs + 500, startMs + 600,
                startMs + 700, startMs + 800, startMs + 900, startMs + 1000, startMs + 1100);
    }

    @Test
    void shouldEmitAtMostTheLimitPerPollAndCatchUpAfterwards() throws Exception {
        ManualSourceContext context = ManualSourceContext.single();
        SourceReader<RateRow> reader = Sources.rate().rowsPerSecond(1_000).open(context);
        RecordingOutput<RateRow> out = new RecordingOutput<>();
        context.advance(Duration.ofMillis(100));

        List<Integer> polled = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            polled.add(reader.poll(out, 30));
        }

        assertThat(polled).containsExactly(30, 30, 30, 10, 0);
        assertThat(out.records).extracting(RateRow::value).containsExactlyElementsOf(LongStream.range(0, 100).boxed().toList());
    }

    @ParameterizedTest(name = "{0} partitions")
    @ValueSource(ints = {1, 2, 3, 8})
    void shouldGiveEachValueToExactlyOnePartitionInStride(int partitions) throws Exception {
        RateSource source = rate(1_000, 2).numPartitions(partitions);
        List<ManualSourceContext> contexts = new ArrayList<>();
        List<SourceReader<RateRow>> readers = new ArrayList<>();
        List<RecordingOutput<RateRow>> outputs = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            ManualSourceContext context = new ManualSourceContext(p, partitions, 5_000_000_000L, 1_700_000_000_000L);
            contexts.add(context);
            readers.add(source.open(context));
            outputs.add(new RecordingOutput<>());
        }

        long[] stepsMs = {1, 13, 250, 999, 7, 1_000, 333, 1_700};
        for (long stepMs : stepsMs) {
            for (int p = 0; p < partitions; p++) {
                contexts.get(p).advance(Duration.ofMillis(stepMs));
                outputs.get(p).drain(readers.get(p), 7);
            }
        }

        long due = source.rowsDue(LongStream.of(stepsMs).sum() * 1_000_000L);
        List<Long> all = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            List<RateRow> rows = outputs.get(p).records;
            assertThat(rows).extracting(RateRow::value).as("partition %d", p)
                .containsExactlyElementsOf(LongStream.iterate(p, v -> v < due, v -> v + partitions).boxed().toList());
            assertThat(rows).extracting(RateRow::timestampMs).as("partition %d timestamps", p).isSorted();
            rows.forEach(row -> all.add(row.value()));
        }
        assertThat(all).hasSize((int) due).doesNotHaveDuplicates();
        assertThat(due).isGreaterThan(3_000);
    }

    @Test
    void shouldTimestampRowsInValueOrderAcrossPartitions() throws Exception {
        RateSource source = rate(997, 3).numPartitions(3);
        List<RateRow> all = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            ManualSourceContext context = new ManualSourceContext(p, 3, 0, 1_700_000_000_000L);
            SourceReader<RateRow> reader = source.open(context);
            RecordingOutput<RateRow> out = new RecordingOutput<>();
            context.advance(Duration.ofMillis(6_500));
            out.drain(reader, 256);
            all.addAll(out.records);
        }
        all.sort((a, b) -> Long.compare(a.value(), b.value()));

        assertThat(all).extracting(RateRow::value).containsExactlyElementsOf(
            LongStream.range(0, source.rowsDue(6_500_000_000L)).boxed().toList());
        assertThat(all).extracting(RateRow::timestampMs).isSorted();
    }

    @Test
    void shouldNameUnknownOptionAndListAllowedOptions() {
        assertThatThrownBy(() -> Sources.rate().option("rowsPerSec", "10"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("'rowsPerSec'")
            .hasMessageContaining("rowsPerSecond, numPartitions, rampUpTime");
    }

    @Test
    void shouldAcceptOptionNamesInAnyCase() {
        RateSource source = Sources.rate()
            .option("ROWSPERSECOND", "250")
            .option("numpartitions", "4")
            .option("RampUpTime", "3s");

        assertThat(source.description()).isEqualTo("rate[rowsPerSecond=250, numPartitions=4, rampUpTime=3s]");
        assertThat(source.numPartitions()).isEqualTo(4);
    }

    @Test
    void shouldReadBareRampUpNumberAsSeconds() {
        assertThat(Sources.rate().option("rampUpTime", "2").description()).contains("rampUpTime=2s");
        assertThat(Sources.rate().option("rampUpTime", "2 minutes").description()).contains("rampUpTime=120s");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "rowsPerSecond|-5|must be >= 1",
        "rowsPerSecond|0|must be >= 1",
        "rowsPerSecond|ten|expected a whole number",
        "rowsPerSecond|1.5|expected a whole number",
        "numPartitions|0|must be >= 1",
        "numPartitions|99999999999|expected a number up to",
        "rampUpTime|-1s|expected a duration",
        "rampUpTime|1.5s|expected a duration",
        "rampUpTime|1500ms|whole seconds",
        "rampUpTime|5 parsecs|unknown time unit",
    })
    void shouldRejectBadOptionValueNamingTheOption(String name, String value, String rule) {
        assertThatThrownBy(() -> Sources.rate().option(name, value))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("option '" + name + "' of source 'rate'")
            .hasMessageContaining(rule)
            .hasMessageContaining(value.trim());
    }

    @Test
    void shouldRejectBadSettingsThroughTheTypedSetters() {
        assertThatThrownBy(() -> Sources.rate().rowsPerSecond(0)).hasMessageContaining("rowsPerSecond must be >= 1, got 0");
        assertThatThrownBy(() -> Sources.rate().numPartitions(-2)).hasMessageContaining("numPartitions must be >= 1, got -2");
        assertThatThrownBy(() -> Sources.rate().rampUpTime(Duration.ofSeconds(-1)))
            .hasMessageContaining("rampUpTime must be zero or more whole seconds");
        assertThatThrownBy(() -> Sources.rate().rampUpTime(Duration.ofMillis(2_500)))
            .hasMessageContaining("rampUpTime must be zero or more whole seconds, got PT2.5S");
    }

    @Test
    void shouldDeliverConsecutiveValuesWithOrderedTimestampsInARealQuery() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            CollectingSink<RateRow> sink = Sinks.collecting();
            StreamingQuery query = rivulet.readStream(Sources.rate().rowsPerSecond(2_000)).writeStream(sink).start();

            sink.awaitReceived(1_000, Duration.ofSeconds(5));
            query.stop();

            List<RateRow> rows = sink.received();
            assertThat(query.exception()).isEmpty();
            assertThat(rows).extracting(RateRow::value)
                .containsExactlyElementsOf(LongStream.range(0, rows.size()).boxed().toList());
            assertThat(rows).extracting(RateRow::timestampMs).isSorted();
        }
    }

    @Test
    void shouldDeliverEachPartitionsValuesInStrideInARealQuery() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            CollectingSink<RateRow> sink = Sinks.collecting();
            StreamingQuery query = rivulet.readStream(Sources.rate().rowsPerSecond(2_000).numPartitions(2))
                .writeStream(sink).start();

            sink.awaitReceived(1_000, Duration.ofSeconds(5));
            query.stop();

            List<RateRow> rows = sink.received();
            assertThat(rows).extracting(RateRow::value).doesNotHaveDuplicates();
            for (int p = 0; p < 2; p++) {
                int partition = p;
                List<Long> values = rows.stream().map(RateRow::value).filter(v -> v % 2 == partition).toList();
                assertThat(values).as("partition %d", p)
                    .containsExactlyElementsOf(LongStream.iterate(p, v -> v + 2).limit(values.size()).boxed().toList());
            }
        }
    }

    @Test
    void shouldGiveEachRowItsScheduledTimeAsSourceTimeEvenWhenReadLate() throws Exception {
        ManualSourceContext context = ManualSourceContext.single();
        long startNs = context.nanoTime();
        SourceReader<RateRow> reader = Sources.rate().rowsPerSecond(10).open(context);
        RecordingOutput<RateRow> out = new RecordingOutput<>();
        context.advance(Duration.ofMillis(550));
        out.drain(reader, 100);
        // Rows 0..4 were due at 100, 200, ... 500 ms: read at 550 ms, they still count from their schedule.
        assertThat(out.sourceTimes).containsExactly(startNs + 100_000_000L, startNs + 200_000_000L,
            startNs + 300_000_000L, startNs + 400_000_000L, startNs + 500_000_000L);
    }

    @Test
    void shouldWarnOnceWhenAReaderFallsMoreThanTenPercentBehindItsRate() throws Exception {
        ManualSourceContext context = ManualSourceContext.single();
        RateSource.Reader reader = (RateSource.Reader) Sources.rate().rowsPerSecond(1_000).open(context);
        RecordingOutput<RateRow> out = new RecordingOutput<>();
        for (int i = 0; i < 10; i++) {
            context.advance(Duration.ofMillis(100));
            out.drain(reader, 1_000);
        }
        assertThat(reader.warnedBehind()).as("on schedule").isFalse();
        for (int i = 0; i < 10; i++) {
            context.advance(Duration.ofMillis(100));
            reader.poll(out, 85);
        }
        assertThat(reader.warnedBehind()).as("85 of 100 rows due per 100 ms").isTrue();
        assertThat(Sources.rate().rowsPerSecond(1_000).targetRowsPerSecond()).isEqualTo(1_000);
    }

    @Test
    void shouldNotWarnAReaderThatKeepsNinetyPercentOfItsRate() throws Exception {
        ManualSourceContext context = ManualSourceContext.single();
        RateSource.Reader reader = (RateSource.Reader) Sources.rate().rowsPerSecond(1_000).open(context);
        RecordingOutput<RateRow> out = new RecordingOutput<>();
        for (int i = 0; i < 30; i++) {
            context.advance(Duration.ofMillis(100));
            reader.poll(out, 91);
        }
        assertThat(reader.warnedBehind()).isFalse();
    }
}
