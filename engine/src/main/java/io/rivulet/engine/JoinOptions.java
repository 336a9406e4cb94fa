package io.rivulet.engine;

import io.rivulet.operators.join.JoinRowLayout;
import io.rivulet.operators.join.JoinTimeRange;
import io.rivulet.operators.join.JoinType;
import io.rivulet.operators.join.LongJoinFunction;
import io.rivulet.operators.state.StateCodec;
import io.rivulet.operators.state.StateCodecs;

import java.time.Duration;
import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * How a stream-stream join ({@link KeyedStream#join(KeyedStream, JoinOptions, io.rivulet.operators.join.JoinFunction)},
 * or the long-key {@link LongKeyedStream#join(LongKeyedStream, JoinOptions, LongJoinFunction)}) runs: its join
 * type, its event-time range condition, the rows' event times, a state budget, the codecs its state is
 * checkpointed with and (long-key join only) the sides' column row layouts.
 *
 * <p>The time range reads as Spark's condition {@code rightTime BETWEEN leftTime + lower AND leftTime +
 * upper}; bounds may be negative (the right row may come first) and each is closed or open. Spark's
 * {@code clickTime >= impTime AND clickTime <= impTime + interval 10 seconds}, impressions on the left, is
 * {@code withTimeRange(Duration.ZERO, Duration.ofSeconds(10))}.
 *
 * <p>Event times: by default each side's rows use the event time of the {@code withWatermark} they come
 * straight from (filters may come between); {@link #withEventTimes} gives them explicitly. They are used
 * only with a time range (as in Spark, a join without one judges no row late).
 *
 * <p>Immutable and thread-safe; each {@code with…} method returns a copy. Validated when the query
 * starts ({@code start()} rejects what Spark rejects, with Spark's message).
 *
 * @param <L> left row type
 * @param <R> right row type
 */
public final class JoinOptions<L, R> {
    private final JoinType type;
    private final JoinTimeRange timeRange;
    private final ToLongFunction<? super L> leftTimeMs;
    private final ToLongFunction<? super R> rightTimeMs;
    private final long maxStateRows;
    private final StateCodec<?> keyCodec;
    private final StateCodec<L> leftCodec;
    private final StateCodec<R> rightCodec;
    private final JoinRowLayout<L> leftLayout;
    private final JoinRowLayout<R> rightLayout;
    private final boolean uniqueLeft;
    private final boolean uniqueRight;

    private JoinOptions(JoinType type, JoinTimeRange timeRange, ToLongFunction<? super L> leftTimeMs,
                        ToLongFunction<? super R> rightTimeMs, long maxStateRows, StateCodec<?> keyCodec,
                        StateCodec<L> leftCodec, StateCodec<R> rightCodec, JoinRowLayout<L> leftLayout,
                        JoinRowLayout<R> rightLayout, boolean uniqueLeft, boolean uniqueRight) {
        this.type = Objects.requireNonNull(type, "type");
        this.timeRange = timeRange;
        this.leftTimeMs = leftTimeMs;
        this.rightTimeMs = rightTimeMs;
        if (maxStateRows < 0) {
            throw new IllegalArgumentException("maxStateRows must be >= 0 (0 for no budget), got " + maxStateRows);
        }
        this.maxStateRows = maxStateRows;
        this.keyCodec = keyCodec;
        this.leftCodec = leftCodec;
        this.rightCodec = rightCodec;
        this.leftLayout = leftLayout;
        this.rightLayout = rightLayout;
        this.uniqueLeft = uniqueLeft;
        this.uniqueRight = uniqueRight;
    }

    /**
     * Options of a join type with no time range, the event times of the inputs' {@code withWatermark}, no
     * state budget, keys and rows checkpointed with {@link StateCodecs#dynamic()}.
     *
     * @param type the join type
     * @param <L> left row type
     * @param <R> right row type
     * @return the options
     */
    public static <L, R> JoinOptions<L, R> of(JoinType type) {
        return new JoinOptions<>(type, null, null, null, 0, StateCodecs.dynamic(), StateCodecs.dynamic(),
            StateCodecs.dynamic(), null, null, false, false);
    }

    /**
     * @param timeRange the event-time condition between the sides
     * @return a copy with it
     */
    public JoinOptions<L, R> withTimeRange(JoinTimeRange timeRange) {
        return new JoinOptions<>(type, Objects.requireNonNull(timeRange, "timeRange"), leftTimeMs, rightTimeMs,
            maxStateRows, keyCodec, leftCodec, rightCodec,
            leftLayout, rightLayout, uniqueLeft, uniqueRight);
    }

    /**
     * {@code rightTime BETWEEN leftTime + lower AND leftTime + upper}, both bounds closed.
     *
     * @param lower the lower bound's offset from the left row's time (may be negative)
     * @param upper the upper bound's offset; {@code >= lower}
     * @return a copy with it
     * @throws IllegalArgumentException if {@code lower > upper} (see {@link JoinTimeRange#between})
     */
    public JoinOptions<L, R> withTimeRange(Duration lower, Duration upper) {
        return withTimeRange(JoinTimeRange.between(Objects.requireNonNull(lower, "lower").toMillis(),
            Objects.requireNonNull(upper, "upper").toMillis()));
    }

    /**
     * A range with each bound closed ({@code <=}) or open ({@code <}).
     *
     * @param lower the lower bound's offset from the left row's time (may be negative)
     * @param lowerInclusive {@code true}: {@code rightTime >= leftTime + lower}; {@code false}: {@code >}
     * @param upper the upper bound's offset; {@code >= lower}
     * @param upperInclusive {@code true}: {@code rightTime <= leftTime + upper}; {@code false}: {@code <}
     * @return a copy with it
     * @throws IllegalArgumentException if the range is empty (see {@link JoinTimeRange#of})
     */
    public JoinOptions<L, R> withTimeRange(Duration lower, boolean lowerInclusive, Duration upper, boolean upperInclusive) {
        return withTimeRange(JoinTimeRange.of(Objects.requireNonNull(lower, "lower").toMillis(), lowerInclusive,
            Objects.requireNonNull(upper, "upper").toMillis(), upperInclusive));
    }

    /**
     * The rows' event times, when an input's records are not those of its {@code withWatermark} (a map
     * came in between). Used only with a time range.
     *
     * @param leftTimeMs a left row's event time, epoch ms
     * @param rightTimeMs a right row's event time, epoch ms
     * @return a copy with them
     */
    public JoinOptions<L, R> withEventTimes(ToLongFunction<? super L> leftTimeMs, ToLongFunction<? super R> rightTimeMs) {
        return new JoinOptions<>(type, timeRange, Objects.requireNonNull(leftTimeMs, "leftTimeMs"),
            Objects.requireNonNull(rightTimeMs, "rightTimeMs"), maxStateRows, keyCodec, leftCodec, rightCodec,
            leftLayout, rightLayout, uniqueLeft, uniqueRight);
    }

    /**
     * A state budget: the most rows (both sides together) one partition of the join may buffer. A row
     * beyond it fails the query with a message naming the join, the budget and each side's rows, rather
     * than letting the state run the JVM out of memory.
     *
     * @param maxStateRows the budget per partition; 0 for none
     * @return a copy with it
     * @throws IllegalArgumentException if negative
     */
    public JoinOptions<L, R> withMaxStateRows(long maxStateRows) {
        return new JoinOptions<>(type, timeRange, leftTimeMs, rightTimeMs, maxStateRows, keyCodec, leftCodec, rightCodec,
            leftLayout, rightLayout, uniqueLeft, uniqueRight);
    }

    /**
     * @param keyCodec writes keys into checkpoints
     * @param leftCodec writes left rows
     * @param rightCodec writes right rows
     * @param <K> key type
     * @return a copy with them
     */
    public <K> JoinOptions<L, R> withCodecs(StateCodec<K> keyCodec, StateCodec<L> leftCodec, StateCodec<R> rightCodec) {
        return new JoinOptions<>(type, timeRange, leftTimeMs, rightTimeMs, maxStateRows,
            Objects.requireNonNull(keyCodec, "keyCodec"), Objects.requireNonNull(leftCodec, "leftCodec"),
            Objects.requireNonNull(rightCodec, "rightCodec"), leftLayout, rightLayout, uniqueLeft, uniqueRight);
    }

    /**
     * Column rows, for a long-key join ({@link LongKeyedStream#join(LongKeyedStream, JoinOptions, LongJoinFunction)}):
     * a side with a layout has its buffered rows stored as {@code long} columns instead of references
     * (no garbage-collector cost per buffered row), and its input may then reuse its records
     * ({@link LongKeyedStream#copyingRecords}). The join function gets such a side's rows as instances
     * the layout fills, valid only during the call. A layout must write every field the join function
     * reads; the columns are also what checkpoints save for the row (the codec of that side is then unused).
     *
     * <p>The boxed {@link KeyedStream#join(KeyedStream, JoinOptions, io.rivulet.operators.join.JoinFunction)}
     * stores rows as objects and rejects options with a layout (its {@code join} call throws), rather
     * than silently ignoring them.
     *
     * @param leftLayout the left side's layout, or {@code null} to store its rows as objects
     * @param rightLayout the right side's layout, or {@code null} to store its rows as objects
     * @return a copy with them
     */
    public JoinOptions<L, R> withRowLayouts(JoinRowLayout<L> leftLayout, JoinRowLayout<R> rightLayout) {
        return new JoinOptions<>(type, timeRange, leftTimeMs, rightTimeMs, maxStateRows, keyCodec, leftCodec, rightCodec,
            leftLayout, rightLayout, uniqueLeft, uniqueRight);
    }

    /**
     * Declares that a side's keys are unique: at most one row per key ever arrives on it (a primary key, as
     * orders by order id). A row of the other side that arrives while the key's unique row is held then can
     * match no other, so it is not buffered: the join's state holds the unique side's rows and only the
     * other side's rows still waiting for their partner. The rows that come out are the same as without the
     * declaration when the keys are in fact unique. A second row of a key on a declared-unique side, while
     * the first is still held, fails the query naming the key (a repeat after the first row was evicted is
     * not detected). Spark has no such declaration: its joins buffer every row until the watermark evicts it.
     *
     * @param left whether the left input's keys are unique
     * @param right whether the right input's keys are unique
     * @return a copy with them
     */
    public JoinOptions<L, R> withUniqueKeys(boolean left, boolean right) {
        return new JoinOptions<>(type, timeRange, leftTimeMs, rightTimeMs, maxStateRows, keyCodec, leftCodec, rightCodec,
            leftLayout, rightLayout, left, right);
    }

    /** @return whether the left input's keys are declared unique ({@link #withUniqueKeys}) */
    public boolean uniqueLeft() {
        return uniqueLeft;
    }

    /** @return whether the right input's keys are declared unique ({@link #withUniqueKeys}) */
    public boolean uniqueRight() {
        return uniqueRight;
    }

    /** @return the join type */
    public JoinType type() {
        return type;
    }

    /** @return the time range, or {@code null} for none */
    public JoinTimeRange timeRange() {
        return timeRange;
    }

    /** @return the left rows' event time given, or {@code null} (the left {@code withWatermark}'s) */
    public ToLongFunction<? super L> leftTimeMs() {
        return leftTimeMs;
    }

    /** @return the right rows' event time given, or {@code null} (the right {@code withWatermark}'s) */
    public ToLongFunction<? super R> rightTimeMs() {
        return rightTimeMs;
    }

    /** @return the state budget in rows per partition, 0 for none */
    public long maxStateRows() {
        return maxStateRows;
    }

    @SuppressWarnings("unchecked")
    <K> StateCodec<K> keyCodec() {
        return (StateCodec<K>) keyCodec;
    }

    StateCodec<L> leftCodec() {
        return leftCodec;
    }

    StateCodec<R> rightCodec() {
        return rightCodec;
    }

    /** @return the left side's column layout, or {@code null} for object rows */
    public JoinRowLayout<L> leftLayout() {
        return leftLayout;
    }

    /** @return the right side's column layout, or {@code null} for object rows */
    public JoinRowLayout<R> rightLayout() {
        return rightLayout;
    }

    @Override
    public String toString() {
        return type + (timeRange == null ? "" : " ON " + timeRange);
    }
}
