package io.rivulet.engine;

import io.rivulet.engine.sink.MemorySink;
import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.source.MemoryStream;
import io.rivulet.engine.source.Sources;
import io.rivulet.operators.LongKeyValue;
import io.rivulet.operators.OutputMode;
import io.rivulet.operators.keyed.EmitPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code Stream.keyByLong} and its primitive running aggregations, through the public API. */
@ExtendWith(NoLeakedThreads.class)
class LongKeyedStreamTest {
    /** A trade: account id, quantity. */
    record Trade(long account, long qty) {
    }

    @TempDir
    Path checkpoints;

    private static List<Trade> trades(int from, int count, int accounts) {
        List<Trade> trades = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            long account = (i * 7919L) % accounts - accounts / 2; // negative ids too
            trades.add(new Trade(account, i % 13 - 3));
        }
        return trades;
    }

    /** The last value emitted per key, failing if a key's updates are not emitted in the order they happened. */
    private static Map<Long, Long> lastByKey(List<LongKeyValue> rows) {
        Map<Long, Long> last = new TreeMap<>();
        for (LongKeyValue row : rows) {
            last.put(row.key(), row.value());
        }
        return last;
    }

    private static Map<Long, Long> sums(List<Trade> trades) {
        Map<Long, Long> sums = new TreeMap<>();
        for (Trade t : trades) {
            sums.merge(t.account(), t.qty(), Long::sum);
        }
        return sums;
    }

    private static Map<Long, Long> counts(List<Trade> trades) {
        Map<Long, Long> counts = new TreeMap<>();
        for (Trade t : trades) {
            counts.merge(t.account(), 1L, Long::sum);
        }
        return counts;
    }

    @ParameterizedTest(name = "{0} partition(s)")
    @ValueSource(ints = {1, 3})
    void shouldSumPerLongKeyAsADirectComputation(int partitions) throws Exception {
        MemoryStream<Trade> input = Sources.memoryStream("trades");
        MemorySink<LongKeyValue> sink = Sinks.memory("sums");
        List<Trade> trades = trades(0, 5_000, 700);
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(input)
                .keyByLong("account", Trade::account, partitions)
                .sum(Trade::qty, EmitPolicy.ON_EPOCH)
                .writeStream(sink)
                .outputMode("update")
                .trigger(Trigger.continuous(Duration.ofMillis(5)))
                .start();
            input.addData(trades);
            query.processAllAvailable();
            query.stop();
        }
        assertThat(lastByKey(sink.rows())).isEqualTo(sums(trades));
    }

    @Test
    void shouldEmitEveryRunningCountAndFoldAfterEachRecord() throws Exception {
        MemoryStream<Trade> input = Sources.memoryStream("trades");
        MemoryStream<Trade> input2 = Sources.memoryStream("trades2");
        MemorySink<LongKeyValue> counted = Sinks.memory("counts");
        MemorySink<LongKeyValue> maxima = Sinks.memory("maxima");
        List<Trade> trades = trades(0, 2_000, 50);
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery counts = rivulet.readStream(input).keyByLong(Trade::account).count()
                .writeStream(counted).outputMode("update").trigger(Trigger.continuous(Duration.ofMillis(5))).start();
            StreamingQuery max = rivulet.readStream(input2).keyByLong(Trade::account, 2)
                .aggregateLong(Long.MIN_VALUE, (state, t) -> Math.max(state, t.qty()))
                .writeStream(maxima).outputMode("update").trigger(Trigger.continuous(Duration.ofMillis(5))).start();
            input.addData(trades);
            input2.addData(trades);
            counts.processAllAvailable();
            max.processAllAvailable();
            counts.stop();
            max.stop();
        }
        assertThat(counted.rows()).as("one update per record").hasSize(trades.size());
        assertThat(lastByKey(counted.rows())).isEqualTo(counts(trades));
        Map<Long, Long> expectedMax = new TreeMap<>();
        for (Trade t : trades) {
            expectedMax.merge(t.account(), t.qty(), Math::max);
        }
        assertThat(lastByKey(maxima.rows())).isEqualTo(expectedMax);
    }

    @Test
    void shouldSumPerLongKeyInMicroBatchMode() throws Exception {
        MemoryStream<Trade> input = Sources.memoryStream("trades");
        MemorySink<LongKeyValue> sink = Sinks.memory("sums");
        List<Trade> trades = trades(0, 3_000, 300);
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(input).keyByLong(Trade::account, 2).sum(Trade::qty)
                .writeStream(sink).outputMode("update").trigger(Trigger.processingTime(Duration.ofMillis(5))).start();
            input.addData(trades);
            query.processAllAvailable();
            query.stop();
        }
        assertThat(lastByKey(sink.rows())).isEqualTo(sums(trades));
    }

    private static StreamingQuery runningSums(Rivulet rivulet, MemoryStream<Trade> input, MemorySink<LongKeyValue> sink,
                                              Path checkpoints, int partitions) {
        return rivulet.readStream(input)
            .keyByLong("account", Trade::account, partitions)
            .sum(Trade::qty, EmitPolicy.ON_EPOCH)
            .writeStream(sink)
            .outputMode("update")
            .queryName("long-sums")
            .trigger(Trigger.continuous(Duration.ofMillis(10)))
            .checkpointLocation(checkpoints)
            .start();
    }

    @ParameterizedTest(name = "{0} partition(s) after a stop with 2")
    @ValueSource(ints = {2, 1, 3})
    void shouldResumeRunningSumsFromTheCheckpointInAnyPartitionCount(int partitionsAfter) throws Exception {
        MemoryStream<Trade> input = Sources.memoryStream("trades");
        MemorySink<LongKeyValue> sink = Sinks.memory("sums");
        List<Trade> first = trades(0, 4_000, 2_000);
        List<Trade> second = trades(4_000, 1_000, 2_000);
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = runningSums(rivulet, input, sink, checkpoints, 2);
            input.addData(first);
            query.processAllAvailable();
            // Small epochs after the big one: the checkpoints keep the unchanged key groups.
            for (int round = 0; round < 4; round++) {
                input.addData(new Trade(round * 7, 1), new Trade(round * 7, 1));
                query.processAllAvailable();
            }
            query.stop();
        }
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = runningSums(rivulet, input, sink, checkpoints, partitionsAfter);
            input.addData(second);
            query.processAllAvailable();
            query.stop();
        }
        List<Trade> all = new ArrayList<>(first);
        for (int round = 0; round < 4; round++) {
            all.add(new Trade(round * 7, 1));
            all.add(new Trade(round * 7, 1));
        }
        all.addAll(second);
        assertThat(lastByKey(sink.rows())).isEqualTo(sums(all));
    }

    @Test
    void shouldRefuseARestartThatSwitchesTheStageBetweenBoxedAndLongKeys() throws Exception {
        MemoryStream<Trade> input = Sources.memoryStream("trades");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(input)
                .keyBy("account", Trade::account)
                .count()
                .writeStream(Sinks.memory("boxed"))
                .outputMode("update")
                .checkpointLocation(checkpoints)
                .start();
            input.addData(trades(0, 100, 10));
            query.processAllAvailable();
            query.stop();
        }
        try (Rivulet rivulet = Rivulet.create()) {
            assertThatThrownBy(() -> rivulet.readStream(input)
                .keyByLong("account", Trade::account)
                .count()
                .writeStream(Sinks.memory("long"))
                .outputMode("update")
                .checkpointLocation(checkpoints)
                .start())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("count(account: long)");
        }
    }

    @Test
    void shouldReadARunningLongSumByItsKeyWhileTheQueryRuns() throws Exception {
        MemoryStream<Trade> input = Sources.memoryStream("trades");
        List<Trade> trades = trades(0, 1_000, 40);
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(input)
                .keyByLong("account", Trade::account, 2)
                .sum(Trade::qty)
                .queryableAs("sums")
                .writeStream(Sinks.collecting())
                .outputMode(OutputMode.UPDATE)
                .trigger(Trigger.continuous(Duration.ofMillis(5)))
                .start();
            input.addData(trades);
            query.processAllAvailable();
            QueryableState<Long, Long> sums = query.<Long, Long>state("sums").withTimeout(Duration.ofSeconds(30));
            for (Map.Entry<Long, Long> e : sums(trades).entrySet()) {
                assertThat(sums.get(e.getKey())).as("sum of %d", e.getKey()).contains(e.getValue());
            }
            assertThat(sums.get(1_000_000L)).isEqualTo(Optional.empty());
            assertThat(sums.scan()).hasSize(sums(trades).size());
            query.stop();
        }
    }

    @Test
    void shouldRejectBadKeyByLongArgumentsNamingTheRule() {
        try (Rivulet rivulet = Rivulet.create()) {
            Stream<Trade> stream = rivulet.readStream(Sources.<Trade>memoryStream("trades"));
            assertThatThrownBy(() -> stream.keyByLong(Trade::account, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("keyByLong partitions must be >= 1, got 0");
            assertThatThrownBy(() -> stream.keyByLong("account", Trade::account, -2))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("keyByLong partitions must be >= 1, got -2");
            assertThatThrownBy(() -> stream.keyByLong(" ", Trade::account))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key name must not be blank");
            assertThatThrownBy(() -> stream.keyByLong(null))
                .isInstanceOf(NullPointerException.class).hasMessage("keyFunction");
            LongKeyedStream<Trade> keyed = stream.keyByLong(Trade::account);
            assertThatThrownBy(() -> keyed.sum(null)).isInstanceOf(NullPointerException.class).hasMessage("value");
            assertThatThrownBy(() -> keyed.aggregateLong(0, null)).isInstanceOf(NullPointerException.class).hasMessage("fn");
            assertThatThrownBy(() -> keyed.count(null)).isInstanceOf(NullPointerException.class).hasMessage("emitPolicy");
        }
    }

    @Test
    void shouldSkipARecordWhoseFoldThrowsUnderTheSkipPolicyAndGoOn() throws Exception {
        MemoryStream<Trade> input = Sources.memoryStream("trades");
        MemorySink<LongKeyValue> sink = Sinks.memory("sums");
        List<Trade> trades = IntStream.range(0, 100).mapToObj(i -> new Trade(i % 5, i)).toList();
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(input)
                .keyByLong(Trade::account, 2)
                .aggregateLong(0, (state, t) -> {
                    if (t.qty() == 42) {
                        throw new IllegalArgumentException("bad trade");
                    }
                    return state + t.qty();
                }, EmitPolicy.ON_EPOCH)
                .writeStream(sink)
                .outputMode("update")
                .errorPolicy(ErrorPolicy.skip())
                .trigger(Trigger.continuous(Duration.ofMillis(5)))
                .start();
            input.addData(trades);
            query.processAllAvailable();
            query.stop();
        }
        Map<Long, Long> expected = sums(trades.stream().filter(t -> t.qty() != 42).toList());
        assertThat(lastByKey(sink.rows())).isEqualTo(expected);
    }
}
