package io.rivulet.engine;

import io.rivulet.engine.sink.CollectingSink;
import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.source.MemoryStream;
import io.rivulet.engine.source.Sources;
import io.rivulet.operators.function.Aggregates;
import io.rivulet.operators.topn.RankedValue;
import io.rivulet.operators.window.WindowedValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Top-N end to end: running (update rows by rank) and per window (append), against direct computations. */
@ExtendWith(NoLeakedThreads.class)
class TopNQueryTest {
    private static final long T0 = 1_700_000_000_000L;

    /** A trade: symbol, shares, event time. */
    record Trade(String symbol, long qty, long tsMs) {
    }

    private static List<Trade> trades() {
        SplittableRandom random = new SplittableRandom(5);
        return LongStream.range(0, 20_000)
            .mapToObj(i -> new Trade("s" + random.nextInt(40), 1 + random.nextInt(100), T0 + i)).toList();
    }

    private static List<String> direct(Map<String, Long> totals, int n) {
        return totals.entrySet().stream()
            .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
            .limit(n).map(e -> e.getKey() + "=" + e.getValue()).toList();
    }

    @Test
    void shouldEndWithTheDirectlyComputedRunningTopNWhenChangedRanksAreApplied() throws Exception {
        List<Trade> trades = trades();
        for (Trigger trigger : List.of(Trigger.continuous(Duration.ofMillis(50)), Trigger.availableNow())) {
            CollectingSink<RankedValue<String, Long>> sink = Sinks.collecting();
            try (Rivulet rivulet = Rivulet.create()) {
                rivulet.readStream(Sources.fromIterable(trades))
                    .keyBy(Trade::symbol, 2)
                    .topN(5, Aggregates.sumLong(Trade::qty), Comparator.naturalOrder(), Comparator.naturalOrder())
                    .writeStream(sink).outputMode("update").trigger(trigger).start().awaitTermination();
            }
            Map<Integer, RankedValue<String, Long>> byRank = new TreeMap<>();
            for (RankedValue<String, Long> row : sink.received()) {
                assertThat(row.window()).isNull();
                byRank.put(row.rank(), row);
            }
            Map<String, Long> totals = new HashMap<>();
            trades.forEach(t -> totals.merge(t.symbol(), t.qty(), Long::sum));
            assertThat(byRank.values()).extracting(r -> r.key() + "=" + r.value()).as(trigger.toString())
                .isEqualTo(direct(totals, 5));
        }
    }

    @Test
    void shouldEmitEachWindowsTopNOnceInAppendModeInWindowOrder() throws Exception {
        List<Trade> trades = trades();
        CollectingSink<RankedValue<String, Long>> sink = Sinks.collecting();
        StreamingQuery query;
        try (Rivulet rivulet = Rivulet.create()) {
            MemoryStream<Trade> input = Sources.memoryStream("trades");
            input.addData(trades);
            input.end();
            query = rivulet.readStream(input)
                .withWatermark(Trade::tsMs, Duration.ofMillis(200))
                .keyBy(Trade::symbol, 2)
                .window(Windows.tumbling(Duration.ofSeconds(1)), Trade::tsMs)
                .topN(3, Aggregates.sumLong(Trade::qty), Comparator.naturalOrder(), Comparator.naturalOrder())
                .writeStream(sink).start();
            query.awaitTermination();
        }
        Map<Long, Map<String, Long>> volumes = new TreeMap<>();
        trades.forEach(t -> volumes.computeIfAbsent((t.tsMs() - T0) / 1000, w -> new HashMap<>())
            .merge(t.symbol(), t.qty(), Long::sum));
        List<String> expected = new ArrayList<>();
        volumes.forEach((w, totals) -> direct(totals, 3).forEach(row -> expected.add(w + " " + row)));
        assertThat(sink.received()).extracting(r -> (r.window().startMs() - T0) / 1000 + " " + r.key() + "=" + r.value())
            .isEqualTo(expected);
        assertThat(sink.received()).extracting(RankedValue::rank).startsWith(1, 2, 3, 1, 2, 3);
    }

    @Test
    void shouldSendAggregationRowsForWindowsTheRankingClosedToTheLateRowSinkAndCountThem() throws Exception {
        CollectingSink<RankedValue<String, Long>> sink = Sinks.collecting();
        CollectingSink<WindowedValue<String, Long>> late = Sinks.collecting();
        try (Rivulet rivulet = Rivulet.create()) {
            MemoryStream<Trade> input = Sources.memoryStream("trades");
            // Update mode, one epoch (its interval is an hour): the watermark T0 + 5 s closes window [T0, T0 + 1 s)
            // at the ranking stage at once; the aggregation emits that window's rows only at the epoch's end.
            input.addData(new Trade("a", 5, T0 + 100), new Trade("b", 7, T0 + 200), new Trade("a", 1, T0 + 5_000));
            input.end();
            StreamingQuery query = rivulet.readStream(input)
                .withWatermark(Trade::tsMs, Duration.ZERO)
                .keyBy(Trade::symbol, 1)
                .window(Windows.tumbling(Duration.ofSeconds(1)), Trade::tsMs)
                .topN(3, Aggregates.sumLong(Trade::qty), Comparator.naturalOrder(), Comparator.naturalOrder(), late)
                .writeStream(sink).outputMode("update").trigger(Trigger.continuous(Duration.ofHours(1))).start();
            query.awaitTermination();
            long dropped = query.recentProgress().stream().flatMap(p -> p.stateOperators().stream())
                .mapToLong(QueryProgress.StateOperatorProgress::numRowsDroppedByWatermark).sum();
            assertThat(late.received()).extracting(r -> r.key() + "=" + r.value() + "@" + (r.window().startMs() - T0))
                .containsExactlyInAnyOrder("a=5@0", "b=7@0");
            assertThat(dropped).isEqualTo(2);
            assertThat(late.isClosed()).isTrue();
        }
    }
}
