package io.rivulet.engine;

import io.rivulet.engine.runtime.OperatorContext;
import io.rivulet.engine.runtime.PlanNode;
import io.rivulet.operators.OutputMode;
import io.rivulet.operators.KeyValue;
import io.rivulet.operators.KeyedOperator;
import io.rivulet.operators.function.AggregateFunction;
import io.rivulet.operators.function.Aggregates;
import io.rivulet.operators.function.ReduceFunction;
import io.rivulet.operators.keyed.EmitPolicy;
import io.rivulet.operators.keyed.KeyedAggregateOperator;
import io.rivulet.operators.keyed.KeyedReduceOperator;

import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A stream partitioned by key: every record of one key goes to the same partition, in order, where a
 * keyed operator holds that key's state.
 *
 * <p>Immutable and thread-safe.
 *
 * @param <K> key type
 * @param <T> record type
 */
public final class KeyedStream<K, T> {
    private final Rivulet rivulet;
    private final PlanNode<T> input;
    private final Function<? super T, ? extends K> keyFunction;
    private final int partitions;

    KeyedStream(Rivulet rivulet, PlanNode<T> input, Function<? super T, ? extends K> keyFunction, int partitions) {
        this.rivulet = rivulet;
        this.input = input;
        this.keyFunction = keyFunction;
        this.partitions = partitions;
    }

    /**
     * Running reduce per key, emitting the reduced value after every record.
     *
     * @param fn combines the reduced value with the next record; a throw fails the query
     * @return the stream of reduced values
     */
    public Stream<T> reduce(ReduceFunction<T> fn) {
        return reduce(fn, EmitPolicy.EVERY_RECORD);
    }

    /**
     * Running reduce per key.
     *
     * @param fn combines the reduced value with the next record
     * @param emitPolicy after every record, or once per changed key per epoch
     * @return the stream of reduced values
     */
    public Stream<T> reduce(ReduceFunction<T> fn, EmitPolicy emitPolicy) {
        Objects.requireNonNull(fn, "fn");
        Objects.requireNonNull(emitPolicy, "emitPolicy");
        return keyed("reduce", PlanNode.KeyedKind.AGGREGATION,
            context -> new KeyedReduceOperator<K, T>(fn, emitPolicyFor(context, emitPolicy)));
    }

    /**
     * Running aggregate per key, emitting {@code (key, result)} after every record.
     *
     * @param fn the aggregate
     * @param <A> accumulator type
     * @param <R> result type
     * @return the stream of per-key results
     */
    public <A, R> Stream<KeyValue<K, R>> aggregate(AggregateFunction<? super T, A, R> fn) {
        return aggregate(fn, EmitPolicy.EVERY_RECORD);
    }

    /**
     * Running aggregate per key.
     *
     * @param fn the aggregate
     * @param emitPolicy after every record, or once per changed key per epoch
     * @param <A> accumulator type
     * @param <R> result type
     * @return the stream of per-key results
     */
    public <A, R> Stream<KeyValue<K, R>> aggregate(AggregateFunction<? super T, A, R> fn, EmitPolicy emitPolicy) {
        Objects.requireNonNull(fn, "fn");
        Objects.requireNonNull(emitPolicy, "emitPolicy");
        return keyed("aggregate", PlanNode.KeyedKind.AGGREGATION,
            context -> new KeyedAggregateOperator<K, T, A, R>(fn, emitPolicyFor(context, emitPolicy)));
    }

    /**
     * Running count per key, emitting {@code (key, count)} after every record.
     *
     * @return the stream of counts
     */
    public Stream<KeyValue<K, Long>> count() {
        return aggregate(Aggregates.<T>count());
    }

    /**
     * Running count per key.
     *
     * @param emitPolicy after every record, or once per changed key per epoch
     * @return the stream of counts
     */
    public Stream<KeyValue<K, Long>> count(EmitPolicy emitPolicy) {
        return aggregate(Aggregates.<T>count(), emitPolicy);
    }

    /**
     * Applies a custom keyed operator; one instance runs per partition.
     *
     * @param name how the operator shows in plans and errors
     * @param factory creates one operator per partition
     * @param <R> output type
     * @return the operator's output
     */
    public <R> Stream<R> process(String name, Supplier<? extends KeyedOperator<K, T, R>> factory) {
        Objects.requireNonNull(factory, "factory");
        return keyed(name, PlanNode.KeyedKind.STATEFUL, context -> factory.get());
    }

    <R> Stream<R> keyed(String name, PlanNode.KeyedKind kind,
                        Function<OperatorContext, ? extends KeyedOperator<K, T, R>> factory) {
        return new Stream<>(rivulet, new PlanNode.KeyedNode<>(name, kind, input, keyFunction, partitions, factory));
    }

    /**
     * The emit policy a running aggregation gets in a query: complete mode emits every key each
     * epoch; micro-batch update mode emits each changed key once per batch (Spark's rule); otherwise
     * the policy asked for.
     */
    static EmitPolicy emitPolicyFor(OperatorContext context, EmitPolicy requested) {
        if (context.outputMode() == OutputMode.COMPLETE) {
            return EmitPolicy.ALL_ON_EPOCH;
        }
        if (context.microBatch()) {
            return EmitPolicy.ON_EPOCH;
        }
        return requested;
    }

    Rivulet rivulet() {
        return rivulet;
    }

    PlanNode<T> input() {
        return input;
    }

    Function<? super T, ? extends K> keyFunction() {
        return keyFunction;
    }

    int partitions() {
        return partitions;
    }
}
