package io.rivulet.engine;

import io.rivulet.engine.internal.OperatorContext;
import io.rivulet.engine.internal.PlanNode;
import io.rivulet.operators.KeyedOperator;
import io.rivulet.operators.Output;
import io.rivulet.operators.StateMetrics;
import io.rivulet.operators.StatefulOperator;
import io.rivulet.operators.dstream.DStreamSettings;
import io.rivulet.operators.state.CheckpointedOperator;
import io.rivulet.operators.state.OperatorSnapshot;
import io.rivulet.operators.state.SnapshotInput;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * How the DStream operations become keyed plan nodes: a {@link Factory} per node (which carries the
 * batch interval, so that {@code start()} checks it against the trigger) and an {@link Adapter} that
 * hands an {@code io.rivulet.operators.dstream} operator the value of each record. Not public API.
 */
final class DStreamOperators {
    private DStreamOperators() {
    }

    /**
     * Creates a DStream operator per partition; refuses to run outside micro-batch mode.
     *
     * @param <K> key type
     * @param <I> record type on the stream
     * @param <V> value type the operator sees
     * @param <O> output type
     */
    static final class Factory<K, I, V, O> implements Function<OperatorContext, KeyedOperator<K, I, O>> {
        final String operation;
        final long batchIntervalMs;
        private final Function<? super I, ? extends V> value;
        private final Function<DStreamSettings<K, V>, ? extends KeyedOperator<K, V, O>> create;

        Factory(String operation, long batchIntervalMs, Function<? super I, ? extends V> value,
                Function<DStreamSettings<K, V>, ? extends KeyedOperator<K, V, O>> create) {
            this.operation = operation;
            this.batchIntervalMs = batchIntervalMs;
            this.value = value;
            this.create = create;
        }

        @Override
        public KeyedOperator<K, I, O> apply(OperatorContext context) {
            if (!context.microBatch()) {
                throw new IllegalStateException("DStream operation " + operation + " runs only in micro-batch mode:"
                    + " a DStream's batches are the query's micro-batches (Trigger.processingTime(batchInterval))");
            }
            DStreamSettings<K, V> settings = DStreamSettings.<K, V>of(batchIntervalMs)
                .withKeyGroups(context.maxParallelism(), context.keyGroups());
            return new Adapter<>(create.apply(settings), value);
        }
    }

    /**
     * Checks, at {@code start()}, that every DStream operation in the plan runs with its batch
     * interval as the query's trigger.
     *
     * @throws IllegalArgumentException naming the operation, its interval and the rule
     */
    static void checkTrigger(PlanNode<?> root, Trigger trigger) {
        Deque<PlanNode<?>> todo = new ArrayDeque<>();
        Set<PlanNode<?>> seen = new HashSet<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            PlanNode<?> node = todo.pop();
            if (!seen.add(node)) {
                continue;
            }
            if (node instanceof PlanNode.KeyedNode<?, ?, ?> keyed && keyed.factory() instanceof Factory<?, ?, ?, ?> factory) {
                Duration interval = Duration.ofMillis(factory.batchIntervalMs);
                if (trigger.kind() != Trigger.Kind.PROCESSING_TIME || !trigger.interval().equals(interval)) {
                    throw new IllegalArgumentException("DStream operation " + factory.operation + " has batch interval "
                        + interval + " but the query's trigger is " + trigger + ": a DStream's batches are the query's"
                        + " micro-batches, so the trigger must be Trigger.processingTime(" + interval + ") (DStream."
                        + "writeStream sets it)");
                }
            }
            for (PlanNode<?> input : node.inputs()) {
                todo.push(input);
            }
        }
    }

    /** Hands the wrapped operator each record's value; forwards every callback and the checkpoint calls. */
    static final class Adapter<K, I, V, O> implements KeyedOperator<K, I, O>, CheckpointedOperator, StatefulOperator {
        private final KeyedOperator<K, V, O> operator;
        private final CheckpointedOperator checkpointed;
        private final StatefulOperator stateful;
        private final Function<? super I, ? extends V> value;

        Adapter(KeyedOperator<K, V, O> operator, Function<? super I, ? extends V> value) {
            this.operator = Objects.requireNonNull(operator, "operator");
            this.checkpointed = (CheckpointedOperator) operator;
            this.stateful = (StatefulOperator) operator;
            this.value = value;
        }

        @Override
        public void process(K key, I record, Output<O> out) {
            operator.process(key, value.apply(record), out);
        }

        @Override
        public void onWatermark(long watermarkMs, Output<O> out) {
            operator.onWatermark(watermarkMs, out);
        }

        @Override
        public void onProcessingTime(long nowMs, Output<O> out) {
            operator.onProcessingTime(nowMs, out);
        }

        @Override
        public boolean usesProcessingTime() {
            return operator.usesProcessingTime();
        }

        @Override
        public long nextProcessingTimeMs() {
            return operator.nextProcessingTimeMs();
        }

        @Override
        public void onEpoch(long epochId, Output<O> out) {
            operator.onEpoch(epochId, out);
        }

        @Override
        public void onEnd(Output<O> out) {
            operator.onEnd(out);
        }

        @Override
        public OperatorSnapshot snapshotState(long epochId) {
            return checkpointed.snapshotState(epochId);
        }

        @Override
        public void restoreKeyGroup(int keyGroup, SnapshotInput in) {
            checkpointed.restoreKeyGroup(keyGroup, in);
        }

        @Override
        public void restoreOperatorState(SnapshotInput in) {
            checkpointed.restoreOperatorState(in);
        }

        @Override
        public void withoutSnapshots() {
            checkpointed.withoutSnapshots();
        }

        @Override
        public void stateMetrics(StateMetrics into) {
            stateful.stateMetrics(into);
        }
    }
}
