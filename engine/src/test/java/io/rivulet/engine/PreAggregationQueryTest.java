package io.rivulet.engine;

import io.rivulet.engine.sink.MemorySink;
import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.source.MemoryStream;
import io.rivulet.engine.source.Sources;
import io.rivulet.operators.window.WindowedValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import io.rivulet.operators.function.Aggregates;

/**
 * A tumbling-window aggregation over two partitions, with late records going to a late-data sink, checkpointed,
 * stopped and restarted: the rows and late records are the same with pre-aggregation before the exchange on
 * (the default) or off (system property {@code rivulet.preAggregation=false}), including a restart from a
 * checkpoint taken with it on that goes on with it off, and the other way round.
 */
@ExtendWith(NoLeakedThreads.class)
class PreAggregationQueryTest {
    private static final String PROPERTY = "rivulet.preAggregation";

    record Trade(String symbol, long tsMs, long qty) {
    }

    @TempDir
    Path checkpoints;

    @AfterEach
    void clearProperty() {
        System.clearProperty(PROPERTY);
    }

    /** Trades of 7 symbols over {@code seconds} s of event time, every 8th one 1–3 s behind (late for its window). */
    private static List<Trade> trades(long seed, int fromSecond, int seconds) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Trade> trades = new ArrayList<>();
        for (int s = fromSecond; s < fromSecond + seconds; s++) {
            for (int i = 0; i < 40; i++) {
                long ts = s * 1000L + i * 25;
                if (random.nextInt(8) == 0) {
                    ts -= 1000 + random.nextInt(2000);
                }
                trades.add(new Trade("s" + random.nextInt(7), ts, 1 + random.nextInt(100)));
            }
        }
        return trades;
    }

    private record Result(TreeMap<String, Long> rows, List<String> late) {
    }

    private Result run(Path dir, boolean firstOn, boolean secondOn) throws Exception {
        MemoryStream<Trade> input = Sources.memoryStream("trades");
        MemorySink<WindowedValue<String, Long>> sink = Sinks.memory("sums");
        MemorySink<Trade> late = Sinks.memory("late");
        boolean[] switches = {firstOn, secondOn};
        for (int run = 0; run < 2; run++) {
            System.setProperty(PROPERTY, String.valueOf(switches[run]));
            try (Rivulet rivulet = Rivulet.create()) {
                StreamingQuery query = rivulet.readStream(input)
                    .withWatermark(Trade::tsMs, Duration.ofMillis(500))
                    .keyBy("symbol", Trade::symbol, 2)
                    .window(Windows.tumbling(Duration.ofSeconds(1)), Trade::tsMs)
                    .lateData(late)
                    .aggregate(Aggregates.sumLong(Trade::qty))
                    .writeStream(sink)
                    .queryName("sums")
                    .trigger(Trigger.continuous(Duration.ofMillis(10)))
                    .checkpointLocation(dir)
                    .start();
                input.addData(run == 0 ? trades(1, 0, 6) : trades(2, 6, 6));
                query.processAllAvailable();
                query.stop();
            }
        }
        TreeMap<String, Long> rows = new TreeMap<>();
        for (WindowedValue<String, Long> row : sink.rows()) {
            assertThat(rows.put(row.window().startMs() + "/" + row.key(), row.value())).as("emitted twice: " + row).isNull();
        }
        List<String> lateRows = new ArrayList<>();
        for (Trade trade : late.rows()) {
            lateRows.add(trade.toString());
        }
        lateRows.sort(null);
        return new Result(rows, lateRows);
    }

    @Test
    void shouldGiveTheSameRowsAndLateRecordsAcrossARestartWithPreAggregationOnOffOrSwitched() throws Exception {
        Result off = run(checkpoints.resolve("off"), false, false);
        assertThat(off.rows()).hasSizeGreaterThan(50);
        assertThat(off.late()).as("the input has late records").isNotEmpty();
        assertThat(run(checkpoints.resolve("on"), true, true)).isEqualTo(off);
        assertThat(run(checkpoints.resolve("on-then-off"), true, false)).isEqualTo(off);
        assertThat(run(checkpoints.resolve("off-then-on"), false, true)).isEqualTo(off);
    }
}
