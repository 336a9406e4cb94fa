package io.rivulet.operators.window;

import io.rivulet.operators.OutputMode;
import io.rivulet.operators.StateMetrics;
import io.rivulet.operators.function.AggregateFunction;
import io.rivulet.operators.function.Aggregates;
import io.rivulet.operators.state.KeyGroupBuffers;
import io.rivulet.operators.state.KeyGroups;
import io.rivulet.operators.state.OperatorSnapshot;
import io.rivulet.operators.state.SnapshotInput;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Local-global window aggregation is invisible: one producer feeding 1–3 keyed partitions, with and without a
 * {@link WindowPreAggregator} in front of the exchange (kept to its rules: flush up to a watermark before
 * forwarding it, flush all before a barrier, records of closed windows sent on as records), gives every
 * partition the same rows in the same order, the same late records and the same state figures at every epoch,
 * on random out-of-order streams with late records; and so does a restore from a checkpoint taken with
 * pre-aggregation on, continued with it off or on.
 */
class WindowPreAggregationEquivalenceTest {
    private static final int MAX_PARALLELISM = 128;
    private static final long DELAY_MS = 4;

    record Event(String key, long ts, long value) {
    }

    /** Count and sum in a mutable {@code Object[]} of {@code long[]}s. */
    private static final AggregateFunction<Event, Object[], List<Object>> MUTABLE =
        Aggregates.of(Aggregates.count(), Aggregates.sumLong(Event::value));

    /** An immutable sum: {@code add} and {@code merge} return new accumulators. */
    private static final AggregateFunction<Event, Long, Long> IMMUTABLE = new AggregateFunction<>() {
        @Override
        public Long createAccumulator() {
            return 0L;
        }

        @Override
        public Long add(Long sum, Event event) {
            return sum + event.value();
        }

        @Override
        public Long merge(Long a, Long b) {
            return a + b;
        }

        @Override
        public Long result(Long sum) {
            return sum;
        }
    };

    sealed interface Step permits Rec, Watermark, Epoch, End {
    }

    record Rec(Event event) implements Step {
    }

    record Watermark(long ms) implements Step {
    }

    record Epoch(long id) implements Step {
    }

    record End() implements Step {
    }

