package io.rivulet.engine.runtime;

import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import io.rivulet.operators.OutputMode;
import io.rivulet.operators.function.AggregateFunction;
import io.rivulet.operators.function.Aggregates;
import io.rivulet.operators.state.KeyGroups;
import io.rivulet.operators.window.WindowAggregateOperator;
import io.rivulet.operators.window.WindowAssigner;
import io.rivulet.operators.window.WindowPreAggregator;
import io.rivulet.operators.window.WindowedValue;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.NanoClock;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pre-aggregation before a keyed exchange, through the runtime's own pieces driven by hand on the test thread:
 * producers' {@link PreAggregatingLink}s in front of {@link ExchangeLink}s, rings, and {@link PartitionWorker}s
 * ({@code doWork()}, a fake clock) whose heads hold {@link WindowAggregateOperator}s. With the links enabled
 * and disabled, every partition emits the same rows, late records and state figures.
 */
class PreAggregatingLinkTest {
    private static final int MAX_PARALLELISM = 128;
    private static final long DELAY_MS = 4;
    private final QueryRuntime query = Fixtures.unstartedQuery();
    private long nowNs;
    private final NanoClock clock = () -> nowNs;

    record Event(String key, long ts, long value) {
        @Override
        public String toString() {
            return key + "@" + ts + "=" + value;
        }
    }

    private static final AggregateFunction<Event, Object[], List<Object>> COUNT_AND_SUM =
        Aggregates.of(Aggregates.count(), Aggregates.sumLong(Event::value));

    /** A keyed window stage fed by {@code producers} producers, each behind its own pre-aggregating link. */
    final class Stage {
        final List<PreAggregatingLink<String, Event, Object[]>> links = new ArrayList<>();
        final List<TaskContext> producerContexts = new ArrayList<>();
        final List<PartitionWorker> workers = new ArrayList<>();
        final List<KeyedHead<?, ?, ?>> heads = new ArrayList<>();
        final List<RecordingLink<WindowedValue<String, List<Object>>>> rows = new ArrayList<>();
        final List<List<String>> late = new ArrayList<>();
        final List<String> figures = new ArrayList<>();
        final boolean[] ended;
        long partialSlots;

        @SuppressWarnings("unchecked")
        Stage(int producers, int partitions, boolean preAggregate) {
            int[] table = KeyGroups.partitionTable(MAX_PARALLELISM, partitions);
            RingBuffer<Slot>[][] rings = new RingBuffer[producers][partitions];
            for (int i = 0; i < producers; i++) {
                TaskContext context = Fixtures.context(query, "source-" + i);
                for (int p = 0; p < partitions; p++) {
                    rings[i][p] = RingBuffer.createSingleProducer(Slot::new, 4096, new BusySpinWaitStrategy());
                }
                ExchangeLink<String, Event> exchange = new ExchangeLink<>(Event::key, rings[i], table, context, null, "keyBy");
                PreAggregatingLink<String, Event, Object[]> link = new PreAggregatingLink<>(Event::key,
                    new WindowPreAggregator<>(WindowAssigner.tumbling(10), Event::ts, COUNT_AND_SUM), exchange, context);
                if (preAggregate) {
                    link.enable(Long.MIN_VALUE);
                }
                links.add(link);
                producerContexts.add(context);
            }
            ended = new boolean[partitions];
            for (int p = 0; p < partitions; p++) {
                SingleProducerPoller[] pollers = new SingleProducerPoller[producers];
                RingBuffer<Slot>[] partitionRings = new RingBuffer[producers];
                boolean[] carriesWatermark = new boolean[producers];
                for (int i = 0; i < producers; i++) {
                    partitionRings[i] = rings[i][p];
                    pollers[i] = new SingleProducerPoller(rings[i][p]);
                    carriesWatermark[i] = true;
                }
                TaskContext context = Fixtures.context(query, "keyed1-" + p);
                PartitionWorker worker = new PartitionWorker(context, pollers, partitionRings, carriesWatermark, false, 0, clock);
                RecordingLink<WindowedValue<String, List<Object>>> out = new RecordingLink<>();
                List<String> lateRecords = new ArrayList<>();
                WindowAggregateOperator<String, Event, Object[], List<Object>> operator = new WindowAggregateOperator<>(
                    WindowAssigner.tumbling(10), Event::ts, COUNT_AND_SUM, OutputMode.APPEND, r -> lateRecords.add(r.toString()));
                KeyedHead<String, Event, WindowedValue<String, List<Object>>> head =
                    KeyedHead.create(operator, out, List.of(), context, "window", null);
                worker.head(head);
                workers.add(worker);
                heads.add(head);
                rows.add(out);
                late.add(lateRecords);
            }
        }

