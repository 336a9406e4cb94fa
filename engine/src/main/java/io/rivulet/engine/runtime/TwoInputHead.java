package io.rivulet.engine.runtime;

import io.rivulet.engine.RecordCopier;
import io.rivulet.operators.Output;
import io.rivulet.operators.StateMetrics;
import io.rivulet.operators.StatefulOperator;
import io.rivulet.operators.TwoInputKeyedOperator;
import io.rivulet.operators.TwoInputLongKeyedOperator;
import io.rivulet.operators.join.StreamStreamJoinOperator;
import io.rivulet.operators.join.StreamStreamLongJoinOperator;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The head of a two-input stage's partition: left records go to the operator's {@code process},
 * right records to its {@code processRight}, as the exchange marked them ({@link Slot#input}, or the
 * side of a {@link LocalExchange} input); in a {@code long}-keyed stage (a long-key join) the keys
 * stay unboxed, to {@code processLong} and {@code processRightLong}. Watermarks, epochs, processing
 * time and the end are the one-input head's.
 *
 * <p>Each side has its own late-row counter ({@link LateCounter}), handed to the operator as that
 * side's late output; the counts are published at each epoch end for progress. The first key of each
 * side is checked once: keys of two different value types (say {@code Integer} on one side, {@code Long}
 * on the other) could never be equal, so the stage fails naming both types rather than never matching.
 *
 * <p>A record the operator throws on goes to the task's error policy as in a one-input stage (the
 * query fails under the default policy). Not thread-safe; owned by the partition worker (or the
 * micro-batch driver, or the task a one-partition stage shares a thread with).
 */
final class TwoInputHead<K, L, R, O> extends KeyedHead<K, L, O> {
    /** Value types whose instances of different classes are never equal: keys of two of them cannot meet. */
    private static final Set<Class<?>> VALUE_TYPES = Set.of(String.class, Integer.class, Long.class, Short.class,
        Byte.class, Character.class, Double.class, Float.class, Boolean.class, BigInteger.class,
        BigDecimal.class, UUID.class);

    private final TwoInputKeyedOperator<K, L, R, O> twoInput;
    /** The operator, if it takes both inputs' {@code long} keys unboxed (a long-key join); else {@code null}. */
    private final TwoInputLongKeyedOperator<L, R, O> longTwoInput;
    private final LateCounter leftLate;
    private final LateCounter rightLate;
    private final RecordCopier<Object> rightCopier;
    private Class<?> leftKeyClass;
    private Class<?> rightKeyClass;
    private volatile long publishedLeftLate;
    private volatile long publishedRightLate;
    /** A stream-stream join's figures per side, as of the last epoch end; {@code null} for other operators. */
    private volatile StateMetrics[] publishedSides;

    /**
     * @param operator the partition's operator
     * @param next where its output goes
     * @param sideLinks its late-data and side-output links
     * @param context the partition's task context
     * @param stage the stage's name, for errors and failed records
     * @param leftCopier the left input's record copier, or {@code null}
     * @param rightCopier the right input's record copier, or {@code null}
     * @param leftLate counts (and forwards) the operator's late left rows
     * @param rightLate counts (and forwards) the operator's late right rows
     */
    @SuppressWarnings("unchecked")
    TwoInputHead(TwoInputKeyedOperator<K, L, R, O> operator, Link<O> next, List<Link<?>> sideLinks, TaskContext context,
                 String stage, RecordCopier<?> leftCopier, RecordCopier<?> rightCopier, LateCounter leftLate,
                 LateCounter rightLate) {
        super(operator, next, sideLinks, context, stage, leftCopier);
        this.twoInput = operator;
        this.longTwoInput = operator instanceof TwoInputLongKeyedOperator<?, ?, ?> l ? (TwoInputLongKeyedOperator<L, R, O>) l : null;
        this.rightCopier = (RecordCopier<Object>) rightCopier;
        this.leftLate = leftLate;
        this.rightLate = rightLate;
    }

