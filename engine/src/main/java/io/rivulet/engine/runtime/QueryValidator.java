package io.rivulet.engine.runtime;

import io.rivulet.engine.internal.PlanNode;
import io.rivulet.engine.internal.QueryOptions;
import io.rivulet.engine.sink.Sink;
import io.rivulet.operators.OutputMode;
import io.rivulet.operators.groupstate.GroupStateTimeout;
import io.rivulet.operators.join.JoinSettings;
import io.rivulet.operators.join.JoinType;

import java.util.ArrayList;
import java.util.List;
import io.rivulet.engine.sink.OutputModeAware;

/**
 * Spark's output-mode legality rules, checked when a query starts, before anything runs. Each
 * rejection names the rule in Spark's words and says what to do instead.
 *
 * <p>Where Rivulet goes further than Spark: session windows are allowed in update mode.
 */
final class QueryValidator {
    private static final System.Logger LOG = System.getLogger(QueryValidator.class.getName());

    private QueryValidator() {
    }

    /** A stateful node on a path from a source to the sink, with what lies upstream of it. */
    private record Stateful(PlanNode.KeyedNode<?, ?, ?> node, boolean watermarkUpstream, int aggregationsUpstream) {
    }

    static void validate(PlanNode<?> root, Sink<?> sink, QueryOptions options) {
        OutputMode mode = options.outputMode();
        if (options.restartStrategy().attempts() > 0 && options.checkpointLocation() == null) {
            throw new IllegalArgumentException("restartStrategy with " + options.restartStrategy().attempts()
                + " attempts needs a checkpoint location: a restart without one would process the input again from"
                + " the start; set checkpointLocation(dir) or use RestartStrategy.none()");
        }
        if (sink.requiresCheckpointLocation() && options.checkpointLocation() == null) {
            throw new IllegalArgumentException("sink " + sink.description() + " needs a checkpoint location (as in Spark:"
                + " without one it cannot tell its committed output from a failed run's); set"
                + " writeStream.checkpointLocation(dir) or option(\"checkpointLocation\", dir)");
        }
        List<Stateful> stateful = new ArrayList<>();
        collect(root, stateful);
        for (Stateful s : stateful) {
            checkPartitions(s.node(), options);
        }
        for (Stateful s : stateful) {
            if (s.node() instanceof PlanNode.CoKeyedNode<?, ?, ?, ?> co && co.join() != null) {
                checkJoin(co, mode, options.name());
            }
        }
        List<Stateful> aggregations = stateful.stream().filter(s -> isAggregation(s.node().kind())).toList();
        if (mode == OutputMode.COMPLETE && aggregations.isEmpty()) {
            throw new IllegalArgumentException("Invalid streaming output mode: complete. This output mode is not supported"
                + " for no streaming aggregations on streaming DataFrames/DataSets: complete mode re-emits the whole result"
                + " table of an aggregation every epoch; use append or update for this query");
        }
        for (Stateful s : aggregations) {
            if (s.aggregationsUpstream() > 0) {
                throw new IllegalArgumentException("Multiple streaming aggregations are not supported with streaming"
                    + " DataFrames/Datasets: '" + s.node().description() + "' aggregates the output of another aggregation,"
                    + " which would double-count updated rows");
            }
            if (mode == OutputMode.APPEND && !watermarkInKey(s)) {
                throw new IllegalArgumentException("Invalid streaming output mode: append. This output mode is not supported"
                    + " for streaming aggregations without watermark on streaming DataFrames/DataSets: '"
                    + s.node().description() + "' can only emit a row once the watermark closes it, so group by an"
                    + " event-time window after withWatermark, or use update or complete mode");
            }
        }
        for (Stateful s : stateful) {
            PlanNode.KeyedKind kind = s.node().kind();
            if (kind == PlanNode.KeyedKind.SORT && (mode != OutputMode.COMPLETE || s.aggregationsUpstream() == 0)) {
                throw new IllegalArgumentException("Sorting is not supported on streaming DataFrames/Datasets, unless it is on"
                    + " aggregated DataFrame/Dataset in Complete output mode (output mode is " + mode.name().toLowerCase()
                    + ")");
            }
            checkDeduplication(s);
            if (kind == PlanNode.KeyedKind.STATEFUL && mode == OutputMode.COMPLETE) {
                throw new IllegalArgumentException("Invalid streaming output mode: complete. '" + s.node().description()
                    + "' is an arbitrary stateful operation, which has no result table to re-emit; use append or update");
            }
        }
        for (Stateful s : stateful) {
            if (s.node().kind() == PlanNode.KeyedKind.GROUP_STATE) {
                checkGroupState(s, mode, !aggregations.isEmpty());
            }
        }
        if (sink instanceof OutputModeAware aware && !aware.supports(mode)) {
            throw new IllegalArgumentException("sink " + sink.description() + " does not support output mode "
                + mode.name().toLowerCase());
        }
    }

