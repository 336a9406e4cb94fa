package io.rivulet.engine;

import io.rivulet.engine.sink.CollectingSink;
import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.source.Source;
import io.rivulet.engine.source.SourceContext;
import io.rivulet.engine.source.SourceOutput;
import io.rivulet.engine.source.SourceReader;
import io.rivulet.operators.KeyedOperator;
import io.rivulet.operators.Output;
import io.rivulet.operators.OutputMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Watermarks and epoch barriers travel in-band through the rings: a keyed worker sees the minimum
 * watermark of its inputs, and ends an epoch only when every input has delivered its barrier.
 */
@ExtendWith(NoLeakedThreads.class)
class ControlSignalTest {
    /**
     * Emits (tag, i) for i in 0..count-1, with a watermark of {@code i * step} after each. Holds back
     * from record {@code holdAt} on until {@code gate} opens; opens {@code ended} when its input ends.
     */
    record Scripted(String tag, int count, long step, int holdAt, AtomicBoolean gate, AtomicBoolean ended)
        implements Source<String> {
        Scripted(String tag, int count, long step) {
            this(tag, count, step, Integer.MAX_VALUE, new AtomicBoolean(true), new AtomicBoolean());
        }

        @Override
        public String description() {
            return "scripted-" + tag;
        }

        @Override
        public boolean emitsWatermarks() {
            return true;
        }

        @Override
        public int numPartitions() {
            return 1;
        }

        @Override
        public SourceReader<String> open(SourceContext context) {
            return new SourceReader<>() {
                int next;

                @Override
                public int poll(SourceOutput<String> out, int limit) {
                    if (next == count) {
                        ended.set(true);
                        return END_OF_INPUT;
                    }
                    if (next >= holdAt && !gate.get()) {
                        return 0;
                    }
                    out.emit(tag + next);
                    out.emitWatermark(next * step);
                    next++;
                    return 1;
                }
            };
        }
    }

    /** Emits what it sees: records, watermarks as "wm=…", epochs as "epoch=…". */
    static final class Recorder implements KeyedOperator<Integer, String, String> {
        @Override
        public void process(Integer key, String record, Output<String> out) {
            out.emit(record);
        }

        @Override
        public void onWatermark(long watermarkMs, Output<String> out) {
            out.emit("wm=" + watermarkMs);
        }

        @Override
        public void onEpoch(long epochId, Output<String> out) {
            out.emit("epoch=" + epochId);
        }
    }

    @Test
    void shouldTakeMinimumWatermarkOfInputsAndStopHoldingBackWhenAnInputEnds() throws Exception {
        CollectingSink<String> sink = Sinks.collecting();
        AtomicBoolean slowEnded = new AtomicBoolean();
        try (Rivulet rivulet = Rivulet.create()) {
            // "fast" runs ahead to watermark 90, then waits until "slow" (watermarks 0..4) has ended.
            rivulet.readStream(new Scripted("fast", 20, 10, 10, slowEnded, new AtomicBoolean()))
                .union(rivulet.readStream(new Scripted("slow", 5, 1, Integer.MAX_VALUE, new AtomicBoolean(true), slowEnded)))
                .keyBy(s -> 0, 1)
                .process("recorder", Recorder::new)
                .writeStream(sink)
                .start()
                .awaitTermination();
        }
        List<String> seen = sink.received();
        List<Long> watermarks = new ArrayList<>();
        for (String s : seen) {
            if (s.startsWith("wm=")) {
                watermarks.add(Long.parseLong(s.substring(3)));
            }
        }
        assertThat(watermarks).isSorted().doesNotHaveDuplicates();
        // While "slow" is open the watermark never passes its own (at most 4) ...
        int slowLast = seen.indexOf("slow4");
        assertThat(seen.subList(0, slowLast).stream().filter(s -> s.startsWith("wm="))
            .mapToLong(s -> Long.parseLong(s.substring(3)))).allMatch(wm -> wm <= 4);
        // ... and once it ended, "fast" alone drives the watermark to its last value.
        assertThat(watermarks).contains(4L).last().isEqualTo(190L);
    }

    @Test
    void shouldEndEachEpochOnceAfterAllInputsDeliveredItsBarrier() throws Exception {
        CollectingSink<String> sink = Sinks.collecting();
        try (Rivulet rivulet = Rivulet.create()) {
            rivulet.readStream(new Scripted("a", 3000, 0))
                .union(rivulet.readStream(new Scripted("b", 5, 0)))
                .keyBy(s -> 0, 1)
                .process("recorder", Recorder::new)
                .writeStream(sink)
                .trigger(Trigger.continuous(1))
                .start()
                .awaitTermination();
        }
        List<Long> epochs = sink.received().stream().filter(s -> s.startsWith("epoch="))
            .map(s -> Long.parseLong(s.substring(6))).toList();
        assertThat(epochs).isNotEmpty();
        for (int i = 0; i < epochs.size(); i++) {
            assertThat(epochs.get(i)).isEqualTo(i);
        }
        assertThat(sink.committedEpochs()).containsExactlyElementsOf(epochs);
        assertThat(sink.received().stream().filter(s -> !s.contains("="))).hasSize(3005);
    }

    @Test
    void shouldTellReaderEachEpochEndAndEveryCommitOnItsOwnThreadIncludingTheLast() throws Exception {
        List<String> calls = Collections.synchronizedList(new ArrayList<>());
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        Source<Integer> source = new Source<>() {
            @Override
            public String description() {
                return "hooks";
            }

            @Override
            public int numPartitions() {
                return 1;
            }

            @Override
            public SourceReader<Integer> open(SourceContext context) {
                return new SourceReader<>() {
                    int next;

                    @Override
                    public int poll(SourceOutput<Integer> out, int limit) {
                        threads.add(Thread.currentThread());
                        if (next == 20_000) {
                            return END_OF_INPUT;
                        }
                        out.emit(next++);
                        return 1;
                    }

                    @Override
                    public void onEpochEnd(long epochId) {
                        threads.add(Thread.currentThread());
                        calls.add("end " + epochId);
                    }

                    @Override
                    public void onEpochCommitted(long epochId) {
                        threads.add(Thread.currentThread());
                        calls.add("committed " + epochId);
                    }
                };
            }
        };
        CollectingSink<Integer> sink = Sinks.collecting();
        try (Rivulet rivulet = Rivulet.create()) {
            rivulet.readStream(source).keyBy(i -> i % 3, 2).reduce((a, b) -> b)
                .writeStream(sink).outputMode(OutputMode.UPDATE).trigger(Trigger.continuous(1)).start().awaitTermination();
        }
        assertThat(threads).hasSize(1);
        long ended = -1;
        long committed = -1;
        for (String call : calls) {
            long id = Long.parseLong(call.substring(call.indexOf(' ') + 1));
            if (call.startsWith("end")) {
                assertThat(id).isEqualTo(ended + 1);
                ended = id;
            } else {
                assertThat(id).isGreaterThan(committed).isLessThanOrEqualTo(ended);
                committed = id;
            }
        }
        assertThat(committed).as("the last ended epoch is committed and reported").isEqualTo(ended);
        assertThat(sink.committedEpochs()).last().isEqualTo(ended);
    }
}
