package io.rivulet.engine;

import io.rivulet.engine.sink.CollectingSink;
import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.source.Sources;
import io.rivulet.operators.window.WindowedValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/** A source that refills one mutable record for every event, made safe by copying into ring slots. */
@ExtendWith(NoLeakedThreads.class)
class RecordCopierTest {
    static final long T0 = 1_700_000_000_000L;

    /** A mutable event, as a low-latency source would reuse it. */
    static final class MutableEvent {
        int key;
        long tsMs;

        MutableEvent set(int key, long tsMs) {
            this.key = key;
            this.tsMs = tsMs;
            return this;
        }
    }

    static final RecordCopier<MutableEvent> COPIER = new RecordCopier<>() {
        @Override
        public MutableEvent newInstance() {
            return new MutableEvent();
        }

        @Override
        public void copy(MutableEvent from, MutableEvent into) {
            into.set(from.key, from.tsMs);
        }
    };

    @Test
    void shouldCountCorrectlyWhenTheSourceReusesOneRecordAcrossTheExchange() throws Exception {
        MutableEvent shared = new MutableEvent();
        CollectingSink<WindowedValue<Integer, Long>> sink = Sinks.collecting();
        try (Rivulet rivulet = Rivulet.create()) {
            rivulet.readStream(Sources.generator(300_000, i -> shared.set((int) (i % 7), T0 + i / 100)))
                .withWatermark(e -> e.tsMs, Duration.ofMillis(100))
                .keyBy(e -> e.key, 2)
                .copyingRecords(COPIER)
                .window(Windows.tumbling(Duration.ofSeconds(1)), e -> e.tsMs)
                .count()
                .writeStream(sink)
                .ringCapacity(64)
                .start()
                .awaitTermination();
        }
        // 300 000 events over 3 000 ms: 3 windows of 100 000, split over 7 keys.
        assertThat(sink.received()).hasSize(21);
        for (WindowedValue<Integer, Long> row : sink.received()) {
            long expected = LongStream.range(0, 300_000)
                .filter(i -> i % 7 == row.key() && (T0 + i / 100) / 1000 * 1000 == row.window().startMs()).count();
            assertThat(row.value()).as("%s", row).isEqualTo(expected);
        }
    }

    @ParameterizedTest(name = "fused keyed stage: {0}")
    @ValueSource(booleans = {true, false})
    void shouldSendLateRecordsAsCopiesWhenRecordsLiveInRingSlotsOrInTheSourcesRecord(boolean fuse) throws Exception {
        MutableEvent shared = new MutableEvent();
        long[] times = {T0 + 20_000, T0 + 1_000, T0 + 2_000, T0 + 25_000};
        CollectingSink<MutableEvent> late = Sinks.collecting();
        try (Rivulet rivulet = Rivulet.create()) {
            rivulet.readStream(Sources.generator(times.length, i -> shared.set((int) i, times[(int) i])))
                .withWatermark(e -> e.tsMs, Duration.ZERO)
                .keyBy(e -> 0, 1)
                .copyingRecords(COPIER)
                .window(Windows.tumbling(Duration.ofSeconds(10)), e -> e.tsMs)
                .lateData(late)
                .count()
                .writeStream(Sinks.collecting())
                .fuseKeyedStages(fuse)
                .start()
                .awaitTermination();
        }
        List<Long> lateTimes = late.received().stream().map(e -> e.tsMs).toList();
        assertThat(lateTimes).containsExactly(T0 + 1_000, T0 + 2_000);
    }
}
