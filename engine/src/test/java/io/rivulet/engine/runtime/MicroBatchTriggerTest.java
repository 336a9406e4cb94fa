package io.rivulet.engine.runtime;

import io.rivulet.engine.QueryProgress;
import io.rivulet.engine.RestartStrategy;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.WatermarkStrategy;
import io.rivulet.engine.internal.PlanNode;
import io.rivulet.engine.internal.QueryEvents;
import io.rivulet.engine.internal.QueryOptions;
import io.rivulet.engine.sink.Sink;
import io.rivulet.engine.sink.SinkWriter;
import io.rivulet.engine.source.MemoryStream;
import io.rivulet.engine.source.Source;
import io.rivulet.engine.source.SourceContext;
import io.rivulet.engine.source.SourceOutput;
import io.rivulet.engine.source.SourceReader;
import io.rivulet.engine.source.Sources;
import io.rivulet.operators.KeyValue;
import io.rivulet.operators.OutputMode;
import io.rivulet.operators.function.Aggregates;
import io.rivulet.operators.groupstate.GroupStateOperator;
import io.rivulet.operators.groupstate.GroupStateSettings;
import io.rivulet.operators.groupstate.GroupStateTimeout;
import io.rivulet.operators.keyed.EmitPolicy;
import io.rivulet.operators.keyed.KeyedAggregateOperator;
import io.rivulet.operators.stateless.MapOperator;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Drives the {@link MicroBatchDriver} of a prepared (never started) query by hand with a fake
 * clock: when each trigger fires, what one batch reads, no-data batches and a stop mid-batch.
 */
class MicroBatchTriggerTest {
    private static final long INTERVAL_NS = 1_000;

    private long nowNs;
    private final BatchLog<Object> sink = new BatchLog<>();
    private final List<QueryProgress> progress = new CopyOnWriteArrayList<>();
    private QueryRuntime query;
    private MicroBatchDriver driver;

