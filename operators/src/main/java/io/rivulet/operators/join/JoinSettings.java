package io.rivulet.operators.join;

import io.rivulet.operators.Output;
import io.rivulet.operators.state.KeyGroupRange;
import io.rivulet.operators.state.KeyGroups;
import io.rivulet.operators.state.StateCodec;
import io.rivulet.operators.state.StateCodecs;

import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * How a {@link StreamStreamJoinOperator} runs: its join type, time range, event times, codecs, key
 * groups, execution mode, late outputs and state budget. Immutable and thread-safe; each
 * {@code with…} method returns a copy; the combination is validated once, by {@link #validate()}
 * (which the operator calls), with messages that name the rule.
 *
 * @param <K> key type
 * @param <L> left row type
 * @param <R> right row type
 */
public final class JoinSettings<K, L, R> {
    private final JoinType joinType;
    private final JoinTimeRange timeRange;
    private final ToLongFunction<? super L> leftTimeMs;
    private final ToLongFunction<? super R> rightTimeMs;
    private final StateCodec<K> keyCodec;
    private final StateCodec<L> leftCodec;
    private final StateCodec<R> rightCodec;
    private final int maxParallelism;
    private final KeyGroupRange keyGroups;
    private final boolean microBatch;
    private final Output<? super L> lateLeft;
    private final Output<? super R> lateRight;
    private final long maxStateRows;
    private final JoinRowLayout<L> leftLayout;
    private final JoinRowLayout<R> rightLayout;

    private JoinSettings(JoinType joinType, JoinTimeRange timeRange, ToLongFunction<? super L> leftTimeMs,
                         ToLongFunction<? super R> rightTimeMs, StateCodec<K> keyCodec, StateCodec<L> leftCodec,
                         StateCodec<R> rightCodec, int maxParallelism, KeyGroupRange keyGroups, boolean microBatch,
                         Output<? super L> lateLeft, Output<? super R> lateRight, long maxStateRows,
                         JoinRowLayout<L> leftLayout, JoinRowLayout<R> rightLayout) {
        this.joinType = Objects.requireNonNull(joinType, "joinType");
        this.timeRange = timeRange;
        this.leftTimeMs = leftTimeMs;
        this.rightTimeMs = rightTimeMs;
        this.keyCodec = Objects.requireNonNull(keyCodec, "keyCodec");
        this.leftCodec = Objects.requireNonNull(leftCodec, "leftCodec");
        this.rightCodec = Objects.requireNonNull(rightCodec, "rightCodec");
        this.maxParallelism = KeyGroups.checkMaxParallelism(maxParallelism);
        this.keyGroups = Objects.requireNonNull(keyGroups, "keyGroups");
        if (keyGroups.end() > maxParallelism) {
            throw new IllegalArgumentException("keyGroups " + keyGroups + " exceed maxParallelism " + maxParallelism);
        }
        if (maxStateRows < 0) {
            throw new IllegalArgumentException("maxStateRows " + maxStateRows + " < 0: use 0 for no budget");
        }
        this.microBatch = microBatch;
        this.lateLeft = lateLeft;
        this.lateRight = lateRight;
        this.maxStateRows = maxStateRows;
        this.leftLayout = leftLayout;
        this.rightLayout = rightLayout;
    }

    /**
     * Continuous mode, no time range and no event times (so nothing is late and nothing is evicted:
     * valid only for {@link JoinType#INNER}, whose state then grows forever), every key group of
     * {@link KeyGroups#DEFAULT_MAX_PARALLELISM}, keys and rows written with {@link StateCodecs#dynamic()},
     * no late outputs, no state budget.
     *
     * @param joinType the join type
     * @param <K> key type
     * @param <L> left row type
     * @param <R> right row type
     * @return the settings
     */
    public static <K, L, R> JoinSettings<K, L, R> of(JoinType joinType) {
        int max = KeyGroups.DEFAULT_MAX_PARALLELISM;
        return new JoinSettings<>(joinType, null, null, null, StateCodecs.dynamic(), StateCodecs.dynamic(),
            StateCodecs.dynamic(), max, new KeyGroupRange(0, max), false, null, null, 0, null, null);
    }

    /**
     * @param leftTimeMs a left row's event time, epoch ms
     * @param rightTimeMs a right row's event time, epoch ms
     * @return a copy with them: rows at or behind the watermark are late (dropped, counted, sent to the
     *     late output); needed by a time range
     */
    public JoinSettings<K, L, R> withEventTimes(ToLongFunction<? super L> leftTimeMs, ToLongFunction<? super R> rightTimeMs) {
        return new JoinSettings<>(joinType, timeRange, Objects.requireNonNull(leftTimeMs, "leftTimeMs"),
            Objects.requireNonNull(rightTimeMs, "rightTimeMs"), keyCodec, leftCodec, rightCodec, maxParallelism,
            keyGroups, microBatch, lateLeft, lateRight, maxStateRows, leftLayout, rightLayout);
    }

    /**
     * @param timeRange the event-time condition between the sides, or {@code null} for none
     * @return a copy with it
     */
    public JoinSettings<K, L, R> withTimeRange(JoinTimeRange timeRange) {
        return new JoinSettings<>(joinType, timeRange, leftTimeMs, rightTimeMs, keyCodec, leftCodec, rightCodec,
            maxParallelism, keyGroups, microBatch, lateLeft, lateRight, maxStateRows,
            leftLayout, rightLayout);
    }

    /**
     * @param keyCodec writes keys in snapshots
     * @param leftCodec writes left rows
     * @param rightCodec writes right rows
     * @return a copy with them
     */
    public JoinSettings<K, L, R> withCodecs(StateCodec<K> keyCodec, StateCodec<L> leftCodec, StateCodec<R> rightCodec) {
        return new JoinSettings<>(joinType, timeRange, leftTimeMs, rightTimeMs, keyCodec, leftCodec, rightCodec,
            maxParallelism, keyGroups, microBatch, lateLeft, lateRight, maxStateRows,
            leftLayout, rightLayout);
    }

    /**
     * @param maxParallelism the number of key groups
     * @param keyGroups the key groups this partition owns
     * @return a copy with them
     */
    public JoinSettings<K, L, R> withKeyGroups(int maxParallelism, KeyGroupRange keyGroups) {
        return new JoinSettings<>(joinType, timeRange, leftTimeMs, rightTimeMs, keyCodec, leftCodec, rightCodec,
            maxParallelism, keyGroups, microBatch, lateLeft, lateRight, maxStateRows,
            leftLayout, rightLayout);
    }

    /**
     * @param microBatch {@code true}: Spark's micro-batch semantics (rows judged late against the
     *     watermark of the previous epoch; eviction and outer rows at {@code onEpoch}, after the
     *     epoch's data, with the epoch's watermark); {@code false}: continuous (late against the
     *     current watermark; eviction and outer rows as soon as the watermark passes the bound)
     * @return a copy with it
     */
    public JoinSettings<K, L, R> withMicroBatch(boolean microBatch) {
        return new JoinSettings<>(joinType, timeRange, leftTimeMs, rightTimeMs, keyCodec, leftCodec, rightCodec,
            maxParallelism, keyGroups, microBatch, lateLeft, lateRight, maxStateRows,
            leftLayout, rightLayout);
    }

    /**
     * @param lateLeft where late left rows go, or {@code null} to drop them (counted either way)
     * @param lateRight where late right rows go, or {@code null} to drop them
     * @return a copy with them
     */
    public JoinSettings<K, L, R> withLateOutputs(Output<? super L> lateLeft, Output<? super R> lateRight) {
        return new JoinSettings<>(joinType, timeRange, leftTimeMs, rightTimeMs, keyCodec, leftCodec, rightCodec,
            maxParallelism, keyGroups, microBatch, lateLeft, lateRight, maxStateRows,
            leftLayout, rightLayout);
    }

    /**
     * @param maxStateRows the most rows (both sides together) one operator instance may buffer; a row
     *     beyond it fails the operator with an {@link IllegalStateException} that names the budget;
     *     0 for no budget
     * @return a copy with it
     */
    public JoinSettings<K, L, R> withMaxStateRows(long maxStateRows) {
        return new JoinSettings<>(joinType, timeRange, leftTimeMs, rightTimeMs, keyCodec, leftCodec, rightCodec,
            maxParallelism, keyGroups, microBatch, lateLeft, lateRight, maxStateRows,
            leftLayout, rightLayout);
    }

    /**
     * Column rows for a long-key join (the long-key join operator): each side's rows stored as
     * {@code long} columns instead of references. Ignored by the boxed {@link StreamStreamJoinOperator}.
     *
     * @param leftLayout the left side's layout, or {@code null} to store its rows as objects
     * @param rightLayout the right side's layout, or {@code null} to store its rows as objects
     * @return a copy with them
     */
    public JoinSettings<K, L, R> withRowLayouts(JoinRowLayout<L> leftLayout, JoinRowLayout<R> rightLayout) {
        return new JoinSettings<>(joinType, timeRange, leftTimeMs, rightTimeMs, keyCodec, leftCodec, rightCodec,
            maxParallelism, keyGroups, microBatch, lateLeft, lateRight, maxStateRows,
            leftLayout, rightLayout);
    }

    /**
     * Checks the combination: a time range needs both event times; every join type but inner needs a
     * time range (Spark's rule: without one, an unmatched row could still match forever, so its outer
     * row would never come out and its state never go).
     *
     * @return this
     * @throws IllegalArgumentException naming the rule broken
     */
    public JoinSettings<K, L, R> validate() {
        if (timeRange != null && (leftTimeMs == null || rightTimeMs == null)) {
            throw new IllegalArgumentException("timeRange " + timeRange + " without event times: a join time range"
                + " needs withEventTimes(leftTimeMs, rightTimeMs)");
        }
        if (joinType.needsTimeRange() && timeRange == null) {
            throw new IllegalArgumentException("joinType " + joinType + " without a time range: outer and semi"
                + " stream-stream joins need event times and a time range (withTimeRange), so that the watermark"
                + " can end a row's wait for a match");
        }
        return this;
    }

    /** @return the join type */
    public JoinType joinType() {
        return joinType;
    }

    /** @return the time range, or {@code null} */
    public JoinTimeRange timeRange() {
        return timeRange;
    }

    /** @return a left row's event time, or {@code null} */
    public ToLongFunction<? super L> leftTimeMs() {
        return leftTimeMs;
    }

    /** @return a right row's event time, or {@code null} */
    public ToLongFunction<? super R> rightTimeMs() {
        return rightTimeMs;
    }

    /** @return the key codec */
    public StateCodec<K> keyCodec() {
        return keyCodec;
    }

    /** @return the left row codec */
    public StateCodec<L> leftCodec() {
        return leftCodec;
    }

    /** @return the right row codec */
    public StateCodec<R> rightCodec() {
        return rightCodec;
    }

    /** @return the number of key groups */
    public int maxParallelism() {
        return maxParallelism;
    }

    /** @return the key groups this partition owns */
    public KeyGroupRange keyGroups() {
        return keyGroups;
    }

    /** @return whether the operator runs with micro-batch semantics */
    public boolean microBatch() {
        return microBatch;
    }

    /** @return where late left rows go, or {@code null} */
    public Output<? super L> lateLeft() {
        return lateLeft;
    }

    /** @return where late right rows go, or {@code null} */
    public Output<? super R> lateRight() {
        return lateRight;
    }

    /** @return the state budget in rows, 0 for none */
    public long maxStateRows() {
        return maxStateRows;
    }

    /** @return the left side's column layout, or {@code null} for object rows */
    public JoinRowLayout<L> leftLayout() {
        return leftLayout;
    }

    /** @return the right side's column layout, or {@code null} for object rows */
    public JoinRowLayout<R> rightLayout() {
        return rightLayout;
    }
}
