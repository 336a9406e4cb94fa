package io.rivulet.engine.runtime;

import io.rivulet.engine.WatermarkStrategy;
import io.rivulet.engine.source.Source;
import io.rivulet.engine.source.SourceContext;
import io.rivulet.engine.source.SourceOutput;
import io.rivulet.engine.source.SourceReader;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.NanoClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Drives {@link SourceTask#doWork()} by hand with a fake clock and a scripted reader: each poll takes
 * the next step of the script (records to emit, or end of input); an empty script reads nothing.
 */
class SourceTaskTest {
    private static final long INTERVAL_NS = 100;
    private static final long START_NS = 1_000;

    private final QueryRuntime query = Fixtures.unstartedQuery();
    private final RecordingLink<String> out = new RecordingLink<>();
    private final ScriptedReader reader = new ScriptedReader();
    private long nowNs = START_NS;
    private final NanoClock nanoClock = () -> nowNs;
    private final EpochClock epochClock = () -> 1_700_000_000_000L + nowNs / 1_000_000;
    private SourceTask<String> task;

    @BeforeEach
    void openTask() throws Exception {
        Source<String> source = new Source<>() {
            @Override
            public String description() {
                return "scripted";
            }

            @Override
            public int numPartitions() {
                return 1;
            }

            @Override
            public SourceReader<String> open(SourceContext context) {
                return reader;
            }
        };
        task = new SourceTask<>(Fixtures.context(query, "source-0"), source, 0, 1, nanoClock, epochClock, INTERVAL_NS,
            START_NS, 0);
        task.chain(out);
        task.open();
    }

    private void at(long offsetNs) throws Exception {
        nowNs = START_NS + offsetNs;
        task.doWork();
    }

    @Test
    void shouldEndAnEpochExactlyWhenEachIntervalHasPassed() throws Exception {
        at(0);
        at(99);
        assertThat(out.take()).isEmpty();
        at(100);
        assertThat(out.take()).containsExactly("epoch:0");
        at(150);
        at(199);
        assertThat(out.take()).isEmpty();
        at(200);
        assertThat(out.take()).containsExactly("epoch:1");
        at(300);
        assertThat(out.take()).containsExactly("epoch:2");
        assertThat(reader.epochsEnded).containsExactly(0L, 1L, 2L);
    }

    @Test
    void shouldPutRecordsPolledAfterABoundaryIntoTheNextEpoch() throws Exception {
        reader.script.add(List.of("x@0", "y@0"));
        at(10);
        reader.script.add(List.of("z@1"));
        at(100);
        assertThat(out.take()).containsExactly("r:x@0", "r:y@0", "epoch:0", "r:z@1");
        assertThat(task.context().recordsIn.get()).isEqualTo(3);
    }

    @Test
    void shouldEndEveryMissedEpochBackToBackWhenItFellBehind() throws Exception {
        reader.script.add(List.of("a@1"));
        at(100);
        assertThat(out.take()).containsExactly("epoch:0", "r:a@1");
        // Boundaries at 200, 300, 400 and 500 all passed while the task was away: four barriers, so that
        // epoch e still ends at the e-th boundary, as in every other source task of the query.
        at(550);
        assertThat(out.take()).containsExactly("epoch:1", "epoch:2", "epoch:3", "epoch:4");
        assertThat(reader.epochsEnded).containsExactly(0L, 1L, 2L, 3L, 4L);
        at(550);
        at(599);
        assertThat(out.take()).isEmpty();
        at(600);
        assertThat(out.take()).containsExactly("epoch:5");
    }

    @Test
    void shouldNotHoldAStageFedByTwoTasksAfterOneOfThemFellBehindAndCaughtUp() throws Exception {
        ScriptedReader onTimeReader = new ScriptedReader();
        ScriptedReader lateReader = new ScriptedReader();
        Fixtures.Input onTimeRing = new Fixtures.Input();
        Fixtures.Input lateRing = new Fixtures.Input();
        SourceTask<String> onTime = newTask(onTimeReader, new RingLink(onTimeRing), "source-1");
        SourceTask<String> late = newTask(lateReader, new RingLink(lateRing), "source-2");
        SingleProducerPoller[] rings = {onTimeRing.poller, lateRing.poller};
        PartitionWorker worker = new PartitionWorker(Fixtures.context(query, "keyed1-0"), rings, null, new boolean[2], false, 0,
            nanoClock);
        worker.head(RecordingLink.passThrough(out));

        nowNs = START_NS + 100;
        onTime.doWork();
        late.doWork();
        worker.doWork();
        assertThat(out.take()).containsExactly("epoch:0");
        // The late task's thread is away while the boundaries at 200, 300 and 400 pass.
        for (long at = 200; at <= 400; at += 100) {
            nowNs = START_NS + at;
            onTime.doWork();
            worker.doWork();
        }
        nowNs = START_NS + 450;
        late.doWork();
        onTimeReader.script.add(List.of("x@4"));
        onTime.doWork();
        for (int cycle = 0; cycle < 4; cycle++) {
            worker.doWork();
        }
        // Had the late task ended one epoch for the three boundaries it missed, its barriers would pair
        // with the on-time task's older ones from then on, and x@4 would wait behind the on-time task's
        // barrier 2 until the late task's barrier 3 (at 600): a whole interval, in every epoch after.
        assertThat(out.take()).containsExactly("epoch:1", "epoch:2", "epoch:3", "r:x@4");
    }

    @Test
    void shouldRunTheTasksSharingItsThreadWhileItsReaderAwaitsADeadline() throws Exception {
        long[] awaited = new long[1];
        Source<String> source = new Source<>() {
            @Override
            public String description() {
                return "pacing";
            }

            @Override
            public int numPartitions() {
                return 1;
            }

            @Override
            public SourceReader<String> open(SourceContext context) {
                // A pacing reader: its next event is due 50 ns from now.
                return (output, limit) -> {
                    awaited[0] = context.awaitUntil(nowNs + 50, 1_000_000);
                    return 0;
                };
            }
        };
        SourceTask<String> host = new SourceTask<>(Fixtures.context(query, "source-1"), source, 0, 1, nanoClock, epochClock,
            INTERVAL_NS, START_NS, 0);
        host.chain(new RingLink(new Fixtures.Input()));
        host.open();
        int[] stageCycles = new int[1];
        Agent stage = new Agent() {
            @Override
            public int doWork() {
                stageCycles[0]++;
                nowNs += 10;
                return 1;
            }

            @Override
            public String roleName() {
                return "keyed1-0";
            }
        };
        CoLocatedAgents thread = new CoLocatedAgents(new Agent[] {host, stage}, "source-1+keyed1-0");
        host.context().coLocatedAgents = thread;
        nowNs = START_NS + 1_000;
        thread.doWork();
        // While the reader waited 50 ns, the stage hosted on its thread ran (each of its cycles takes 10 ns here):
        // five times inside the wait, then once more in the thread's own cycle.
        assertThat(awaited[0]).isEqualTo(START_NS + 1_050);
        assertThat(stageCycles[0]).isEqualTo(6);
    }

    @Test
    void shouldCutAReadersWaitShortAtTheEpochBoundarySoTheBarrierIsNotHeldUp() throws Exception {
        List<Long> awaited = new ArrayList<>();
        Source<String> source = new Source<>() {
            @Override
            public String description() {
                return "pacing";
            }

            @Override
            public int numPartitions() {
                return 1;
            }

            @Override
            public SourceReader<String> open(SourceContext context) {
                // A pacing reader whose next event is due 250 ns after the task's start, past the first boundary (100 ns).
                return (output, limit) -> {
                    long now = context.awaitUntil(START_NS + 250, 1_000_000);
                    awaited.add(now);
                    if (now >= START_NS + 250) {
                        output.emit("e@0");
                        return 1;
                    }
                    return 0;
                };
            }
        };
        // Each clock read advances 10 ns, as time passes while the reader spins.
        NanoClock ticking = () -> nowNs += 10;
        SourceTask<String> pacing = new SourceTask<>(Fixtures.context(query, "source-1"), source, 0, 1, ticking, epochClock,
            INTERVAL_NS, START_NS, 0);
        RecordingLink<String> pacingOut = new RecordingLink<>();
        pacing.chain(pacingOut);
        pacing.open();
        nowNs = START_NS + 40;
        pacing.doWork();
        assertThat(awaited).as("the wait ends at the boundary, not at the event's due time").containsExactly(START_NS + 100);
        pacing.doWork();
        pacing.doWork();
        assertThat(pacingOut.take()).containsExactly("epoch:0", "epoch:1", "r:e@0");
        assertThat(awaited).containsExactly(START_NS + 100, START_NS + 200, START_NS + 250);
    }

    private SourceTask<String> newTask(SourceReader<String> taskReader, Link<String> chain, String role) throws Exception {
        Source<String> source = new Source<>() {
            @Override
            public String description() {
                return "scripted " + role;
            }

            @Override
            public int numPartitions() {
                return 1;
            }

            @Override
            public SourceReader<String> open(SourceContext context) {
                return taskReader;
            }
        };
        SourceTask<String> created = new SourceTask<>(Fixtures.context(query, role), source, 0, 1, nanoClock, epochClock,
            INTERVAL_NS, START_NS, 0);
        created.chain(chain);
        created.open();
        return created;
    }

    /** Ends a source task's chain in a test ring, as an exchange does (key "k"). */
    private static final class RingLink extends Link<String> {
        private final Fixtures.Input ring;

        RingLink(Fixtures.Input ring) {
            this.ring = ring;
        }

        @Override
        public void emit(String record) {
            ring.record("k", record);
        }

        @Override
        void onWatermark(long watermarkMs) {
            ring.watermark(watermarkMs);
        }

        @Override
        void onEpoch(long epochId) {
            ring.barrier(epochId);
        }

        @Override
        void onEnd(boolean flush) {
            ring.end();
        }
    }

    @Test
    void shouldEndTheEpochInProgressAndSendEndWhenStoppedThenLiveUntilTheSinkFinished() throws Exception {
        reader.script.add(List.of("a@0"));
        at(10);
        at(100);
        reader.script.add(List.of("b@1"));
        at(120);
        query.requestStop();
        at(130);
        assertThat(out.take()).containsExactly("r:a@0", "epoch:0", "r:b@1", "epoch:1", "end");
        assertThat(reader.epochsEnded).containsExactly(0L, 1L);

        at(400);
        assertThat(out.take()).as("no barrier or record after the end").isEmpty();
        assertThat(reader.polls).as("the reader is not polled after the end").isEqualTo(3);
        query.onSinkFinished();
        assertThatThrownBy(() -> at(410)).isInstanceOf(AgentTerminationException.class);
    }

    @Test
    void shouldEndTheEpochInProgressAndSendEndWhenInputEnds() throws Exception {
        reader.script.add(List.of("a@0"));
        at(10);
        reader.endAfterScript = true;
        at(20);
        assertThat(out.take()).containsExactly("r:a@0", "epoch:0", "end");
        at(500);
        assertThat(out.take()).isEmpty();
    }

    @Test
    void shouldTellTheReaderOfTheLastCommitEvenWhenItLandsAsTheTaskChecksForTheEnd() throws Exception {
        reader.script.add(List.of("a@0"));
        at(10);
        at(100);
        reader.endAfterScript = true;
        at(110);
        assertThat(out.take()).containsExactly("r:a@0", "epoch:0", "epoch:1", "end");
        // The coordinator commits the last epoch and finishes the sink while the task is being told of
        // the one before: the task must still pass the last commit on before it terminates.
        reader.onCommitted = () -> {
            reader.onCommitted = () -> { };
            query.onEpochCommitted(1);
            query.onSinkFinished();
        };
        query.onEpochCommitted(0);
        assertThatThrownBy(() -> at(120)).isInstanceOf(AgentTerminationException.class);
        assertThat(reader.epochsCommitted).containsExactly(0L, 1L);
    }

    @Test
    void shouldPassOnlyRisingSourceWatermarks() throws Exception {
        reader.watermarks.add(50L);
        reader.watermarks.add(40L);
        reader.watermarks.add(60L);
        at(10);
        assertThat(out.take()).containsExactly("wm:50", "wm:60");
    }

    /** Two source tasks whose {@code withWatermark} (delay 0, event time after the '@') is aligned within 1000 ms. */
    private final class AlignedPair {
        final WatermarkAlignmentGroup group = new WatermarkAlignmentGroup("inputs");
        final ScriptedReader fastReader = new ScriptedReader();
        final ScriptedReader slowReader = new ScriptedReader();
        final RecordingLink<String> fastOut = new RecordingLink<>();
        final RecordingLink<String> slowOut = new RecordingLink<>();
        final SourceTask<String> fast;
        final SourceTask<String> slow;

        AlignedPair() throws Exception {
            fast = alignedTask(fastReader, fastOut, "source-1");
            slow = alignedTask(slowReader, slowOut, "source-2");
        }

        private SourceTask<String> alignedTask(ScriptedReader taskReader, RecordingLink<String> taskOut, String role)
            throws Exception {
            TaskContext context = Fixtures.context(query, role);
            WatermarkStrategy strategy = WatermarkStrategy.delay(Duration.ZERO).withAlignment("inputs", Duration.ofMillis(1000));
            WatermarkLink<String> link = WatermarkLink.create(record -> Long.parseLong(record.substring(record.indexOf('@') + 1)),
                strategy, taskOut, null, new AtomicLong(), context);
            link.alignment = group.join(strategy.maxDrift().toMillis());
            context.watermarkLinks.add(link);
            Source<String> source = new Source<>() {
                @Override
                public String description() {
                    return "aligned " + role;
                }

                @Override
                public int numPartitions() {
                    return 1;
                }

                @Override
                public SourceReader<String> open(SourceContext sourceContext) {
                    return taskReader;
                }
            };
            SourceTask<String> created = new SourceTask<>(context, source, 0, 1, nanoClock, epochClock, INTERVAL_NS, START_NS, 0);
            created.chain(link);
            created.open();
            return created;
        }
    }

    @Test
    void shouldStopPollingWhileMoreThanTheDriftAheadOfItsGroupAndResumeOnceTheOtherCatchesUp() throws Exception {
        AlignedPair pair = new AlignedPair();
        nowNs = START_NS + 10;
        pair.fastReader.script.add(List.of("f@5000"));
        pair.fast.doWork();
        pair.slowReader.script.add(List.of("s@1000"));
        pair.slow.doWork();
        assertThat(pair.fastOut.take()).containsExactly("r:f@5000", "wm:5000");
        assertThat(pair.slowOut.take()).containsExactly("r:s@1000", "wm:1000");

        // 5000 is 4000 ms ahead of the group's minimum, 1000: over the drift, the fast task reads nothing.
        pair.fastReader.script.add(List.of("f@5001"));
        int polls = pair.fastReader.polls;
        assertThat(pair.fast.doWork()).as("no work while paused, so the thread backs off").isZero();
        assertThat(pair.fast.doWork()).isZero();
        assertThat(pair.fastReader.polls).isEqualTo(polls);
        assertThat(pair.fast.alignmentPauses()).isEqualTo(2);

        // The slow task reaches 3999: still 1001 ms behind, over the drift.
        pair.slowReader.script.add(List.of("s@3999"));
        pair.slow.doWork();
        pair.fast.doWork();
        assertThat(pair.fastReader.polls).isEqualTo(polls);
        // At 4000 the fast task is exactly the drift ahead: it reads again.
        pair.slowReader.script.add(List.of("s@4000"));
        pair.slow.doWork();
        assertThat(pair.fast.doWork()).isEqualTo(1);
        assertThat(pair.fastOut.take()).containsExactly("r:f@5001", "wm:5001");
    }

    @Test
    void shouldNeverPauseTheTaskHoldingTheGroupsMinimum() throws Exception {
        AlignedPair pair = new AlignedPair();
        pair.fastReader.script.add(List.of("f@9000"));
        pair.fast.doWork();
        pair.slowReader.script.add(List.of("s@1000"));
        pair.slow.doWork();
        pair.slowReader.script.add(List.of("s@1500"));
        assertThat(pair.slow.doWork()).isEqualTo(1);
        assertThat(pair.slow.alignmentPauses()).isZero();
    }

    @Test
    void shouldNotCountAMemberWithNoWatermarkYet() throws Exception {
        AlignedPair pair = new AlignedPair();
        pair.fastReader.script.add(List.of("f@9000"));
        pair.fast.doWork();
        pair.slow.doWork();
        pair.fastReader.script.add(List.of("f@9001"));
        assertThat(pair.fast.doWork()).as("the slow task has read nothing yet: it does not hold the group").isEqualTo(1);
        assertThat(pair.fast.alignmentPauses()).isZero();
    }

    @Test
    void shouldReleaseTheGroupWhenTheSlowTasksInputEnds() throws Exception {
        AlignedPair pair = new AlignedPair();
        pair.fastReader.script.add(List.of("f@9000"));
        pair.fast.doWork();
        pair.slowReader.script.add(List.of("s@1000"));
        pair.slow.doWork();
        pair.fastReader.script.add(List.of("f@9001"));
        pair.fast.doWork();
        assertThat(pair.fast.alignmentPauses()).isEqualTo(1);

        pair.slowReader.endAfterScript = true;
        pair.slow.doWork();
        assertThat(pair.slowOut.take()).containsExactly("r:s@1000", "wm:1000", "epoch:0", "end");
        assertThat(pair.fast.doWork()).as("an ended task left the group").isEqualTo(1);
        assertThat(pair.fastOut.take()).containsExactly("r:f@9000", "wm:9000", "r:f@9001", "wm:9001");
        assertThat(pair.group.minimum()).isEqualTo(9001);
    }

    @Test
    void shouldEndEpochsWhilePausedByAlignment() throws Exception {
        AlignedPair pair = new AlignedPair();
        nowNs = START_NS + 10;
        pair.fastReader.script.add(List.of("f@9000"));
        pair.fast.doWork();
        pair.slowReader.script.add(List.of("s@1000"));
        pair.slow.doWork();
        pair.fastOut.take();
        pair.fastReader.script.add(List.of("f@9001"));
        nowNs = START_NS + 100;
        assertThat(pair.fast.doWork()).as("one epoch ended, no record read").isEqualTo(1);
        nowNs = START_NS + 300;
        pair.fast.doWork();
        assertThat(pair.fastOut.take()).containsExactly("epoch:0", "epoch:1", "epoch:2");
        assertThat(pair.fast.alignmentPauses()).isEqualTo(2);
    }

    /** Each poll emits the next scripted batch; with the script empty, nothing, or the end if asked. */
    private static final class ScriptedReader implements SourceReader<String> {
        final Queue<List<String>> script = new ArrayDeque<>();
        final List<Long> watermarks = new ArrayList<>();
        final List<Long> epochsEnded = new ArrayList<>();
        final List<Long> epochsCommitted = new ArrayList<>();
        Runnable onCommitted = () -> { };
        boolean endAfterScript;
        int polls;

        @Override
        public int poll(SourceOutput<String> output, int limit) {
            polls++;
            for (long wm : watermarks) {
                output.emitWatermark(wm);
            }
            watermarks.clear();
            List<String> batch = script.poll();
            if (batch == null) {
                return endAfterScript ? END_OF_INPUT : 0;
            }
            batch.forEach(output::emit);
            return batch.size();
        }

        @Override
        public void onEpochEnd(long epochId) {
            epochsEnded.add(epochId);
        }

        @Override
        public void onEpochCommitted(long epochId) {
            epochsCommitted.add(epochId);
            onCommitted.run();
        }
    }

    @Test
    void shouldTakeTheEarlierOfTwoInstantsAlsoAcrossTheNanoTimeWrap() {
        assertThat(SourceTask.earlier(5, 9)).isEqualTo(5);
        assertThat(SourceTask.earlier(9, 5)).isEqualTo(5);
        assertThat(SourceTask.earlier(-3, -3)).isEqualTo(-3);
        assertThat(SourceTask.earlier(Long.MAX_VALUE - 1, Long.MIN_VALUE + 1)).as("wrapped: later").isEqualTo(Long.MAX_VALUE - 1);
        assertThat(SourceTask.earlier(Long.MIN_VALUE + 1, Long.MAX_VALUE - 1)).isEqualTo(Long.MAX_VALUE - 1);
    }
}