    @AfterEach
    void closeQuery() {
        if (driver != null && query.isActive()) {
            query.requestStop();
            try {
                driver.doWork();
            } catch (AgentTerminationException expected) {
                // the driver ends
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            driver.onClose();
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void prepare(PlanNode<?> root, QueryOptions.Execution execution, long intervalNs, OutputMode mode) {
        QueryOptions options = new QueryOptions("trigger-test", mode, execution, intervalNs, true, false, 0,
            NoOpIdleStrategy::new, 1, 1024, 1, 128, true, 30_000_000_000L, null, 10, RestartStrategy.none(),
            () -> nowNs, () -> 1_700_000_000_000L + nowNs / 1_000_000);
        query = QueryRuntime.prepare((PlanNode) root, (Sink) sink, options, new QueryEvents() {
            @Override
            public void onStarted(StreamingQuery q) {
            }

            @Override
            public void onProgress(StreamingQuery q, QueryProgress p) {
                progress.add(p);
            }

            @Override
            public void onTerminated(StreamingQuery q) {
            }
        });
        driver = query.microBatchDriver();
    }

    /** Runs one duty cycle at {@code atNs}; returns the batches it ran. */
    private int at(long atNs) throws Exception {
        nowNs = atNs;
        return driver.doWork();
    }

    @Test
    void shouldStartAProcessingTimeBatchEveryIntervalAlignedToTheFirstTriggerNotEveryCycle() throws Exception {
        MemoryStream<String> input = Sources.memoryStream("in");
        prepare(new PlanNode.SourceNode<>(input), QueryOptions.Execution.PROCESSING_TIME, INTERVAL_NS, OutputMode.APPEND);
        input.addData("a");
        assertThat(at(100)).as("the first trigger fires at start").isEqualTo(1);
        input.addData("b");
        assertThat(at(150)).isZero();
        assertThat(at(1_099)).as("data waiting, but the interval has not passed").isZero();
        assertThat(at(1_100)).isEqualTo(1);
        input.addData("c");
        // The cycle comes late (at 2 350): the trigger of 2 100 fires then, and the next stays at 3 100.
        assertThat(at(2_350)).isEqualTo(1);
        input.addData("d");
        assertThat(at(3_099)).isZero();
        assertThat(at(3_100)).isEqualTo(1);
        assertThat(at(4_100)).as("a trigger without data runs nothing").isZero();
        assertThat(sink.batches()).containsExactly(List.of("a"), List.of("b"), List.of("c"), List.of("d"));
    }

    @Test
    void shouldStartTheNextBatchAtOnceAfterABatchThatOverranItsInterval() throws Exception {
        MemoryStream<String> input = Sources.memoryStream("in");
        // A record "slow" takes 2.5 intervals to process.
        PlanNode<String> slow = new PlanNode.OperatorNode<>("slow", new PlanNode.SourceNode<>(input), () -> new MapOperator<String, String>(r -> {
            if (r.equals("slow")) {
                nowNs += 2_500;
            }
            return r;
        }));
        prepare(slow, QueryOptions.Execution.PROCESSING_TIME, INTERVAL_NS, OutputMode.APPEND);
        input.addData("slow");
        assertThat(at(0)).isEqualTo(1);
        input.addData("next");
        assertThat(nowNs).isEqualTo(2_500);
        assertThat(at(nowNs)).as("the trigger due at 1 000 passed during the batch").isEqualTo(1);
        input.addData("then");
        assertThat(at(2_999)).as("the next trigger is the following multiple, 3 000").isZero();
        assertThat(at(3_000)).isEqualTo(1);
        assertThat(sink.batches()).containsExactly(List.of("slow"), List.of("next"), List.of("then"));
    }

    @Test
    void shouldSplitAvailableNowIntoBatchesOfAtMostTheSourcesRecordsPerTriggerThenStop() throws Exception {
        MemoryStream<String> input = Sources.<String>memoryStream("in").maxRecordsPerTrigger(3);
        prepare(new PlanNode.SourceNode<>(input), QueryOptions.Execution.AVAILABLE_NOW, 0, OutputMode.APPEND);
        input.addData("a", "b", "c", "d", "e", "f", "g");
        assertThatThrownBy(() -> at(0)).isInstanceOf(AgentTerminationException.class);
        driver.onClose();
        assertThat(sink.batches()).containsExactly(List.of("a", "b", "c"), List.of("d", "e", "f"), List.of("g"));
        assertThat(sink.epochs()).containsExactly(0L, 1L, 2L);
    }

    @Test
    void shouldReadOnlyWhatWasDueAtStartWithAvailableNowOnATimeDrivenSource() throws Exception {
        // One record due per 100 ns of the clock: with the clock frozen at the start, the batches end.
        Source<Long> timed = new ClockSource(100);
        prepare(new PlanNode.SourceNode<>(timed), QueryOptions.Execution.AVAILABLE_NOW, 0, OutputMode.APPEND);
        nowNs = 1_000;
        assertThatThrownBy(() -> at(1_000)).isInstanceOf(AgentTerminationException.class);
        driver.onClose();
        assertThat(sink.rows()).hasSize(10);
    }

    @Test
    void shouldRunOneBatchOfEverythingWithOnceIgnoringTheCap() throws Exception {
        MemoryStream<String> input = Sources.<String>memoryStream("in").maxRecordsPerTrigger(2);
        prepare(new PlanNode.SourceNode<>(input), QueryOptions.Execution.ONCE, 0, OutputMode.APPEND);
        input.addData("a", "b", "c", "d", "e");
        assertThatThrownBy(() -> at(0)).isInstanceOf(AgentTerminationException.class);
        driver.onClose();
        assertThat(sink.batches()).containsExactly(List.of("a", "b", "c", "d", "e"));
    }

    @Test
    void shouldCapEachProcessingTimeBatchAtTheSourcesRecordsPerTrigger() throws Exception {
        MemoryStream<String> input = Sources.<String>memoryStream("in").maxRecordsPerTrigger(2);
        prepare(new PlanNode.SourceNode<>(input), QueryOptions.Execution.PROCESSING_TIME, INTERVAL_NS, OutputMode.APPEND);
        input.addData("a", "b", "c");
        assertThat(at(0)).isEqualTo(1);
        assertThat(at(999)).isZero();
        assertThat(at(1_000)).isEqualTo(1);
        assertThat(sink.batches()).containsExactly(List.of("a", "b"), List.of("c"));
    }

    @Test
    void shouldRunANoDataBatchWhenTheWatermarkMovesForACountKeyedWithoutTheEventTimeAndReportItsState() throws Exception {
        // words.withWatermark("ts", "10 seconds").groupBy("word").count() in update mode: Spark runs a
        // no-data batch whenever the watermark moves, though the key has no event time and nothing is evicted.
        MemoryStream<KeyValue<String, Long>> words = Sources.memoryStream("words");
        PlanNode<KeyValue<String, Long>> watermarked = new PlanNode.WatermarkNode<>(new PlanNode.SourceNode<>(words),
            KeyValue::value, WatermarkStrategy.delay(Duration.ofSeconds(10)));
        PlanNode<KeyValue<String, Long>> counts = new PlanNode.KeyedNode<String, KeyValue<String, Long>, KeyValue<String, Long>>(
            "count", PlanNode.KeyedKind.AGGREGATION, watermarked, KeyValue::key, 1,
            context -> new KeyedAggregateOperator<String, KeyValue<String, Long>, long[], Long>(
                Aggregates.<KeyValue<String, Long>>count(), EmitPolicy.ON_EPOCH, null, null, context.maxParallelism(),
                context.keyGroups()));
        prepare(counts, QueryOptions.Execution.PROCESSING_TIME, 0, OutputMode.UPDATE);
        words.addData(new KeyValue<>("a", 20_000L), new KeyValue<>("b", 21_000L));
        assertThat(at(0)).isEqualTo(1);
        assertThat(at(1)).as("the watermark moved to 11 s: a no-data batch").isEqualTo(1);
        assertThat(at(2)).as("nothing moved").isZero();
        words.addData(new KeyValue<>("a", 25_000L));
        assertThat(at(3)).isEqualTo(1);
        assertThat(at(4)).isEqualTo(1);
        assertThat(sink.epochs()).containsExactly(0L, 1L, 2L, 3L);
        assertThat(sink.batches()).containsExactly(List.of(new KeyValue<>("a", 1L), new KeyValue<>("b", 1L)), List.of(),
            List.of(new KeyValue<>("a", 2L)), List.of());
        assertThat(progress).extracting(p -> p.eventTimeWatermark().toEpochMilli()).containsExactly(0L, 11_000L, 11_000L, 15_000L);
        assertThat(progress).allSatisfy(p -> assertThat(p.stateOperators()).hasSize(1));
        assertThat(progress).extracting(p -> p.stateOperators().get(0).numRowsTotal()).containsExactly(2L, 2L, 2L, 2L);
        assertThat(progress).extracting(p -> p.stateOperators().get(0).numRowsUpdated()).containsExactly(2L, 0L, 1L, 0L);
    }

    @Test
    void shouldRunANoDataBatchWhenAProcessingTimeTimeoutIsDueAndNotBefore() throws Exception {
        // words.groupByKey(w).mapGroupsWithState(ProcessingTimeTimeout): each call counts the key's words
        // and sets a 5 s timeout; a timed-out key reports -count. Spark runs a no-data batch at every
        // trigger for this; Rivulet runs one when a timeout is due, so the same rows come at the same trigger.
        MemoryStream<String> words = Sources.memoryStream("words");
        PlanNode<KeyValue<String, Long>> counts = new PlanNode.KeyedNode<String, String, KeyValue<String, Long>>(
            GroupStateOperator.NAME, PlanNode.KeyedKind.GROUP_STATE, new PlanNode.SourceNode<>(words), w -> w, 1, null,
            null, Map.of(), null, new PlanNode.GroupStateInfo(true, OutputMode.UPDATE, GroupStateTimeout.PROCESSING_TIME_TIMEOUT),
            context -> GroupStateOperator.<String, String, Long, KeyValue<String, Long>>mapGroups((key, values, state) -> {
                if (state.hasTimedOut()) {
                    long total = state.get();
                    state.remove();
                    return new KeyValue<>(key, -total);
                }
                long total = state.getOption().orElse(0L);
                while (values.hasNext()) {
                    values.next();
                    total++;
                }
                state.update(total);
                state.setTimeoutDuration(5_000);
                return new KeyValue<>(key, total);
            }, GroupStateSettings.<String, String, Long>of(GroupStateTimeout.PROCESSING_TIME_TIMEOUT)
                .withKeyGroups(context.maxParallelism(), context.keyGroups()).withMicroBatch(context.microBatch())));
        prepare(counts, QueryOptions.Execution.PROCESSING_TIME, 0, OutputMode.UPDATE);
        words.addData("a", "a", "b");
        assertThat(at(0)).isEqualTo(1);
        assertThat(at(1_000_000_000L)).as("1 s: nothing due").isZero();
        words.addData("b");
        assertThat(at(2_000_000_000L)).as("2 s: b again, its timeout moves to 7 s").isEqualTo(1);
        assertThat(at(5_000_000_000L)).as("5 s: a's timeout (5 s) is not passed yet").isZero();
        assertThat(at(5_002_000_000L)).as("5.002 s: a timed out").isEqualTo(1);
        assertThat(at(6_000_000_000L)).isZero();
        assertThat(at(7_002_000_000L)).as("7.002 s: b timed out").isEqualTo(1);
        assertThat(at(60_000_000_000L)).as("no state left").isZero();
        assertThat(sink.batches()).containsExactly(List.of(new KeyValue<>("a", 2L), new KeyValue<>("b", 1L)),
            List.of(new KeyValue<>("b", 2L)), List.of(new KeyValue<>("a", -2L)), List.of(new KeyValue<>("b", -2L)));
    }

    @Test
    void shouldEndTheBatchInProgressWithWhatItReadWhenStoppedMidReadAndCommitIt() throws Exception {
        AtomicLong mapped = new AtomicLong();
        // A source with a record due every nanosecond, read 2^40 ns after its start: endless for this
        // batch. The stop comes while the first batch reads.
        Source<Long> endless = new ClockSource(1);
        PlanNode<Long> stopping = new PlanNode.OperatorNode<>("stopper", new PlanNode.SourceNode<>(endless),
            () -> new MapOperator<Long, Long>(r -> {
                if (mapped.incrementAndGet() == 1_000) {
                    query.requestStop();
                }
                return r;
            }));
        prepare(stopping, QueryOptions.Execution.PROCESSING_TIME, 0, OutputMode.APPEND);
        assertThatThrownBy(() -> at(1L << 40)).isInstanceOf(AgentTerminationException.class);
        driver.onClose();
        assertThat(mapped.get()).as("reading stops within one poll of the stop").isLessThan(1_000 + SourceTask.POLL_LIMIT);
        assertThat(sink.epochs()).containsExactly(0L);
        assertThat(sink.rows()).as("the batch read is committed whole").hasSize((int) mapped.get());
    }

    /** Emits record {@code i} once the task's clock passes {@code i * everyNs}, as the rate source does. */
    private record ClockSource(long everyNs) implements Source<Long> {
        @Override
        public String description() {
            return "clock";
        }

        @Override
        public int numPartitions() {
            return 1;
        }

        @Override
        public SourceReader<Long> open(SourceContext context) {
            return new SourceReader<>() {
                private long next;

                @Override
                public int poll(SourceOutput<Long> out, int limit) {
                    long due = context.nanoTime() / everyNs;
                    int n = 0;
                    while (n < limit && next < due) {
                        out.emit(next++);
                        n++;
                    }
                    return n;
                }
            };
        }
    }

    /** Keeps each committed epoch's rows. Writers run on the driver thread. */
    static final class BatchLog<T> implements Sink<T> {
        private final Map<Long, List<T>> staged = new LinkedHashMap<>();
        private final Map<Long, List<T>> committed = new LinkedHashMap<>();
        private List<T> current = new ArrayList<>();

        @Override
        public String description() {
            return "batch-log";
        }

        @Override
        public SinkWriter<T> createWriter(int writerIndex) {
            return new SinkWriter<>() {
                @Override
                public void write(T record) {
                    current.add(record);
                }

                @Override
                public void endEpoch(long epochId) {
                    staged.put(epochId, current);
                    current = new ArrayList<>();
                }
            };
        }

        @Override
        public synchronized void commit(long epochId) {
            committed.put(epochId, staged.remove(epochId));
        }

        synchronized List<List<T>> batches() {
            return List.copyOf(committed.values());
        }

        synchronized List<Long> epochs() {
            return List.copyOf(committed.keySet());
        }

        synchronized List<T> rows() {
            return committed.values().stream().flatMap(List::stream).toList();
        }
    }
}
