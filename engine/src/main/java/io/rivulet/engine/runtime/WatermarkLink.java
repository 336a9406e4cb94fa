package io.rivulet.engine.runtime;

import io.rivulet.engine.WatermarkStrategy;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;

/**
 * Generates a stream's watermark from its event time (Spark's {@code withWatermark}): the largest
 * event time seen minus the delay, never decreasing.
 *
 * <p>Continuous mode ({@code tracker == null}): the record goes on first (it is judged against the
 * watermark before it), then the watermark, if it rose, travels in-band behind it. Event times are
 * milliseconds, so at high rates many records share one watermark: at most one watermark signal per
 * millisecond of event time. Micro-batch mode: the link only feeds its {@link WatermarkTracker}; the
 * driver moves the watermark between batches, as Spark does. A watermark from upstream is replaced by
 * this one. Not thread-safe; owned by the task running the chain.
 */
class WatermarkLink<T> extends Link<T> {
    final ToLongFunction<? super T> eventTimeMs;
    final long delayMs;
    private final long maxAheadMs;
    private final WatermarkStrategy.FutureEventPolicy futurePolicy;
    final Link<T> next;
    final WatermarkTracker tracker;
    private final AtomicLong futureEvents;
    long maxEventMs = Long.MIN_VALUE;
    long emittedMs = Long.MIN_VALUE;
    /** Continuous, in a source task: this link's place in its watermark alignment group, or {@code null}. */
    WatermarkAlignmentGroup.Member alignment;
    /** Continuous: a restored watermark not yet sent downstream (the stages behind start without one). */
    private boolean restoredPending;
    final TaskContext context;

    WatermarkLink(ToLongFunction<? super T> eventTimeMs, WatermarkStrategy strategy, Link<T> next,
                  WatermarkTracker tracker, AtomicLong futureEvents, TaskContext context) {
        this.context = context;
        this.eventTimeMs = eventTimeMs;
        this.delayMs = strategy.delay().toMillis();
        this.futurePolicy = strategy.futurePolicy();
        this.maxAheadMs = strategy.maxAhead().toMillis();
        this.next = next;
        this.tracker = tracker;
        this.futureEvents = futureEvents;
    }

    /**
     * @return a link for the plan: one whose event-time function's failures go to the task's error
     *     policy when the query has one (skip, dead-letter), else this plain one (the default, fail,
     *     adds nothing to the per-record path)
     */
    static <T> WatermarkLink<T> create(ToLongFunction<? super T> eventTimeMs, WatermarkStrategy strategy, Link<T> next,
                                       WatermarkTracker tracker, AtomicLong futureEvents, TaskContext context) {
        return context.failures == null
            ? new WatermarkLink<>(eventTimeMs, strategy, next, tracker, futureEvents, context)
            : new Guarded<>(eventTimeMs, strategy, next, tracker, futureEvents, context);
    }

    @Override
    public void emit(T record) {
        long eventMs = eventTimeMs.applyAsLong(record);
        if (eventMs > maxEventMs) {
            advance(eventMs);
        }
        next.emit(record);
        if (tracker == null && maxEventMs != Long.MIN_VALUE) {
            long watermark = maxEventMs - delayMs;
            if (watermark > emittedMs) {
                emittedMs = watermark;
                next.onWatermark(watermark);
            }
        }
    }

    void advance(long eventMs) {
        if (futurePolicy != WatermarkStrategy.FutureEventPolicy.NONE && maxEventMs != Long.MIN_VALUE
            && eventMs - maxEventMs > maxAheadMs) {
            futureEvents.incrementAndGet();
            if (futurePolicy == WatermarkStrategy.FutureEventPolicy.IGNORE) {
                return;
            }
            eventMs = maxEventMs + maxAheadMs;
        }
        maxEventMs = eventMs;
        if (tracker != null) {
            tracker.observe(eventMs);
        }
    }

    @Override
    void onWatermark(long watermarkMs) {
        if (tracker != null) {
            // Micro-batch: the driver's batch watermark passes through to the operators.
            next.onWatermark(watermarkMs);
        }
        // Continuous: this link defines the watermark; upstream ones are replaced.
    }

    @Override
    void onEpoch(long epochId) {
        if (restoredPending) {
            sendRestored();
        }
        next.onEpoch(epochId);
    }

    /** @return the largest event time seen, epoch ms ({@link Long#MIN_VALUE} before any), for checkpoints */
    long maxEventMs() {
        return maxEventMs;
    }

    /** @return the last watermark sent downstream (continuous), for checkpoints */
    long emittedMs() {
        return emittedMs;
    }

    /**
     * Resumes from a checkpoint's state, before the first record. Continuous: the restored watermark
     * goes downstream with the first barrier (records are judged by the stages' own restored
     * watermarks meanwhile), so a stage merging several inputs is not
     * held back by an input that has nothing new. Micro-batch: the tracker learns the event time, so
     * the driver computes the next batch's watermark as the failed run would have.
     *
     * @param maxEventMs the largest event time seen
     * @param emittedMs the last watermark sent
     */
    void restore(long maxEventMs, long emittedMs) {
        this.maxEventMs = maxEventMs;
        this.emittedMs = emittedMs;
        if (tracker != null) {
            if (maxEventMs != Long.MIN_VALUE) {
                tracker.observe(maxEventMs);
            }
        } else {
            restoredPending = emittedMs != Long.MIN_VALUE;
        }
    }

    private void sendRestored() {
        restoredPending = false;
        next.onWatermark(emittedMs);
    }

    @Override
    void onEnd(boolean flush) {
        next.onEnd(flush);
    }

    /** A record whose event-time function throws goes to the task's error policy; the link goes on. */
    static final class Guarded<T> extends WatermarkLink<T> {
        Guarded(ToLongFunction<? super T> eventTimeMs, WatermarkStrategy strategy, Link<T> next, WatermarkTracker tracker,
                AtomicLong futureEvents, TaskContext context) {
            super(eventTimeMs, strategy, next, tracker, futureEvents, context);
        }

        @Override
        public void emit(T record) {
            long eventMs;
            try {
                eventMs = eventTimeMs.applyAsLong(record);
            } catch (RuntimeException e) {
                context.onRecordFailure("withWatermark", record, e);
                return;
            }
            if (eventMs > maxEventMs) {
                advance(eventMs);
            }
            next.emit(record);
            if (tracker == null && maxEventMs != Long.MIN_VALUE) {
                long watermark = maxEventMs - delayMs;
                if (watermark > emittedMs) {
                    emittedMs = watermark;
                    next.onWatermark(watermark);
                }
            }
        }
    }
}
