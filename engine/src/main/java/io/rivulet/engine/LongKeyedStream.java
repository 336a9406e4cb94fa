package io.rivulet.engine;

import io.rivulet.engine.internal.LongKeyFunction;
import io.rivulet.engine.internal.OperatorContext;
import io.rivulet.engine.internal.PlanNode;
import io.rivulet.operators.LongKeyValue;
import io.rivulet.operators.function.LongFoldFunction;
import io.rivulet.operators.keyed.EmitPolicy;
import io.rivulet.operators.keyed.LongKeyedAggregateOperator;

import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * A stream partitioned by a primitive {@code long} key ({@link Stream#keyByLong}): every record of
 * one key goes to the same partition, in order, where a running aggregation keeps the key's
 * {@code long} state. The primitive counterpart of {@link KeyedStream}'s running aggregations
 * ({@code count}, {@code aggregate}, {@code reduce}): the key travels through the exchange unboxed and
 * the state lives in a primitive table, so no record allocates (under {@link EmitPolicy#ON_EPOCH};
 * {@link EmitPolicy#EVERY_RECORD} allocates its output, one {@link LongKeyValue} per record). Checkpoints,
 * restore into another partition count, queryable state ({@link Stream#queryableAs}, read with a
 * {@code Long} key) and the emit policies behave as the boxed ones, except that {@link EmitPolicy#ON_EPOCH}
 * emits an epoch's changed keys in an unspecified order (not first-change order); in micro-batch mode and in complete
 * output mode the policy is chosen by the query, as for {@link KeyedStream#aggregate}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param <T> record type
 */
public final class LongKeyedStream<T> {
    private final Rivulet rivulet;
    private final PlanNode<T> input;
    private final LongKeyFunction<T> keyFunction;
    private final int partitions;
    private final RecordCopier<T> copier;
    /** What the key is, for the checkpoint's stateful plan, or {@code null} when the user did not say. */
    private final String keyName;
    /** The {@code withWatermark} whose records these are, unchanged, or {@code null}. */
    private final PlanNode.WatermarkNode<T> eventTime;

    LongKeyedStream(Rivulet rivulet, PlanNode<T> input, ToLongFunction<? super T> keyFunction, int partitions,
                    String keyName, PlanNode.WatermarkNode<T> eventTime) {
        this(rivulet, input, new LongKeyFunction<>(keyFunction), partitions, null, keyName, eventTime);
    }

    private LongKeyedStream(Rivulet rivulet, PlanNode<T> input, LongKeyFunction<T> keyFunction, int partitions,
                            RecordCopier<T> copier, String keyName, PlanNode.WatermarkNode<T> eventTime) {
        this.rivulet = rivulet;
        this.input = input;
        this.keyFunction = keyFunction;
        this.partitions = partitions;
        this.copier = copier;
        this.keyName = keyName;
        this.eventTime = eventTime;
    }

    /**
     * Copies records into the exchange's pre-allocated ring slots instead of passing references, so a
     * source may reuse one record instance for every event; see {@link KeyedStream#copyingRecords}.
     *
     * @param copier creates and copies records
     * @return a copy of this stream that copies records across the exchange
     */
    public LongKeyedStream<T> copyingRecords(RecordCopier<T> copier) {
        return new LongKeyedStream<>(rivulet, input, keyFunction, partitions, Objects.requireNonNull(copier, "copier"),
            keyName, eventTime);
    }

    /**
     * Running count per key, emitting {@code (key, count)} after every record.
     *
     * @return the stream of counts
     */
    public Stream<LongKeyValue> count() {
        return count(EmitPolicy.EVERY_RECORD);
    }

    /**
     * Running count per key.
     *
     * @param emitPolicy after every record, once per changed key per epoch, or every key per epoch
     * @return the stream of counts
     */
    public Stream<LongKeyValue> count(EmitPolicy emitPolicy) {
        Objects.requireNonNull(emitPolicy, "emitPolicy");
        return aggregation("count", context -> LongKeyedAggregateOperator.<T>count(KeyedStream.emitPolicyFor(context, emitPolicy),
            context.maxParallelism(), context.keyGroups()));
    }

    /**
     * Running {@code long} sum per key, emitting {@code (key, sum)} after every record.
     *
     * @param value the value of a record; its throw goes to the query's {@link ErrorPolicy}
     * @return the stream of sums (overflow wraps, as {@code long} addition)
     */
    public Stream<LongKeyValue> sum(ToLongFunction<? super T> value) {
        return sum(value, EmitPolicy.EVERY_RECORD);
    }

    /**
     * Running {@code long} sum per key.
     *
     * @param value the value of a record
     * @param emitPolicy after every record, once per changed key per epoch, or every key per epoch
     * @return the stream of sums (overflow wraps, as {@code long} addition)
     */
    public Stream<LongKeyValue> sum(ToLongFunction<? super T> value, EmitPolicy emitPolicy) {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(emitPolicy, "emitPolicy");
        return aggregation("sum", context -> LongKeyedAggregateOperator.<T>sum(value, KeyedStream.emitPolicyFor(context, emitPolicy),
            context.maxParallelism(), context.keyGroups()));
    }

    /**
     * Running fold of each key's records into a {@code long} state (a maximum, a bit set, a
     * checksum), emitting {@code (key, state)} after every record.
     *
     * @param initial a key's state before its first record
     * @param fn folds a record into the state; its throw goes to the query's {@link ErrorPolicy}
     * @return the stream of states
     */
    public Stream<LongKeyValue> aggregateLong(long initial, LongFoldFunction<? super T> fn) {
        return aggregateLong(initial, fn, EmitPolicy.EVERY_RECORD);
    }

    /**
     * Running fold of each key's records into a {@code long} state.
     *
     * @param initial a key's state before its first record
     * @param fn folds a record into the state
     * @param emitPolicy after every record, once per changed key per epoch, or every key per epoch
     * @return the stream of states
     */
    public Stream<LongKeyValue> aggregateLong(long initial, LongFoldFunction<? super T> fn, EmitPolicy emitPolicy) {
        Objects.requireNonNull(fn, "fn");
        Objects.requireNonNull(emitPolicy, "emitPolicy");
        return aggregation("aggregateLong", context -> new LongKeyedAggregateOperator<T>(initial, fn,
            KeyedStream.emitPolicyFor(context, emitPolicy), context.maxParallelism(), context.keyGroups()));
    }

    private Stream<LongKeyValue> aggregation(String operation,
                                             Function<OperatorContext, LongKeyedAggregateOperator<T>> factory) {
        String description = operation + "(" + (keyName == null ? "key" : keyName) + ": long)";
        return new Stream<>(rivulet, new PlanNode.KeyedNode<Long, T, LongKeyValue>(description, PlanNode.KeyedKind.AGGREGATION,
            input, keyFunction, partitions, null, copier, Map.of(), keyName, factory));
    }

    @Override
    public String toString() {
        return "LongKeyedStream(" + (keyName == null ? "key" : keyName) + ")";
    }
}