    @Override
    @SuppressWarnings("unchecked")
    void onRecord(Object key, Object record) {
        if (leftKeyClass == null) {
            firstKey(key, Slot.LEFT);
        }
        try {
            twoInput.process((K) key, (L) record, next);
        } catch (RuntimeException e) {
            if (context.failures == null) {
                throw e;
            }
            onRecordFailure(record, e);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    void onRightRecord(Object key, Object record) {
        if (rightKeyClass == null) {
            firstKey(key, Slot.RIGHT);
        }
        try {
            twoInput.processRight((K) key, (R) record, next);
        } catch (RuntimeException e) {
            if (context.failures == null) {
                throw e;
            }
            onRightRecordFailure(record, e);
        }
    }

    /**
     * A left record of a {@code long}-keyed two-input stage: the key stays unboxed up to the operator's
     * {@code processLong}. Both inputs are keyed by {@code long}, so no key type check is needed.
     */
    @Override
    @SuppressWarnings("unchecked")
    void onLongRecord(long key, Object record) {
        try {
            if (longTwoInput != null) {
                longTwoInput.processLong(key, (L) record, next);
            } else {
                twoInput.process((K) (Object) key, (L) record, next);
            }
        } catch (RuntimeException e) {
            if (context.failures == null) {
                throw e;
            }
            onRecordFailure(record, e);
        }
    }

    /** A right record of a {@code long}-keyed two-input stage: to the operator's {@code processRightLong}. */
    @Override
    @SuppressWarnings("unchecked")
    void onLongRightRecord(long key, Object record) {
        try {
            if (longTwoInput != null) {
                longTwoInput.processRightLong(key, (R) record, next);
            } else {
                twoInput.processRight((K) (Object) key, (R) record, next);
            }
        } catch (RuntimeException e) {
            if (context.failures == null) {
                throw e;
            }
            onRightRecordFailure(record, e);
        }
    }

    /** Slow path: a copied right record goes on as a copy, since its instance is reused. */
    private void onRightRecordFailure(Object record, RuntimeException e) {
        Object failed = record;
        if (rightCopier != null) {
            failed = rightCopier.newInstance();
            rightCopier.copy(record, failed);
        }
        context.onRecordFailure(stage, failed, e);
    }

    /** Slow path, once per side: remembers the side's key type and rejects two value types that never meet. */
    private void firstKey(Object key, int side) {
        if (side == Slot.LEFT) {
            leftKeyClass = key.getClass();
        } else {
            rightKeyClass = key.getClass();
        }
        if (leftKeyClass != null && rightKeyClass != null && leftKeyClass != rightKeyClass
            && VALUE_TYPES.contains(leftKeyClass) && VALUE_TYPES.contains(rightKeyClass)) {
            throw new IllegalArgumentException("'" + stage + "': the left input's keys are " + leftKeyClass.getName()
                + " and the right input's keys are " + rightKeyClass.getName() + "; keys of different types are never"
                + " equal, so no key would meet its partner: key both inputs by the same type");
        }
    }

    /** A stream-stream join's figures are read per side (one read: it resets its interval counts); the sum is the operator's. */
    @Override
    StateMetrics readStateMetrics(StatefulOperator stateful) {
        StateMetrics left = new StateMetrics();
        StateMetrics right = new StateMetrics();
        if (twoInput instanceof StreamStreamJoinOperator<?, ?, ?, ?> join) {
            join.stateMetrics(left, right);
        } else if (twoInput instanceof StreamStreamLongJoinOperator<?, ?, ?> join) {
            join.stateMetrics(left, right);
        } else {
            return super.readStateMetrics(stateful);
        }
        publishedSides = new StateMetrics[] {left, right};
        return new StateMetrics().add(left).add(right);
    }

    /**
     * @return a stream-stream join's figures of the left and the right side as of the last epoch end,
     *     or {@code null} (another operator, or no epoch yet); any thread
     */
    StateMetrics[] sideStateMetrics() {
        return publishedSides;
    }

    @Override
    void publishFigures() {
        publishedLeftLate = leftLate.count();
        publishedRightLate = rightLate.count();
    }

    /**
     * @return late left rows the operator handed to its late output, as of the last epoch end (any thread)
     */
    long leftLateRows() {
        return publishedLeftLate;
    }

    /**
     * @return late right rows the operator handed to its late output, as of the last epoch end (any thread)
     */
    long rightLateRows() {
        return publishedRightLate;
    }

    /**
     * One side's late output of a two-input stage: counts each late row the operator hands it, then
     * passes it to the side's late-data sink, if one is set (else the row is dropped, counted). Not
     * thread-safe; owned by the partition's thread; {@link #count} is read there at epoch ends.
     */
    static final class LateCounter implements Output<Object> {
        private final Output<Object> sink;
        private long count;

        /**
         * @param sink the side's late-data output (a copying one if the side copies records), or
         *     {@code null} to drop late rows after counting them
         */
        LateCounter(Output<Object> sink) {
            this.sink = sink;
        }

        @Override
        public void emit(Object record) {
            count++;
            if (sink != null) {
                sink.emit(record);
            }
        }

        long count() {
            return count;
        }
    }
}
