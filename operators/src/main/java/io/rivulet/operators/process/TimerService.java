package io.rivulet.operators.process;

/**
 * Registers and deletes timers of the current key, and tells the operator's times. Times are epoch
 * milliseconds. Registering an existing (key, timestamp, domain) timer does nothing; deleting a
 * timer that is not registered does nothing.
 *
 * <p>Valid only inside {@link KeyedProcessFunction#processElement} and
 * {@link KeyedProcessFunction#onTimer}; not thread-safe.
 */
public interface TimerService {
    /**
     * @param timestampMs fires when the watermark reaches it ({@code >=})
     */
    void registerEventTimeTimer(long timestampMs);

    /**
     * @param timestampMs fires when the processing time passed to the operator reaches it
     */
    void registerProcessingTimeTimer(long timestampMs);

    /**
     * @param timestampMs an event-time timer of the current key
     */
    void deleteEventTimeTimer(long timestampMs);

    /**
     * @param timestampMs a processing-time timer of the current key
     */
    void deleteProcessingTimeTimer(long timestampMs);

    /**
     * @return the operator's current watermark ({@code Long.MIN_VALUE} before the first)
     */
    long currentWatermarkMs();

    /**
     * @return the processing time last passed to the operator (0 before the first)
     */
    long currentProcessingTimeMs();
}