    /**
     * {@code dropDuplicatesWithinWatermark} needs a watermark (Spark's rule) and, in Rivulet, the event
     * time of the records it sees: the {@code withWatermark} they come straight from, or one given.
     */
    private static void checkDeduplication(Stateful s) {
        PlanNode.KeyedKind kind = s.node().kind();
        boolean withinWatermark = kind == PlanNode.KeyedKind.DEDUPLICATION_WITHIN_WATERMARK
            || kind == PlanNode.KeyedKind.DEDUPLICATION_WITHIN_WATERMARK_NO_EVENT_TIME;
        if (withinWatermark && !s.watermarkUpstream()) {
            throw new IllegalArgumentException("dropDuplicatesWithinWatermark is not supported on streaming"
                + " DataFrames/DataSets without watermark: '" + s.node().description() + "' keeps a key until the"
                + " watermark passes its first event time + the delay; call withWatermark(eventTimeMs, delay) upstream,"
                + " or use dropDuplicates to keep keys forever");
        }
        if (kind == PlanNode.KeyedKind.DEDUPLICATION_WITHIN_WATERMARK_NO_EVENT_TIME) {
            throw new IllegalArgumentException("'" + s.node().description() + "' does not know the event time of its"
                + " records: they are not the records of a withWatermark (a map or another operator came in between);"
                + " call it right after withWatermark (filters may come between), or give the event time and delay:"
                + " keyBy(..).dropDuplicatesWithinWatermark(eventTimeMs, delay)");
        }
    }

    /**
     * Spark's rules for {@code mapGroupsWithState} / {@code flatMapGroupsWithState}
     * ({@code UnsupportedOperationChecker}), in Spark's words: {@code mapGroupsWithState} only in
     * update mode and without an aggregation; {@code flatMapGroupsWithState} in a query without aggregation only with its own mode
     * equal to the query's, and with an aggregation only in append mode and not after the aggregation;
     * an event-time timeout only with a watermark upstream.
     */
    private static void checkGroupState(Stateful s, OutputMode mode, boolean aggregationInQuery) {
        PlanNode.GroupStateInfo info = s.node().groupState();
        String queryMode = sparkName(mode);
        if (info.mapGroups()) {
            if (aggregationInQuery) {
                throw new IllegalArgumentException("mapGroupsWithState is not supported with aggregation on a streaming"
                    + " DataFrame/Dataset: its rows are updates of a key's row, which an aggregation would count again"
                    + " each time; use flatMapGroupsWithState(APPEND, ...) before the aggregation");
            }
            if (mode != OutputMode.UPDATE) {
                throw new IllegalArgumentException("mapGroupsWithState is not supported with " + queryMode + " output mode"
                    + " on a streaming DataFrame/Dataset: it emits one row per key and call, an update of that key's row;"
                    + " run the query in update mode, or use flatMapGroupsWithState(APPEND, ...)");
            }
        } else if (!aggregationInQuery) {
            if (info.outputMode() != mode) {
                throw new IllegalArgumentException("flatMapGroupsWithState in " + sparkName(info.outputMode()).toLowerCase()
                    + " mode is not supported with " + queryMode + " output mode on a streaming DataFrame/Dataset: without"
                    + " an aggregation, the operation's output mode must be the query's");
            }
        } else if (info.outputMode() == OutputMode.UPDATE) {
            throw new IllegalArgumentException("flatMapGroupsWithState in update mode is not supported with aggregation on a"
                + " streaming DataFrame/Dataset: an aggregation after it needs rows that never change, so use"
                + " flatMapGroupsWithState(APPEND, ...)");
        } else if (s.aggregationsUpstream() > 0) {
            throw new IllegalArgumentException("flatMapGroupsWithState in append mode is not supported after aggregation on"
                + " a streaming DataFrame/Dataset: '" + s.node().description() + "' reads an aggregation's updated rows");
        }
        if (info.timeout() == GroupStateTimeout.EVENT_TIME_TIMEOUT && !s.watermarkUpstream()) {
            throw new IllegalArgumentException("Watermark must be specified in the query using"
                + " '[Dataset/DataFrame].withWatermark()' for using event-time timeout in a [map|flatMap]GroupsWithState."
                + " Event-time timeout not supported without watermark.");
        }
    }

