package io.rivulet.engine.runtime;

import io.rivulet.engine.source.SourceOutput;

import java.lang.invoke.MethodHandles;

/**
 * The {@link SourceOutput} a source task hands its reader: each record the reader emits goes into the
 * head of the task's fused chain. Its per-record path lives in the small subclass {@link Chained}, which
 * is what a {@link StageClasses stage clone} copies, one per class of chain head: the reader's
 * {@code emit} call, user code, then sees one class per shape of query (not the one {@code SourceTask}
 * every query of the JVM shares), and the clone's call into the chain binds to the head's exact class.
 *
 * <p>Not thread-safe; owned by the source task's thread (or the micro-batch driver's).
 *
 * @param <T> record type
 */
abstract class SourceEmitter<T> implements SourceOutput<T> {
    /** The constructor's parameter types, for clones. */
    private static final Class<?>[] CONSTRUCTOR = {SourceTask.class, Link.class, TaskContext.class};

    final SourceTask<T> task;
    final Link<T> chain;
    final TaskContext context;
    /** Records the reader emitted; read by the task on the same thread. */
    long recordsRead;

    SourceEmitter(SourceTask<T> task, Link<T> chain, TaskContext context) {
        this.task = task;
        this.chain = chain;
        this.context = context;
    }

    /**
     * @param task the task whose reader emits
     * @param chain the head of its fused chain
     * @param context the task's context
     * @param <T> record type
     * @return the emitter: with {@link StageClasses} on, an instance of the clone of {@link Chained} for
     *     the chain head's class
     */
    @SuppressWarnings("unchecked")
    static <T> SourceEmitter<T> create(SourceTask<T> task, Link<T> chain, TaskContext context) {
        if (StageClasses.ENABLED) {
            try {
                Class<?> clone = StageClasses.cloneOf(Chained.class, MethodHandles.lookup(), chain.getClass());
                return (SourceEmitter<T>) StageClasses.newInstance(clone, MethodHandles.lookup(), CONSTRUCTOR, task, chain,
                    context);
            } catch (IllegalStateException e) {
                StageClasses.warnUncloned(Chained.class, e);
            }
        }
        return new Chained<>(task, chain, context);
    }

    /**
     * The record with its source time: where the latency of what it leads to is measured from (the
     * rate source's scheduled time). One store more than {@link #emit(Object)}.
     */
    @Override
    public final void emit(T record, long sourceNanoTime) {
        context.ingestNs = sourceNanoTime;
        emit(record);
    }

    @Override
    public final void emitWatermark(long watermarkMs) {
        task.emitWatermark(watermarkMs);
    }

    /** The per-record path. The class a stage clone copies. */
    static final class Chained<T> extends SourceEmitter<T> {
        /** In a clone the exact class of the chain's head, else {@link Link} ({@link StageClasses#target}). */
        static final Class<?> HEAD = StageClasses.target(MethodHandles.lookup(), 1, Link.class);

        Chained(SourceTask<T> task, Link<T> chain, TaskContext context) {
            super(task, chain, context);
        }

        @Override
        @SuppressWarnings("unchecked")
        public void emit(T record) {
            if (record == null) {
                throw new NullPointerException("source reader emitted null in " + context.name);
            }
            recordsRead++;
            ((Link<T>) HEAD.cast(chain)).emit(record);
        }
    }
}
