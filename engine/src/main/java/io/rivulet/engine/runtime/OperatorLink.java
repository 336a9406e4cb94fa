package io.rivulet.engine.runtime;

import io.rivulet.operators.Operator;

import java.lang.invoke.MethodHandles;

/**
 * Runs one {@link Operator} inside a fused chain.
 *
 * <p>A record the operator's user function throws on goes to the task's error policy
 * ({@link TaskContext#onRecordFailure}) from a catch block around the call, which costs nothing
 * while nothing throws; under skip or dead-letter the chain goes on with the operator's next output
 * or the task's next record. A failure in a watermark, epoch or end callback is not a record's: it is
 * passed through to fail the query.
 *
 * <p>Not thread-safe; owned by the task running the chain.
 */
class OperatorLink<I, O> extends Link<I> {
    /** The constructor's parameter types, for clones. */
    private static final Class<?>[] CONSTRUCTOR = {Operator.class, Link.class, String.class, TaskContext.class};
    /** In a clone the exact class of its operator, else {@link Operator} ({@link StageClasses#target}). */
    static final Class<?> OPERATOR = StageClasses.target(MethodHandles.lookup(), 1, Operator.class);
    /** In a clone the exact class of its next link, else {@link Link}. */
    static final Class<?> NEXT = StageClasses.target(MethodHandles.lookup(), 2, Link.class);

    final Operator<I, O> operator;
    final Link<O> next;
    final String stage;
    final TaskContext context;

    /**
     * @param operator the operator
     * @param next where its output goes
     * @param stage the stage's name, for a failed record
     * @param context the task running the chain
     */
    OperatorLink(Operator<I, O> operator, Link<O> next, String stage, TaskContext context) {
        this.operator = operator;
        this.next = next;
        this.stage = stage;
        this.context = context;
    }

    /**
     * @return a link for the plan: guarded ({@link Guarded}) when the task has an error policy other
     *     than fail, else this plain one, whose per-record path is the operator call alone; with
     *     {@link StageClasses} on, an instance of the stage's clone of that class (not an
     *     {@code OperatorLink}), calling a clone of a stateless operator
     */
    @SuppressWarnings("unchecked")
    static <I, O> Link<I> create(Operator<I, O> operator, Link<O> next, String stage, TaskContext context) {
        boolean guarded = context.failures != null;
        if (StageClasses.ENABLED) {
            Class<?> template = guarded ? Guarded.class : OperatorLink.class;
            try {
                Operator<I, O> specialised = StageClasses.statelessClone(operator, next.getClass());
                Class<?> clone = StageClasses.cloneOf(template, MethodHandles.lookup(), specialised.getClass(), next.getClass());
                return (Link<I>) StageClasses.newInstance(clone, MethodHandles.lookup(), CONSTRUCTOR, specialised, next, stage, context);
            } catch (IllegalStateException e) {
                StageClasses.warnUncloned(template, e);
            }
        }
        return guarded ? new Guarded<>(operator, next, stage, context) : new OperatorLink<>(operator, next, stage, context);
    }


    @Override
    @SuppressWarnings("unchecked")
    public void emit(I record) {
        // The casts are to this clone's exact targets: C2 binds both calls without a type profile.
        ((Operator<I, O>) OPERATOR.cast(operator)).process(record, (Link<O>) NEXT.cast(next));
    }

    @Override
    void onWatermark(long watermarkMs) {
        try {
            operator.onWatermark(watermarkMs, next);
        } catch (RuntimeException e) {
            throw TaskContext.passThrough(e);
        }
        next.onWatermark(watermarkMs);
    }

    @Override
    void onEpoch(long epochId) {
        try {
            operator.onEpoch(epochId, next);
        } catch (RuntimeException e) {
            throw TaskContext.passThrough(e);
        }
        next.onEpoch(epochId);
    }

    @Override
    void onEnd(boolean flush) {
        if (flush) {
            try {
                operator.onEnd(next);
            } catch (RuntimeException e) {
                throw TaskContext.passThrough(e);
            }
        }
        next.onEnd(flush);
    }

    /** The operator's failure on a record goes to the task's error policy, and the chain goes on. */
    static final class Guarded<I, O> extends OperatorLink<I, O> {
        /** In a clone the exact class of its operator, else {@link Operator}. */
        static final Class<?> OPERATOR = StageClasses.target(MethodHandles.lookup(), 1, Operator.class);
        /** In a clone the exact class of its next link, else {@link Link}. */
        static final Class<?> NEXT = StageClasses.target(MethodHandles.lookup(), 2, Link.class);

        Guarded(Operator<I, O> operator, Link<O> next, String stage, TaskContext context) {
            super(operator, next, stage, context);
        }

        @Override
        @SuppressWarnings("unchecked")
        public void emit(I record) {
            try {
                ((Operator<I, O>) OPERATOR.cast(operator)).process(record, (Link<O>) NEXT.cast(next));
            } catch (RuntimeException e) {
                context.onRecordFailure(stage, record, e);
            }
        }
    }
}