    /**
     * Spark's stream-stream join rules ({@code UnsupportedOperationChecker.checkForStreamStreamJoinWatermark}),
     * in Spark's words: only in append mode; an outer or semi join only with "a watermark on the nullable
     * side and an appropriate range condition", that is a time range and a watermark on the input whose
     * watermark bounds the outer side's rows: the right input for a left outer or left semi join, the
     * left input for a right outer join, either input for a full outer join (Spark accepts one). A
     * watermark in the join keys (Spark's alternative) is not supported: a time range is needed.
     *
     * <p>What such a join evicts follows {@link JoinSettings#evictsSide} (Spark's state watermarks): a
     * side only with a time range and a watermark on both inputs. A join with a side that is never
     * evicted (an inner join without a range or a watermark, or an outer join with one watermark, whose
     * outer rows then never come out, as in Spark) is allowed, with one warning at start naming the
     * sides.
     */
    private static void checkJoin(PlanNode.CoKeyedNode<?, ?, ?, ?> co, OutputMode mode, String queryName) {
        PlanNode.JoinInfo join = co.join();
        if (mode != OutputMode.APPEND) {
            throw new IllegalArgumentException("Join between two streaming DataFrames/Datasets is not supported in "
                + sparkName(mode) + " output mode, only in Append output mode: '" + co.description() + "' emits each"
                + " joined row once and never updates it; run the query in append mode");
        }
        boolean leftWatermark = hasWatermarkUpstream(co.input());
        boolean rightWatermark = hasWatermarkUpstream(co.right());
        JoinType type = join.type();
        boolean range = join.timeRange();
        boolean validWatermarkRange = switch (type) {
            case INNER -> true;
            case LEFT_OUTER, LEFT_SEMI -> range && rightWatermark;
            case RIGHT_OUTER -> range && leftWatermark;
            case FULL_OUTER -> range && (leftWatermark || rightWatermark);
        };
        if (!validWatermarkRange) {
            throw new IllegalArgumentException("Stream-stream " + sparkJoinName(type) + " join between two streaming"
                + " DataFrame/Datasets is not supported without a watermark in the join keys, or a watermark on the"
                + " nullable side and an appropriate range condition: '" + co.description() + "' has "
                + (leftWatermark ? "a" : "no") + " watermark on its left input, " + (rightWatermark ? "a" : "no")
                + " watermark on its right input and " + (range ? "a" : "no") + " time range; give"
                + " JoinOptions.withTimeRange and call withWatermark on " + watermarkNeeded(type) + ", so that the"
                + " watermark can end a row's wait for a match (with a watermark on both inputs the join also evicts"
                + " its state and emits its outer rows)");
        }
        if (range && !(join.leftEventTime() && join.rightEventTime())) {
            String side = !join.leftEventTime() ? "left" : "right";
            throw new IllegalArgumentException("'" + co.description() + "' has a time range but does not know the event"
                + " time of its " + side + " rows: they are not the records of a withWatermark (a map or another"
                + " operator came in between); key them right after withWatermark (filters may come between), or give"
                + " both event times: JoinOptions.withEventTimes(leftTimeMs, rightTimeMs)");
        }
        warnIfStateUnbounded(co, type, range, leftWatermark, rightWatermark, queryName);
    }

    /** The one warning for a join with a side whose rows are never evicted ({@link JoinSettings#evictsSide}). */
    private static void warnIfStateUnbounded(PlanNode.CoKeyedNode<?, ?, ?, ?> co, JoinType type, boolean range,
                                             boolean leftWatermark, boolean rightWatermark, String queryName) {
        boolean evictsLeft = JoinSettings.evictsSide(range, leftWatermark, rightWatermark);
        boolean evictsRight = JoinSettings.evictsSide(range, rightWatermark, leftWatermark);
        if (evictsLeft && evictsRight) {
            return;
        }
        String sides = !evictsLeft && !evictsRight ? "both inputs" : !evictsLeft ? "its left input" : "its right input";
        boolean leftNullsLost = !evictsLeft && type.emitsUnmatchedLeft();
        boolean rightNullsLost = !evictsRight && type.emitsUnmatchedRight();
        String outer = leftNullsLost && rightNullsLost ? "; no unmatched row of either side ever comes out as an outer row"
            : leftNullsLost ? "; its unmatched left rows never come out as outer rows"
            : rightNullsLost ? "; its unmatched right rows never come out as outer rows" : "";
        LOG.log(System.Logger.Level.WARNING, "query '" + queryName + "': join '" + co.description() + "' keeps every"
            + " row of " + sides + " forever, so its state grows without bound" + outer + ": a join evicts a side's"
            + " rows only with a time range and a watermark on both inputs (it has " + (leftWatermark ? "a" : "no")
            + " left watermark, " + (rightWatermark ? "a" : "no") + " right watermark, " + (range ? "a" : "no")
            + " time range), as in Spark; add them, or bound the state with JoinOptions.withMaxStateRows");
    }

    /** Spark's names of join types in its messages: {@code LeftOuter}, {@code FullOuter}... */
    private static String sparkJoinName(JoinType type) {
        return switch (type) {
            case INNER -> "Inner";
            case LEFT_OUTER -> "LeftOuter";
            case RIGHT_OUTER -> "RightOuter";
            case FULL_OUTER -> "FullOuter";
            case LEFT_SEMI -> "LeftSemi";
        };
    }