        /** One producer's step, published, then every worker run until it has nothing left. */
        void step(int producer, Object step) {
            PreAggregatingLink<String, Event, Object[]> link = links.get(producer);
            if (step instanceof Event event) {
                link.emit(event);
            } else if (step instanceof Long watermark) {
                link.onWatermark(watermark);
            } else if (step instanceof String epoch) {
                link.onEpoch(Long.parseLong(epoch));
                assertThat(link.preAggregator().heldPartials()).as("nothing held past a barrier").isZero();
            } else {
                link.onEnd(true);
            }
            producerContexts.get(producer).flushExchanges();
            drain();
        }

        void drain() {
            for (int p = 0; p < workers.size(); p++) {
                if (ended[p]) {
                    continue;
                }
                try {
                    while (workers.get(p).doWork() > 0) {
                        // until idle
                    }
                } catch (AgentTerminationException finished) {
                    ended[p] = true;
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
                if (heads.get(p).stateMetrics() != null) {
                    figures.add(p + ": " + heads.get(p).stateMetrics());
                }
            }
        }

        List<List<String>> rowsByPartition() {
            List<List<String>> all = new ArrayList<>();
            for (RecordingLink<?> link : rows) {
                all.add(link.take());
            }
            return all;
        }
    }

    /** One producer's script: records (some late), then its watermark when it rose, and barriers now and then. */
    static List<Object> script(SplittableRandom random, int records, int epochs) {
        List<Object> steps = new ArrayList<>();
        long clockMs = 0;
        long maxTs = Long.MIN_VALUE;
        long emitted = Long.MIN_VALUE;
        int keys = 1 + random.nextInt(10);
        int epoch = 0;
        for (int i = 0; i < records; i++) {
            clockMs += random.nextInt(3);
            long ts = random.nextInt(8) == 0 ? clockMs - 10 - random.nextInt(15) : clockMs + random.nextInt(5) - 2;
            steps.add(new Event("k" + random.nextInt(keys), ts, random.nextInt(100)));
            maxTs = Math.max(maxTs, ts);
            if (maxTs - DELAY_MS > emitted) {
                emitted = maxTs - DELAY_MS;
                steps.add(emitted);
            }
            if (epoch < epochs - 1 && random.nextInt(records / epochs + 1) == 0) {
                steps.add(String.valueOf(epoch++));
            }
        }
        while (epoch < epochs) {
            steps.add(String.valueOf(epoch++));
        }
        steps.add(Boolean.TRUE);
        return steps;
    }

