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
 * groups, execution mode, late outputs, state budget and which inputs carry a watermark (so which side's
 * state is evicted: {@link #evictsSide}, the one rule every join operator follows). Immutable and thread-safe; each
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
    private final boolean leftWatermarked;
    private final boolean rightWatermarked;
    private final boolean uniqueLeft;
    private final boolean uniqueRight;

    private JoinSettings(JoinType joinType, JoinTimeRange timeRange, ToLongFunction<? super L> leftTimeMs,
                         ToLongFunction<? super R> rightTimeMs, StateCodec<K> keyCodec, StateCodec<L> leftCodec,
                         StateCodec<R> rightCodec, int maxParallelism, KeyGroupRange keyGroups, boolean microBatch,
                         Output<? super L> lateLeft, Output<? super R> lateRight, long maxStateRows,
                         JoinRowLayout<L> leftLayout, JoinRowLayout<R> rightLayout, boolean leftWatermarked,
                         boolean rightWatermarked, boolean uniqueLeft, boolean uniqueRight) {
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
        this.leftWatermarked = leftWatermarked;
        this.rightWatermarked = rightWatermarked;
        this.uniqueLeft = uniqueLeft;
        this.uniqueRight = uniqueRight;
    }

    /**
     * Continuous mode, no time range and no event times (so nothing is late and nothing is evicted:
     * valid only for {@link JoinType#INNER}, whose state then grows forever), every key group of
     * {@link KeyGroups#DEFAULT_MAX_PARALLELISM}, keys and rows written with {@link StateCodecs#dynamic()},
     * no late outputs, no state budget, both inputs taken to carry a watermark
     * ({@link #withWatermarkedInputs}).
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
            StateCodecs.dynamic(), max, new KeyGroupRange(0, max), false, null, null, 0, null, null, true, true, false, false);
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
            keyGroups, microBatch, lateLeft, lateRight, maxStateRows, leftLayout, rightLayout, leftWatermarked,
            rightWatermarked, uniqueLeft, uniqueRight);
    }

    /**
     * @param timeRange the event-time condition between the sides, or {@code null} for none
     * @return a copy with it
     */
    public JoinSettings<K, L, R> withTimeRange(JoinTimeRange timeRange) {
        return new JoinSettings<>(joinType, timeRange, leftTimeMs, rightTimeMs, keyCodec, leftCodec, rightCodec,
            maxParallelism, keyGroups, microBatch, lateLeft, lateRight, maxStateRows,
            leftLayout, rightLayout, leftWatermarked, rightWatermarked, uniqueLeft, uniqueRight);
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
            leftLayout, rightLayout, leftWatermarked, rightWatermarked, uniqueLeft, uniqueRight);
    }

    /**
     * @param maxParallelism the number of key groups
     * @param keyGroups the key groups this partition owns
     * @return a copy with them
     */
    public JoinSettings<K, L, R> withKeyGroups(int maxParallelism, KeyGroupRange keyGroups) {
        return new JoinSettings<>(joinType, timeRange, leftTimeMs, rightTimeMs, keyCodec, leftCodec, rightCodec,
            maxParallelism, keyGroups, microBatch, lateLeft, lateRight, maxStateRows,
            leftLayout, rightLayout, leftWatermarked, rightWatermarked, uniqueLeft, uniqueRight);
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
            leftLayout, rightLayout, leftWatermarked, rightWatermarked, uniqueLeft, uniqueRight);
    }

    /**
     * @param lateLeft where late left rows go, or {@code null} to drop them (counted either way)
     * @param lateRight where late right rows go, or {@code null} to drop them
     * @return a copy with them
     */
    public JoinSettings<K, L, R> withLateOutputs(Output<? super L> lateLeft, Output<? super R> lateRight) {
        return new JoinSettings<>(joinType, timeRange, leftTimeMs, rightTimeMs, keyCodec, leftCodec, rightCodec,
            maxParallelism, keyGroups, microBatch, lateLeft, lateRight, maxStateRows,
            leftLayout, rightLayout, leftWatermarked, rightWatermarked, uniqueLeft, uniqueRight);
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
            leftLayout, rightLayout, leftWatermarked, rightWatermarked, uniqueLeft, uniqueRight);
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
            leftLayout, rightLayout, leftWatermarked, rightWatermarked, uniqueLeft, uniqueRight);
    }

    /**
     * Which inputs carry a watermark (a {@code withWatermark} or a source that emits watermarks upstream
     * of the input), which decides which rows are judged late and which side's state is evicted
     * ({@link #evictsLeft()}, {@link #judgesLeftLate()}). Default: both.
     *
     * @param left whether the left input carries a watermark
     * @param right whether the right input carries a watermark
     * @return a copy with them
     */
    public JoinSettings<K, L, R> withWatermarkedInputs(boolean left, boolean right) {
        return new JoinSettings<>(joinType, timeRange, leftTimeMs, rightTimeMs, keyCodec, leftCodec, rightCodec,
            maxParallelism, keyGroups, microBatch, lateLeft, lateRight, maxStateRows, leftLayout, rightLayout, left, right, uniqueLeft, uniqueRight);
    }

    /**
     * Spark's rule for evicting one side's state by a time range ({@code StreamingSymmetricHashJoinHelper
     * .getOneSideStateWatermarkPredicate}, case 2): a side's rows get a state watermark only if the side's
     * own input carries a watermark (the predicate is on that side's watermarked column) <b>and</b> the
     * other input does too (its watermark, put into the range, bounds this side's times). So with a
     * watermark on one input only, neither side is ever evicted, and neither side's outer rows come out
     * (Spark 4.0 accepts a left outer join with a watermark on the right input only, and then never emits
     * its null rows). A watermark in the join key (Spark's cases 1 and 3) is not supported.
     *
     * <p>The one place this rule lives: the join operators, the query validator's warning and the docs
     * follow it.
     *
     * @param timeRange whether the join has a time range
     * @param ownWatermark whether the side's own input carries a watermark
     * @param otherWatermark whether the other input carries one
     * @return whether the side's rows are evicted (and, on an outer side, emitted as outer rows)
     */
    public static boolean evictsSide(boolean timeRange, boolean ownWatermark, boolean otherWatermark) {
        return timeRange && ownWatermark && otherWatermark;
    }

    /** @return whether left rows are ever evicted: {@link #evictsSide} for the left side */
    public boolean evictsLeft() {
        return evictsSide(timeRange != null, leftWatermarked, rightWatermarked);
    }

    /** @return whether right rows are ever evicted: {@link #evictsSide} for the right side */
    public boolean evictsRight() {
        return evictsSide(timeRange != null, rightWatermarked, leftWatermarked);
    }

    /**
     * The left side's eviction threshold: left rows with an event time {@code <=} it are evicted (and, in
     * a left or full outer join, emitted if they never matched). Allocation-free; call it with each
     * watermark.
     *
     * @param watermarkMs the operator's watermark, epoch ms; {@code Long.MIN_VALUE} for none
     * @return {@link JoinTimeRange#leftStateWatermarkMs(long)} if {@link #evictsLeft()}, else
     *     {@code Long.MIN_VALUE} (nothing is evicted)
     */
    public long leftStateWatermarkMs(long watermarkMs) {
        return evictsLeft() ? timeRange.leftStateWatermarkMs(watermarkMs) : Long.MIN_VALUE;
    }

    /**
     * The right side's eviction threshold; see {@link #leftStateWatermarkMs(long)}.
     *
     * @param watermarkMs the operator's watermark, epoch ms; {@code Long.MIN_VALUE} for none
     * @return {@link JoinTimeRange#rightStateWatermarkMs(long)} if {@link #evictsRight()}, else
     *     {@code Long.MIN_VALUE}
     */
    public long rightStateWatermarkMs(long watermarkMs) {
        return evictsRight() ? timeRange.rightStateWatermarkMs(watermarkMs) : Long.MIN_VALUE;
    }

    /**
     * @return whether left rows at or behind the late-row watermark are dropped as late: with event times,
     *     and only if the left input carries a watermark (Spark filters late rows per side, on the side's
     *     watermarked column; an input without one has no late rows)
     */
    public boolean judgesLeftLate() {
        return leftTimeMs != null && leftWatermarked;
    }

    /** @return whether right rows are judged late; see {@link #judgesLeftLate()} */
    public boolean judgesRightLate() {
        return rightTimeMs != null && rightWatermarked;
    }

    /**
     * Declares that a side's keys are unique: at most one row per key ever arrives on it (a primary key,
     * such as W5's orders by order id). A row of the other side that arrives once the key's unique row is
     * held can match no future row, so it is not buffered ({@link #buffersRow}); a second row of a key
     * on a unique side, while the first is held, fails the operator naming the key. Results are the same
     * as without the declaration when the keys are in fact unique; only the state is smaller. Spark has no
     * such declaration (its joins buffer every row until the watermark evicts it).
     *
     * @param left whether the left side's keys are unique
     * @param right whether the right side's keys are unique
     * @return a copy with them
     */
    public JoinSettings<K, L, R> withUniqueKeys(boolean left, boolean right) {
        return new JoinSettings<>(joinType, timeRange, leftTimeMs, rightTimeMs, keyCodec, leftCodec, rightCodec,
            maxParallelism, keyGroups, microBatch, lateLeft, lateRight, maxStateRows, leftLayout, rightLayout,
            leftWatermarked, rightWatermarked, left, right);
    }

    /** @return whether the left side's keys are declared unique ({@link #withUniqueKeys}) */
    public boolean uniqueLeft() {
        return uniqueLeft;
    }

    /** @return whether the right side's keys are declared unique ({@link #withUniqueKeys}) */
    public boolean uniqueRight() {
        return uniqueRight;
    }

    /**
     * The rule, in one place for both join operators, for buffering a row after it was matched against
     * the other side's rows of its key: it is buffered unless the other side's keys are unique and the
     * key's one row of the other side is already held, and either the row matched it (it can match no
     * other) or the join never emits this side's unmatched rows (it can match nothing, and nothing needs
     * it to come out as an outer row).
     *
     * @param otherUnique whether the other side's keys are declared unique
     * @param otherHeld whether the other side holds a row of this key
     * @param matched whether the row matched a row of the other side
     * @param emitsUnmatched whether the join emits this side's unmatched rows (outer rows)
     * @return whether the row must be buffered
     */
    public static boolean buffersRow(boolean otherUnique, boolean otherHeld, boolean matched, boolean emitsUnmatched) {
        return !(otherUnique && otherHeld && (matched || !emitsUnmatched));
    }

    /**
     * @param left whether the duplicate is on the left side
     * @param key the duplicate key
     * @return the failure for a second row of a key on a side declared unique
     */
    public static IllegalStateException duplicateKey(boolean left, Object key) {
        return new IllegalStateException("join: a second " + (left ? "left" : "right") + " row of key " + key
            + " arrived while the first is held, but the join declares the " + (left ? "left" : "right")
            + " side's keys unique (withUniqueKeys); remove the declaration or deduplicate that input");
    }

    /** @return whether the left input carries a watermark */
    public boolean leftWatermarked() {
        return leftWatermarked;
    }

    /** @return whether the right input carries a watermark */
    public boolean rightWatermarked() {
        return rightWatermarked;
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
