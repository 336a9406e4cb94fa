package io.rivulet.examples;

import io.rivulet.engine.Rivulet;
import io.rivulet.engine.sink.CollectingSink;
import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.source.RateRow;
import io.rivulet.engine.source.Sources;
import io.rivulet.operators.topn.RankedValue;
import io.rivulet.operators.window.WindowedValue;
import org.junit.jupiter.api.Test;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

class EventTimeExamplesTest {
    private static final long T0 = 1_700_000_000_000L;

    @Test
    void shouldRankTheTenMostTradedSymbolsOfEveryOneSecondWindow() throws Exception {
        List<MarketData.Trade> trades = LongStream.range(0, 30_000).mapToObj(i -> MarketData.trade(i, T0 + i / 10)).toList();
        CollectingSink<RankedValue<String, Long>> sink = Sinks.collecting();
        try (Rivulet rivulet = Rivulet.create()) {
            TopStocksMain.topStocks(rivulet.readStream(Sources.fromIterable(trades)), 10).writeStream(sink).start().awaitTermination();
        }
        // The same ranking, computed directly.
        Map<Long, Map<String, Long>> volumes = new TreeMap<>();
        for (MarketData.Trade t : trades) {
            volumes.computeIfAbsent(t.timestampMs() / 1000 * 1000, w -> new HashMap<>()).merge(t.symbol(), t.quantity(), Long::sum);
        }
        List<String> expected = volumes.entrySet().stream().flatMap(w -> {
            List<Map.Entry<String, Long>> ranked = w.getValue().entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey())).limit(10).toList();
            return LongStream.range(0, ranked.size()).mapToObj(r -> w.getKey() + "#" + (r + 1) + " " + ranked.get((int) r).getKey()
                + "=" + ranked.get((int) r).getValue());
        }).toList();
        List<String> actual = sink.received().stream()
            .sorted(Comparator.comparing((RankedValue<String, Long> r) -> r.window().startMs()).thenComparing(RankedValue::rank))
            .map(r -> r.window().startMs() + "#" + r.rank() + " " + r.key() + "=" + r.value()).toList();
        assertThat(actual).hasSize(30).isEqualTo(expected);
    }

    @Test
    void shouldEndWithTheTenMostTradedSymbolsSinceTheStartWhenRunningRanksAreApplied() throws Exception {
        List<MarketData.Trade> trades = LongStream.range(0, 30_000).mapToObj(i -> MarketData.trade(i, T0 + i / 10)).toList();
        CollectingSink<RankedValue<String, Long>> sink = Sinks.collecting();
        try (Rivulet rivulet = Rivulet.create()) {
            TopStocksMain.runningTopStocks(rivulet.readStream(Sources.fromIterable(trades)), 10).writeStream(sink)
                .outputMode("update").start().awaitTermination();
        }
        Map<String, Long> volumes = new HashMap<>();
        trades.forEach(t -> volumes.merge(t.symbol(), t.quantity(), Long::sum));
        List<String> expected = volumes.entrySet().stream()
            .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey())).limit(10)
            .map(e -> e.getKey() + "=" + e.getValue()).toList();
        Map<Integer, RankedValue<String, Long>> byRank = new TreeMap<>();
        sink.received().forEach(r -> byRank.put(r.rank(), r));
        assertThat(byRank.values()).extracting(r -> r.key() + "=" + r.value()).isEqualTo(expected);
    }

    @Test
    void shouldCountWordsPerWindowOnceEachInAppendMode() throws Exception {
        List<RateRow> lines = LongStream.range(0, 1_000).mapToObj(i -> new RateRow(T0 + i * 50, i)).toList();
        for (boolean sliding : new boolean[] {false, true}) {
            CollectingSink<WindowedValue<String, Long>> sink = Sinks.collecting();
            try (Rivulet rivulet = Rivulet.create()) {
                WindowedWordCountMain.windowedCounts(rivulet.readStream(Sources.fromIterable(lines)), sliding)
                    .writeStream(sink).start().awaitTermination();
            }
            long words = sink.received().stream().filter(r -> r.key().equals("the")).mapToLong(WindowedValue::value).sum();
            // "the" is once in 3 of the 5 lines; each line is in 1 tumbling or 2 sliding windows.
            assertThat(words).as(sliding ? "sliding" : "tumbling").isEqualTo((sliding ? 2 : 1) * (1_000 / 5) * 3);
            assertThat(sink.received()).extracting(r -> r.key() + "@" + r.window()).doesNotHaveDuplicates();
        }
    }
}