    /** As a {@code withWatermark} link emits them: each record, then the watermark if it rose; late records now and then. */
    static List<Step> script(long seed, int records) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Step> steps = new ArrayList<>();
        long clock = 0;
        long maxTs = Long.MIN_VALUE;
        long emitted = Long.MIN_VALUE;
        long epoch = 0;
        int keys = 1 + random.nextInt(12);
        for (int i = 0; i < records; i++) {
            clock += random.nextInt(3);
            long ts = random.nextInt(8) == 0 ? clock - 10 - random.nextInt(15) : clock + random.nextInt(5) - 2;
            String key = "k" + random.nextInt(keys);
            steps.add(new Rec(new Event(key, ts, random.nextInt(100))));
            maxTs = Math.max(maxTs, ts);
            if (maxTs - DELAY_MS > emitted) {
                emitted = maxTs - DELAY_MS;
                steps.add(new Watermark(emitted));
            }
            if (random.nextInt(15) == 0) {
                steps.add(new Epoch(epoch++));
            }
        }
        steps.add(new Epoch(epoch));
        steps.add(new End());
        return steps;
    }

    /** The keyed stage's partitions and, in front of the exchange, the pre-aggregator if on. */
    static final class Run<A> {
        final AggregateFunction<Event, A, ?> fn;
        final int partitions;
        final int[] table;
        final List<WindowAggregateOperator<String, Event, A, ?>> operators = new ArrayList<>();
        WindowPreAggregator<String, Event, A> pre;
        final List<List<String>> rows = new ArrayList<>();
        final List<List<String>> late = new ArrayList<>();
        final List<String> figures = new ArrayList<>();
        long partialsSent;
        long recordsSent;

        Run(AggregateFunction<Event, A, ?> fn, int partitions, boolean preAggregate) {
            this.fn = fn;
            this.partitions = partitions;
            this.table = KeyGroups.partitionTable(MAX_PARALLELISM, partitions);
            for (int p = 0; p < partitions; p++) {
                rows.add(new ArrayList<>());
                late.add(new ArrayList<>());
                operators.add(newOperator(p));
            }
            pre = preAggregate ? new WindowPreAggregator<>(WindowAssigner.tumbling(10), Event::ts, fn) : null;
        }

        WindowAggregateOperator<String, Event, A, ?> newOperator(int p) {
            List<String> lateRecords = late.get(p);
            return new WindowAggregateOperator<>(WindowAssigner.tumbling(10), Event::ts, fn, OutputMode.APPEND,
                record -> lateRecords.add(record.toString()));
        }

        int partitionOf(String key) {
            return table[KeyGroups.keyGroupOf(key, MAX_PARALLELISM)];
        }

        void apply(Step step) {
            if (step instanceof Rec rec) {
                    Event event = rec.event();
                    if (pre == null || !pre.add(event.key(), event)) {
                        recordsSent++;
                        int p = partitionOf(event.key());
                        operators.get(p).process(event.key(), event, row -> rows.get(p).add(row.toString()));
                    }
            } else if (step instanceof Watermark watermark) {
                    if (pre != null) {
                        pre.flushUpTo(watermark.ms(), this::onPartial);
                    }
                    for (int p = 0; p < partitions; p++) {
                        int partition = p;
                        operators.get(p).onWatermark(watermark.ms(), row -> rows.get(partition).add(row.toString()));
                    }
            } else if (step instanceof Epoch epoch) {
                    if (pre != null) {
                        pre.flushAll(this::onPartial);
                    }
                    for (int p = 0; p < partitions; p++) {
                        int partition = p;
                        operators.get(p).onEpoch(epoch.id(), row -> rows.get(partition).add(row.toString()));
                        StateMetrics metrics = new StateMetrics();
                        operators.get(p).stateMetrics(metrics);
                        figures.add("epoch " + epoch.id() + " partition " + p + ": " + metrics);
                    }
            } else {
                    if (pre != null) {
                        pre.flushAll(this::onPartial);
                    }
                    for (int p = 0; p < partitions; p++) {
                        int partition = p;
                        operators.get(p).onEnd(row -> rows.get(partition).add(row.toString()));
                    }
            }
        }

        private void onPartial(String key, long start, A partial, int records) {
            partialsSent++;
            int p = partitionOf(key);
            operators.get(p).processPartial(key, start, partial, row -> rows.get(p).add(row.toString()));
        }

        /**
         * Checkpoints every partition after an epoch, and goes on from the checkpoint in fresh operators, with
         * pre-aggregation on (its floor the restored watermark, read from the operator state) or off.
         */
        void restart(long epochId, boolean preAggregate) {
            List<KeyGroupBuffers> saved = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                KeyGroupBuffers buffers = new KeyGroupBuffers(MAX_PARALLELISM, KeyGroups.rangeOf(p, MAX_PARALLELISM, partitions));
                OperatorSnapshot snapshot = operators.get(p).snapshotState(epochId);
                snapshot.writeTo(buffers);
                saved.add(buffers);
            }
            if (pre != null) {
                assertThat(pre.heldPartials()).as("nothing in flight at a barrier").isZero();
            }
            long floor = Long.MAX_VALUE;
            for (int p = 0; p < partitions; p++) {
                WindowAggregateOperator<String, Event, A, ?> fresh = newOperator(p);
                for (KeyGroupBuffers buffers : saved) {
                    buffers.restoreInto(fresh, KeyGroups.rangeOf(p, MAX_PARALLELISM, partitions));
                }
                operators.set(p, fresh);
                floor = Math.min(floor, WindowAggregateOperator.watermarkMsOf(new SnapshotInput(saved.get(p).operatorStateBytes())));
            }
            pre = null;
            if (preAggregate) {
                pre = new WindowPreAggregator<>(WindowAssigner.tumbling(10), Event::ts, fn);
                pre.closeUpTo(floor);
            }
        }
    }

    @Test
    void shouldGiveIdenticalRowsLateRecordsAndFiguresWithAndWithoutPreAggregationOnRandomStreams() {
        long partials = 0;
        long records = 0;
        for (long seed = 0; seed < 200; seed++) {
            int partitions = 1 + (int) (seed % 3);
            List<Step> steps = script(seed, 200 + (int) (seed % 7) * 60);
            for (AggregateFunction<Event, ?, ?> fn : List.<AggregateFunction<Event, ?, ?>>of(MUTABLE, IMMUTABLE)) {
                Run<?> plain = run(fn, partitions, false, steps);
                Run<?> pre = run(fn, partitions, true, steps);
                String seen = "seed " + seed + ", " + partitions + " partitions";
                assertThat(pre.rows).as(seen).isEqualTo(plain.rows);
                assertThat(pre.late).as(seen).isEqualTo(plain.late);
                assertThat(pre.figures).as(seen).isEqualTo(plain.figures);
                partials += pre.partialsSent;
                records += pre.recordsSent;
            }
        }
        assertThat(partials).as("the streams were pre-aggregated").isPositive();
        assertThat(records).as("some records of closed windows went on as records").isPositive();
    }

    @Test
    void shouldContinueIdenticallyFromACheckpointTakenWithPreAggregationWhetherItStaysOnOrNot() {
        for (long seed = 0; seed < 200; seed++) {
            int partitions = 1 + (int) (seed % 3);
            List<Step> steps = script(seed, 400);
            long epochs = steps.stream().filter(step -> step instanceof Epoch).count();
            long restartAfter = new SplittableRandom(seed).nextLong(epochs);
            Run<?> reference = run(MUTABLE, partitions, false, steps);
            Run<?> on = runWithRestart(partitions, steps, restartAfter, true);
            Run<?> off = runWithRestart(partitions, steps, restartAfter, false);
            String seen = "seed " + seed + ", " + partitions + " partitions, restart after epoch " + restartAfter;
            assertThat(on.rows).as(seen).isEqualTo(reference.rows);
            assertThat(off.rows).as(seen).isEqualTo(reference.rows);
            assertThat(on.late).as(seen).isEqualTo(reference.late);
            assertThat(off.late).as(seen).isEqualTo(reference.late);
            assertThat(on.figures).as(seen).isEqualTo(off.figures);
        }
    }

    private static <A> Run<A> run(AggregateFunction<Event, A, ?> fn, int partitions, boolean preAggregate, List<Step> steps) {
        Run<A> run = new Run<>(fn, partitions, preAggregate);
        steps.forEach(run::apply);
        return run;
    }

    private static Run<Object[]> runWithRestart(int partitions, List<Step> steps, long restartAfter, boolean thenOn) {
        Run<Object[]> run = new Run<>(MUTABLE, partitions, true);
        for (Step step : steps) {
            run.apply(step);
            if (step instanceof Epoch epoch && epoch.id() == restartAfter) {
                run.restart(epoch.id(), thenOn);
            }
        }
        return run;
    }
}
