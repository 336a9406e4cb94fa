package io.rivulet.engine.sql.expressions;

import io.rivulet.engine.sql.Row;
import io.rivulet.engine.sql.internal.PackedRow;
import io.rivulet.engine.types.DataType;
import io.rivulet.engine.types.DataTypes;
import io.rivulet.engine.types.StructType;

import java.util.List;

/**
 * Time nodes: {@code current_timestamp()}, {@code window(ts, length[, slide[, start]])} and
 * {@code session_window(ts, gap)}, whose value is Spark's {@code window} struct {@code {start, end}} of timestamps.
 * Immutable.
 */
public final class TimeFunctions {
    /** Spark's window struct: {@code struct<start: timestamp, end: timestamp>}. */
    public static final StructType WINDOW_TYPE = new StructType()
        .add("start", DataTypes.TimestampType).add("end", DataTypes.TimestampType);

    private TimeFunctions() {
    }

    /** {@code current_timestamp()}: the evaluator's statement time ({@link EvalContext#currentTimestampMicros}). */
    public static final class CurrentTimestamp extends Expression {
        @Override
        public List<Expression> children() {
            return List.of();
        }

        @Override
        public DataType dataType() {
            return DataTypes.TimestampType;
        }

        @Override
        public boolean nullable() {
            return false;
        }

        @Override
        public String sql() {
            return "current_timestamp()";
        }

        @Override
        public long evalLong(Row row, EvalContext ctx) {
            ctx.isNull = false;
            return ctx.currentTimestampMicros;
        }
    }

    /**
     * {@code window(ts, length, slide, start)}: the windows {@code [s, s + length)} containing {@code ts}, with
     * {@code s = start + k * slide}. Tumbling ({@code slide == length}): exactly one, which {@link #evalObject}
     * returns. Sliding: {@link #windowCount()} candidates, {@link #windowStart(long, int)} each, ascending; the
     * planner emits one row per window containing the timestamp (Spark's Expand + filter).
     */
    public static final class TimeWindow extends Expression {
        private final Expression time;
        private final long lengthMicros;
        private final long slideMicros;
        private final long startMicros;
        private final String printed;

        /**
         * @param time         the event-time column (timestamp).
         * @param lengthMicros window length, &gt; 0.
         * @param slideMicros  slide, &gt; 0 and &lt;= length.
         * @param startMicros  start offset, |start| &lt; slide.
         * @param printed      the printed form of the call.
         */
        public TimeWindow(Expression time, long lengthMicros, long slideMicros, long startMicros, String printed) {
            this.time = time;
            this.lengthMicros = lengthMicros;
            this.slideMicros = slideMicros;
            this.startMicros = startMicros;
            this.printed = printed;
        }

        /**
         * @return the window length in µs.
         */
        public long lengthMicros() {
            return lengthMicros;
        }

        /**
         * @return the slide in µs.
         */
        public long slideMicros() {
            return slideMicros;
        }

        /**
         * @return the start offset in µs.
         */
        public long startMicros() {
            return startMicros;
        }

        /**
         * @return the event-time expression.
         */
        public Expression time() {
            return time;
        }

        /**
         * @return how many windows may contain one timestamp: ceil(length / slide).
         */
        public int windowCount() {
            return (int) ((lengthMicros + slideMicros - 1) / slideMicros);
        }

        /**
         * @param tsMicros a timestamp.
         * @param k        0 .. {@link #windowCount()} - 1.
         * @return the start of the k-th candidate window (ascending); it contains {@code tsMicros} when
         *         {@code tsMicros < start + length}.
         */
        public long windowStart(long tsMicros, int k) {
            long lastStart = tsMicros - Math.floorMod(tsMicros - startMicros, slideMicros);
            return lastStart - (long) (windowCount() - 1 - k) * slideMicros;
        }

        @Override
        public List<Expression> children() {
            return List.of(time);
        }

        @Override
        public DataType dataType() {
            return WINDOW_TYPE;
        }

        @Override
        public String sql() {
            return printed;
        }

        @Override
        public Object evalObject(Row row, EvalContext ctx) {
            if (slideMicros != lengthMicros) {
                throw new UnsupportedOperationException("a sliding window() yields several windows per row: "
                    + "iterate windowStart(ts, k), k < windowCount()");
            }
            long ts = time.evalLong(row, ctx);
            if (ctx.isNull) {
                return null;
            }
            long start = windowStart(ts, 0);
            return PackedRow.of(WINDOW_TYPE, PackedRow.toInstant(start), PackedRow.toInstant(start + lengthMicros));
        }
    }

    /**
     * {@code session_window(ts, gap)}: for one event the window {@code [ts, ts + gap)}; the planner merges
     * overlapping ones per key into sessions.
     */
    public static final class SessionWindow extends Expression {
        private final Expression time;
        private final long gapMicros;
        private final String printed;

        /**
         * @param time      the event-time column.
         * @param gapMicros the gap, &gt; 0.
         * @param printed   the printed form.
         */
        public SessionWindow(Expression time, long gapMicros, String printed) {
            this.time = time;
            this.gapMicros = gapMicros;
            this.printed = printed;
        }

        /**
         * @return the gap in µs.
         */
        public long gapMicros() {
            return gapMicros;
        }

        /**
         * @return the event-time expression.
         */
        public Expression time() {
            return time;
        }

        @Override
        public List<Expression> children() {
            return List.of(time);
        }

        @Override
        public DataType dataType() {
            return WINDOW_TYPE;
        }

        @Override
        public String sql() {
            return printed;
        }

        @Override
        public Object evalObject(Row row, EvalContext ctx) {
            long ts = time.evalLong(row, ctx);
            if (ctx.isNull) {
                return null;
            }
            return PackedRow.of(WINDOW_TYPE, PackedRow.toInstant(ts), PackedRow.toInstant(ts + gapMicros));
        }
    }
}
