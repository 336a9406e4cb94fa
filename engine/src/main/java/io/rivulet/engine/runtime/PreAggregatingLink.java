package io.rivulet.engine.runtime;

import io.rivulet.operators.window.WindowPreAggregator;

import java.util.function.Function;

/**
 * Local pre-aggregation before a keyed exchange (Flink SQL's local-global aggregation, Spark's partial
 * aggregation before a shuffle), for a tumbling-window aggregation in continuous mode with APPEND output:
 * each record is folded on the producer's thread into a partial accumulator per (key, window)
 * ({@link WindowPreAggregator}), and the ring carries those partials, merged by the keyed stage
 * ({@code WindowAggregateOperator.processPartial}), instead of the records. The user's record is consumed on
 * the thread that built it, and the ring carries one slot per key and window per flush instead of one per
 * record.
 *
 * <p>The rules that keep the keyed stage's output, late rows and counters identical to shipping every
 * record (docs/architecture.md, "Pre-aggregation before the exchange"):
 * <ul>
 *   <li>a watermark goes on only after the partials of every window it closes;</li>
 *   <li>a barrier or the end goes on only after every partial: checkpoints see none in flight;</li>
 *   <li>a record whose window this producer closed already (its end at or before the last watermark
 *       forwarded, or before the restored keyed stage's watermark, {@link #closeUpTo}) goes on as a record,
 *       so the keyed stage drops it, counts it or sends it to the late sink exactly as before.</li>
 * </ul>
 * The planner turns it on ({@link #enable}) only where those rules suffice (see {@code Planner}); otherwise
 * every record goes to the exchange as before.
 *
 * <p>Not thread-safe; owned by the producing task, like the exchange it feeds.
 *
 * @param <K> key type
 * @param <T> record type
 * @param <A> accumulator type
 */
final class PreAggregatingLink<K, T, A> extends Link<T> implements WindowPreAggregator.PartialOutput<K, A> {
    private final Function<? super T, ? extends K> keyFunction;
    private final WindowPreAggregator<K, T, A> preAggregator;
    private final ExchangeLink<K, T> exchange;
    private final TaskContext context;
    private boolean enabled;

    /**
     * @param keyFunction the stage's key function (the default error policy's: unguarded)
     * @param preAggregator folds the records
     * @param exchange the exchange it feeds
     * @param context the producing task's context
     */
    PreAggregatingLink(Function<? super T, ? extends K> keyFunction, WindowPreAggregator<K, T, A> preAggregator,
                       ExchangeLink<K, T> exchange, TaskContext context) {
        this.keyFunction = keyFunction;
        this.preAggregator = preAggregator;
        this.exchange = exchange;
        this.context = context;
    }

    /**
     * Turns pre-aggregation on. Called while planning, before the task starts.
     *
     * @param restoredWatermarkMs the keyed stage's watermark restored from a checkpoint ({@link Long#MIN_VALUE}
     *     without one): windows ending at or before it are closed there, so their records go on un-aggregated
     */
    void enable(long restoredWatermarkMs) {
        enabled = true;
        preAggregator.closeUpTo(restoredWatermarkMs);
    }

    /**
     * @return whether records are pre-aggregated
     */
    boolean enabled() {
        return enabled;
    }

    /**
     * @return the pre-aggregator (for tests and figures)
     */
    WindowPreAggregator<K, T, A> preAggregator() {
        return preAggregator;
    }

    @Override
    public void emit(T record) {
        if (!enabled) {
            exchange.emit(record);
            return;
        }
        K key = keyFunction.apply(record);
        if (key == null) {
            ExchangeLink.onNullKey(context, record);
            return;
        }
        if (!preAggregator.add(key, record)) {
            exchange.emitKeyed(key, record);
        }
    }

    @Override
    public void onPartial(K key, long windowStartMs, A partial, int records) {
        exchange.emitPartial(key, windowStartMs, partial, records);
    }

    @Override
    void onWatermark(long watermarkMs) {
        preAggregator.flushUpTo(watermarkMs, this);
        exchange.onWatermark(watermarkMs);
    }

    @Override
    void onEpoch(long epochId) {
        preAggregator.flushAll(this);
        exchange.onEpoch(epochId);
    }

    @Override
    void onEnd(boolean flush) {
        // Also on a stop: the keyed stage then holds what it would have held without pre-aggregation.
        preAggregator.flushAll(this);
        exchange.onEnd(flush);
    }
}