    @Test
    void shouldEmitTheSameRowsLateRecordsAndFiguresThroughRingsWithAndWithoutPreAggregation() {
        long partials = 0;
        for (long seed = 0; seed < 60; seed++) {
            int partitions = 1 + (int) (seed % 3);
            List<Object> steps = script(new SplittableRandom(seed), 300, 4);
            Stage plain = new Stage(1, partitions, false);
            Stage pre = new Stage(1, partitions, true);
            for (Object step : steps) {
                plain.step(0, step);
                pre.step(0, step);
            }
            String seen = "seed " + seed + ", " + partitions + " partitions";
            assertThat(pre.rowsByPartition()).as(seen).isEqualTo(plain.rowsByPartition());
            assertThat(pre.late).as(seen).isEqualTo(plain.late);
            assertThat(pre.figures).as(seen).isEqualTo(plain.figures);
            assertThat(pre.ended).as(seen).containsOnly(true);
            for (TaskContext keyed : pre.workers.stream().map(PartitionWorker::context).toList()) {
                partials += keyed.recordsIn.get();
            }
        }
        assertThat(partials).isPositive();
    }

    @Test
    void shouldEmitTheSameRowsAndLateRecordsFromTwoProducersCombinedByMinimum() {
        for (long seed = 0; seed < 40; seed++) {
            int partitions = 1 + (int) (seed % 3);
            SplittableRandom random = new SplittableRandom(seed);
            List<Object> a = script(random.split(), 200, 3);
            List<Object> b = script(random.split(), 200, 3);
            // One interleaving of the two producers, the same for both runs; barriers align at the workers.
            List<int[]> order = new ArrayList<>();
            int i = 0;
            int j = 0;
            while (i < a.size() || j < b.size()) {
                if (j >= b.size() || (i < a.size() && random.nextBoolean())) {
                    order.add(new int[] {0, i++});
                } else {
                    order.add(new int[] {1, j++});
                }
            }
            Stage plain = new Stage(2, partitions, false);
            Stage pre = new Stage(2, partitions, true);
            for (int[] step : order) {
                Object s = (step[0] == 0 ? a : b).get(step[1]);
                plain.step(step[0], s);
                pre.step(step[0], s);
            }
            String seen = "seed " + seed + ", " + partitions + " partitions";
            List<List<String>> plainRows = plain.rowsByPartition();
            List<List<String>> preRows = pre.rowsByPartition();
            for (int p = 0; p < partitions; p++) {
                // Rows of one window may come in another order: the other producer's records interleave differently
                // with a partial than with the records it stands for.
                assertThat(preRows.get(p)).as(seen).containsExactlyInAnyOrderElementsOf(plainRows.get(p));
                assertThat(pre.late.get(p)).as(seen).containsExactlyInAnyOrderElementsOf(plain.late.get(p));
            }
            assertThat(pre.figures).as(seen).isEqualTo(plain.figures);
        }
    }

    @Test
    void shouldPublishEveryPartialAheadOfTheBarrierThatFollowsIt() {
        Stage stage = new Stage(1, 2, true);
        stage.step(0, new Event("a", 1, 5));
        stage.step(0, new Event("b", 2, 7));
        assertThat(stage.rowsByPartition()).allMatch(List::isEmpty);
        assertThat(stage.links.get(0).preAggregator().heldRecords()).isEqualTo(2);
        stage.step(0, "0");
        assertThat(stage.links.get(0).preAggregator().heldRecords()).isZero();
        long rowsHeld = 0;
        for (KeyedHead<?, ?, ?> head : stage.heads) {
            rowsHeld += head.stateMetrics().numRowsTotal();
        }
        assertThat(rowsHeld).as("both rows reached the keyed stage before its barrier").isEqualTo(2);
    }

    @Test
    void shouldSendARecordOfAWindowBelowTheRestoredWatermarkAsARecord() {
        Stage stage = new Stage(1, 1, false);
        stage.links.get(0).enable(20);
        stage.step(0, new Event("a", 15, 1));
        assertThat(stage.links.get(0).preAggregator().heldRecords()).as("window [10, 20) is closed").isZero();
        assertThat(stage.workers.get(0).context().recordsIn.get()).as("it reached the worker as a record at once").isEqualTo(1);
        stage.step(0, new Event("a", 25, 1));
        assertThat(stage.links.get(0).preAggregator().heldRecords()).isEqualTo(1);
    }
}
