package io.rivulet.engine.internal;

import io.rivulet.operators.Output;
import io.rivulet.operators.QueryableOperator;
import io.rivulet.operators.StateMetrics;
import io.rivulet.operators.StatefulOperator;
import io.rivulet.operators.TwoInputLongKeyedOperator;
import io.rivulet.operators.join.JoinBuffers;
import io.rivulet.operators.join.JoinRowLayout;
import io.rivulet.operators.join.JoinSettings;
import io.rivulet.operators.join.LongJoinFunction;
import io.rivulet.operators.join.StreamStreamJoinOperator;
import io.rivulet.operators.state.CheckpointedOperator;
import io.rivulet.operators.state.OperatorSnapshot;
import io.rivulet.operators.state.SnapshotInput;

import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * Interim long-key join: the boxed {@link StreamStreamJoinOperator} behind the
 * {@link TwoInputLongKeyedOperator} contract, until {@code operators.join.StreamStreamLongJoinOperator}
 * replaces it (then this class goes). It boxes each key and, for a side with a {@link JoinRowLayout},
 * buffers a private copy of the row made through the layout (so, as the long-key operator will, it
 * keeps no reference to an input record, and {@code copyingRecords} is safe); the side's event time is
 * read from the original row. Semantics, figures, snapshots and queryable state are the boxed
 * operator's; it allocates per record.
 *
 * <p>Not thread-safe; owned by the partition worker.
 *
 * @param <L> left row type
 * @param <R> right row type
 * @param <O> output type
 */
public final class BoxedLongJoinOperator<L, R, O> implements TwoInputLongKeyedOperator<L, R, O>, CheckpointedOperator,
    StatefulOperator, QueryableOperator<Long, JoinBuffers<L, R>> {
    private final StreamStreamJoinOperator<Long, L, R, O> join;
    private final JoinRowLayout<L> leftLayout;
    private final JoinRowLayout<R> rightLayout;
    private final long[] leftColumns;
    private final long[] rightColumns;
    private final ToLongFunction<? super L> leftTimeMs;
    private final ToLongFunction<? super R> rightTimeMs;
    /** The event time of the row being processed, read from the original row before it is copied. */
    private long currentTimeMs;

    private BoxedLongJoinOperator(LongJoinFunction<L, R, O> fn, JoinSettings<Long, L, R> settings) {
        Objects.requireNonNull(fn, "fn");
        this.leftLayout = settings.leftLayout();
        this.rightLayout = settings.rightLayout();
        this.leftColumns = leftLayout == null ? null : new long[leftLayout.width()];
        this.rightColumns = rightLayout == null ? null : new long[rightLayout.width()];
        this.leftTimeMs = settings.leftTimeMs();
        this.rightTimeMs = settings.rightTimeMs();
        JoinSettings<Long, L, R> boxed = settings;
        if (leftTimeMs != null && rightTimeMs != null && (leftLayout != null || rightLayout != null)) {
            // The boxed operator reads a row's time once, from the row it is handed: the copy.
            boxed = settings.withEventTimes(
                leftLayout == null ? settings.leftTimeMs() : row -> currentTimeMs,
                rightLayout == null ? settings.rightTimeMs() : row -> currentTimeMs);
        }
        this.join = StreamStreamJoinOperator.of((k, l, r) -> fn.join(k, l, r), boxed);
    }

    /**
     * @param fn builds each output row
     * @param settings join type, range, event times, row layouts...
     * @param <L> left row type
     * @param <R> right row type
     * @param <O> output type
     * @return the operator
     * @throws IllegalArgumentException if the settings break a rule of {@link JoinSettings#validate()}
     */
    public static <L, R, O> BoxedLongJoinOperator<L, R, O> of(LongJoinFunction<L, R, O> fn, JoinSettings<Long, L, R> settings) {
        return new BoxedLongJoinOperator<>(fn, Objects.requireNonNull(settings, "settings"));
    }

    @Override
    public void processLong(long key, L record, Output<O> out) {
        L row = record;
        if (leftLayout != null) {
            currentTimeMs = leftTimeMs == null ? 0 : leftTimeMs.applyAsLong(record);
            leftLayout.write(record, leftColumns, 0);
            row = leftLayout.read(leftColumns, 0, null);
        }
        join.process(key, row, out);
    }

    @Override
    public void processRightLong(long key, R record, Output<O> out) {
        R row = record;
        if (rightLayout != null) {
            currentTimeMs = rightTimeMs == null ? 0 : rightTimeMs.applyAsLong(record);
            rightLayout.write(record, rightColumns, 0);
            row = rightLayout.read(rightColumns, 0, null);
        }
        join.processRight(key, row, out);
    }

    @Override
    public void onWatermark(long watermarkMs, Output<O> out) {
        join.onWatermark(watermarkMs, out);
    }

    @Override
    public void onEpoch(long epochId, Output<O> out) {
        join.onEpoch(epochId, out);
    }

    @Override
    public void onEnd(Output<O> out) {
        join.onEnd(out);
    }

    @Override
    public OperatorSnapshot snapshotState(long epochId) {
        return join.snapshotState(epochId);
    }

    @Override
    public void restoreKeyGroup(int keyGroup, SnapshotInput in) {
        join.restoreKeyGroup(keyGroup, in);
    }

    @Override
    public void restoreOperatorState(SnapshotInput in) {
        join.restoreOperatorState(in);
    }

    @Override
    public void stateMetrics(StateMetrics into) {
        join.stateMetrics(into);
    }

    /**
     * @param leftInto filled with the left side's figures
     * @param rightInto filled with the right side's figures
     * @see StreamStreamJoinOperator#stateMetrics(StateMetrics, StateMetrics)
     */
    public void stateMetrics(StateMetrics leftInto, StateMetrics rightInto) {
        join.stateMetrics(leftInto, rightInto);
    }

    @Override
    public JoinBuffers<L, R> queryValue(Long key) {
        return join.queryValue(key);
    }

    @Override
    public void scanValues(Predicate<? super Long> keys, BiConsumer<? super Long, ? super JoinBuffers<L, R>> into) {
        join.scanValues(keys, into);
    }
}