    /** The input whose watermark Spark's rule asks for: the one whose watermark bounds the outer side's rows. */
    private static String watermarkNeeded(JoinType type) {
        return switch (type) {
            case LEFT_OUTER, LEFT_SEMI -> "the right input (the nullable side)";
            case RIGHT_OUTER -> "the left input (the nullable side)";
            default -> "one input, or both";
        };
    }

    /** Spark prints output modes as {@code Append}, {@code Update}, {@code Complete}. */
    private static String sparkName(OutputMode mode) {
        String name = mode.name().toLowerCase();
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    /** Keys are routed by key group, and each partition owns whole key groups: there cannot be more partitions. */
    private static void checkPartitions(PlanNode.KeyedNode<?, ?, ?> node, QueryOptions options) {
        int partitions = node.partitions() > 0 ? node.partitions() : options.defaultParallelism();
        if (partitions > options.maxParallelism()) {
            throw new IllegalArgumentException("keyed stage '" + node.description() + "' has " + partitions + " partitions"
                + (node.partitions() > 0 ? "" : " (the defaultParallelism)") + " but maxParallelism is "
                + options.maxParallelism() + ": a stage's partitions must be <= maxParallelism, the number of key groups"
                + " its keys and state are split into; lower the partitions or raise maxParallelism");
        }
    }

    /**
     * Whether Spark would run a no-data batch when the watermark moves: outside complete mode, when
     * a stateful operator has a watermark upstream, whether or not its key holds the watermarked
     * column (Spark's {@code StateStoreWriter.shouldRunAnotherBatch} asks only whether the operator
     * has a watermark for eviction; an aggregation keyed by a plain column evicts nothing, but its
     * no-data batch still runs and takes a batch id). Group state asks for one only with an event-time
     * timeout, as Spark's {@code FlatMapGroupsWithStateExec} does.
     */
    static boolean watermarkDrivesState(PlanNode<?> root, QueryOptions options) {
        if (options.outputMode() == OutputMode.COMPLETE) {
            return false;
        }
        List<Stateful> stateful = new ArrayList<>();
        collect(root, stateful);
        return stateful.stream().anyMatch(s -> s.watermarkUpstream() && s.node().kind() != PlanNode.KeyedKind.SORT
            && (s.node().kind() != PlanNode.KeyedKind.GROUP_STATE
                || s.node().groupState().timeout() == GroupStateTimeout.EVENT_TIME_TIMEOUT));
    }

    private static boolean isAggregation(PlanNode.KeyedKind kind) {
        return kind == PlanNode.KeyedKind.AGGREGATION || kind == PlanNode.KeyedKind.WINDOW_AGGREGATION
            || kind == PlanNode.KeyedKind.SESSION_AGGREGATION;
    }

    private static boolean watermarkInKey(Stateful s) {
        PlanNode.KeyedKind kind = s.node().kind();
        return s.watermarkUpstream()
            && (kind == PlanNode.KeyedKind.WINDOW_AGGREGATION || kind == PlanNode.KeyedKind.SESSION_AGGREGATION);
    }

    /** Walks every path from the sink back to the sources. */
    private static void collect(PlanNode<?> node, List<Stateful> out) {
        if (node instanceof PlanNode.CoKeyedNode<?, ?, ?, ?> co) {
            // A two-input stage sees a watermark if either input carries one (the merged watermark moves
            // with it), and lies after the aggregations of either input.
            out.add(new Stateful(co, hasWatermarkUpstream(co.input()) || hasWatermarkUpstream(co.right()),
                Math.max(aggregationsUpstream(co.input()), aggregationsUpstream(co.right()))));
        } else if (node instanceof PlanNode.KeyedNode<?, ?, ?> keyed) {
            out.add(new Stateful(keyed, hasWatermarkUpstream(keyed.input()), aggregationsUpstream(keyed.input())));
        }
        for (PlanNode<?> input : node.inputs()) {
            collect(input, out);
        }
    }

    private static boolean hasWatermarkUpstream(PlanNode<?> node) {
        if (node instanceof PlanNode.WatermarkNode<?>) {
            return true;
        }
        if (node instanceof PlanNode.SourceNode<?> source) {
            return source.source().emitsWatermarks();
        }
        for (PlanNode<?> input : node.inputs()) {
            if (hasWatermarkUpstream(input)) {
                return true;
            }
        }
        return false;
    }

    private static int aggregationsUpstream(PlanNode<?> node) {
        int count = node instanceof PlanNode.KeyedNode<?, ?, ?> keyed && isAggregation(keyed.kind()) ? 1 : 0;
        int most = 0;
        for (PlanNode<?> input : node.inputs()) {
            most = Math.max(most, aggregationsUpstream(input));
        }
        return count + most;
    }
}
