package io.rivulet.operators.process;

import io.rivulet.operators.Output;
import io.rivulet.operators.state.KeyedStateStore;
import io.rivulet.operators.state.TimeDomain;

/**
 * User code that processes each record of a key with access to that key's state and timers: Flink's
 * {@code KeyedProcessFunction}, Spark 4's {@code transformWithState}. Run by a
 * {@link KeyedProcessOperator}.
 *
 * <p>Called on the partition worker's thread only; an instance serves every key of its partition, so
 * per-key data belongs in state, not in fields. Methods may throw checked exceptions: the query fails
 * with them as the cause.
 *
 * @param <K> key type
 * @param <I> input record type
 * @param <O> main output record type
 */
public abstract class KeyedProcessFunction<K, I, O> {
    /**
     * Called once before the first record, watermark or timer (after a restore, if any): obtain state
     * handles here and keep them in fields. The handles act on whichever key is current when used.
     *
     * @param states where state handles come from
     * @throws Exception to fail the query
     */
    public void open(KeyedStateStore states) throws Exception {
    }

    /**
     * Processes one record; its key is the current key.
     *
     * @param value the record
     * @param ctx the key, times, timers and side outputs
     * @param out the main output
     * @throws Exception to fail the query
     */
    public abstract void processElement(I value, Context<K, O> ctx, Output<O> out) throws Exception;

    /**
     * Called when a timer fires; the timer's key is the current key and {@link Context#timeDomain()}
     * says which kind fired.
     *
     * @param timestampMs the timer's timestamp
     * @param ctx the key, times, timers and side outputs
     * @param out the main output
     * @throws Exception to fail the query
     */
    public void onTimer(long timestampMs, Context<K, O> ctx, Output<O> out) throws Exception {
    }

    /**
     * What a {@link KeyedProcessFunction} sees of its operator. Valid only during the call it is passed
     * to.
     *
     * @param <K> key type
     * @param <O> main output record type
     */
    public interface Context<K, O> {
        /**
         * @return the current key: the record's, or the firing timer's
         */
        K currentKey();

        /**
         * @return the operator's current watermark ({@code Long.MIN_VALUE} before the first)
         */
        long currentWatermarkMs();

        /**
         * @return the processing time last passed to the operator (0 before the first)
         */
        long currentProcessingTimeMs();

        /**
         * @return the timers of the current key
         */
        TimerService timerService();

        /**
         * @return the domain of the timer firing, or {@code null} inside {@code processElement}
         */
        TimeDomain timeDomain();

        /**
         * Sends a record to a side output.
         *
         * @param tag the side output
         * @param value the record; never {@code null}
         * @param <X> its type
         * @throws IllegalArgumentException naming the tag if the operator has no such side output
         */
        <X> void output(OutputTag<X> tag, X value);
    }
}
