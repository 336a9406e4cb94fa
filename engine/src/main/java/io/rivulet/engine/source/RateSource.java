package io.rivulet.engine.source;

import io.rivulet.engine.internal.Options;
import io.rivulet.operators.state.SnapshotInput;
import io.rivulet.operators.state.SnapshotOutput;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Objects;

/**
 * Spark's {@code rate} source: generates {@link RateRow}s at a fixed rate, for testing and
 * benchmarking. Unbounded.
 *
 * <p>Options (Spark's names, also accepted through {@link #option(String, String)}):
 * <ul>
 *   <li>{@code rowsPerSecond} (default 1): rows generated per second, across all partitions.</li>
 *   <li>{@code numPartitions} (default 1): partitions, each on its own source thread; partition
 *       {@code p} of {@code n} generates the values {@code p, p+n, …}.</li>
 *   <li>{@code rampUpTime} (default 0s, whole seconds): the rate grows linearly to
 *       {@code rowsPerSecond} over this time, with Spark's formula.</li>
 * </ul>
 * Row {@code k} is due at the time Spark's schedule gives it, measured from the moment the query
 * starts; its {@code timestampMs} is that scheduled time, so timestamps are exact and do not depend
 * on when the thread got to it. A partition that falls behind catches up as fast as it can.
 *
 * <p>Immutable and thread-safe; every setter returns a validated copy.
 */
public final class RateSource implements Source<RateRow> {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final System.Logger LOG = System.getLogger(RateSource.class.getName());
    /** How long a reader measures its rate against the schedule before judging it. */
    static final long RATE_CHECK_WINDOW_NS = NANOS_PER_SECOND;
    /** A reader that emits less than this share of the rows due in a window warns (once). */
    static final double RATE_WARN_FRACTION = 0.9;

    private final long rowsPerSecond;
    private final int partitions;
    private final long rampUpSeconds;

    RateSource() {
        this(1, 1, 0);
    }

    private RateSource(long rowsPerSecond, int partitions, long rampUpSeconds) {
        this.rowsPerSecond = rowsPerSecond;
        this.partitions = partitions;
        this.rampUpSeconds = rampUpSeconds;
    }

    /**
     * @param rows rows per second across all partitions, at least 1
     * @return a copy with that rate
     */
    public RateSource rowsPerSecond(long rows) {
        return new RateSource(Options.positive("rowsPerSecond", rows), partitions, rampUpSeconds);
    }

    /**
     * @param partitions partitions, at least 1
     * @return a copy with that many partitions
     */
    public RateSource numPartitions(int partitions) {
        return new RateSource(rowsPerSecond, Options.positive("numPartitions", partitions), rampUpSeconds);
    }

    /**
     * @param rampUp time to reach the full rate, whole seconds, zero or more
     * @return a copy with that ramp-up
     */
    public RateSource rampUpTime(Duration rampUp) {
        return new RateSource(rowsPerSecond, partitions, wholeSeconds(rampUp, rampUp));
    }

    private static long wholeSeconds(Duration rampUp, Object asGiven) {
        Objects.requireNonNull(rampUp, "rampUpTime");
        if (rampUp.isNegative() || rampUp.toNanos() % NANOS_PER_SECOND != 0) {
            throw new IllegalArgumentException("rampUpTime must be zero or more whole seconds, got " + asGiven);
        }
        return rampUp.toSeconds();
    }

    /**
     * Sets an option by its Spark name.
     *
     * @param name {@code rowsPerSecond}, {@code numPartitions} or {@code rampUpTime} (any case)
     * @param value the value, as Spark takes it (e.g. {@code "5s"} for a ramp-up)
     * @return a copy with the option set
     * @throws IllegalArgumentException naming the option and what is allowed
     */
    public RateSource option(String name, String value) {
        RateSource[] result = {this};
        new Options("source 'rate'")
            .add("rowsPerSecond", v -> result[0] = rowsPerSecond(Options.parseLong(v)))
            .add("numPartitions", v -> result[0] = numPartitions(Options.parseInt(v)))
            .add("rampUpTime", v -> result[0] = new RateSource(rowsPerSecond, partitions,
                wholeSeconds(Options.parseDuration(v, "s"), "'" + v + "'")))
            .set(name, value);
        return result[0];
    }

    /**
     * Spark's {@code RateStreamProvider.valueAtSecond}: how many rows are due after
     * {@code seconds} whole seconds. As in Spark, the speed grows by
     * {@code rowsPerSecond / (rampUpSeconds + 1)} whole rows (integer division) each second of the
     * ramp, so a rate that does not divide evenly ramps up to a little less than the full rate.
     *
     * @param seconds elapsed whole seconds
     * @param rowsPerSecond the full rate
     * @param rampUpSeconds the ramp-up
     * @return rows due
     */
    static long valueAtSecond(long seconds, long rowsPerSecond, long rampUpSeconds) {
        long speedDeltaPerSecond = rowsPerSecond / (rampUpSeconds + 1);
        if (seconds <= rampUpSeconds) {
            // speedDelta * seconds * (seconds + 1) / 2, halving the even factor first so it cannot overflow early
            return seconds % 2 == 1
                ? (seconds + 1) / 2 * speedDeltaPerSecond * seconds
                : seconds / 2 * speedDeltaPerSecond * (seconds + 1);
        }
        return valueAtSecond(rampUpSeconds, rowsPerSecond, rampUpSeconds) + (seconds - rampUpSeconds) * rowsPerSecond;
    }

    /**
     * Rows due after {@code elapsedNs}: Spark's per-second totals, spread evenly within each second.
     * Exact integer arithmetic, so that {@link #dueNs} is its exact inverse.
     *
     * @param elapsedNs time since the start, zero or more
     * @return rows due, across all partitions
     */
    long rowsDue(long elapsedNs) {
        long second = elapsedNs / NANOS_PER_SECOND;
        long atSecond = valueAtSecond(second, rowsPerSecond, rampUpSeconds);
        long inSecond = valueAtSecond(second + 1, rowsPerSecond, rampUpSeconds) - atSecond;
        return atSecond + multiplyDivideFloor(inSecond, elapsedNs % NANOS_PER_SECOND, NANOS_PER_SECOND);
    }

    /**
     * The time row {@code k} is due: the smallest {@code t} with {@code rowsDue(t) > k}. The last
     * row of a second is due at the start of the next one.
     *
     * @param k the row's value
     * @return nanoseconds after the start
     */
    long dueNs(long k) {
        long rampedRows = valueAtSecond(rampUpSeconds, rowsPerSecond, rampUpSeconds);
        if (k >= rampedRows) {
            // Past the ramp the rate is constant: closed form, no search on the hot path.
            long rowsPastRamp = k - rampedRows + 1;
            long wholeSeconds = rowsPastRamp / rowsPerSecond;
            long withinNs = multiplyDivideCeil(rowsPastRamp % rowsPerSecond, NANOS_PER_SECOND, rowsPerSecond);
            return (rampUpSeconds + wholeSeconds) * NANOS_PER_SECOND + withinNs;
        }
        long lo = 0;
        long hi = rampUpSeconds;
        while (lo < hi) {
            // smallest second s with valueAtSecond(s + 1) > k; it lies within the ramp
            long mid = (lo + hi) >>> 1;
            if (valueAtSecond(mid + 1, rowsPerSecond, rampUpSeconds) > k) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        long atSecond = valueAtSecond(lo, rowsPerSecond, rampUpSeconds);
        long inSecond = valueAtSecond(lo + 1, rowsPerSecond, rampUpSeconds) - atSecond;
        return lo * NANOS_PER_SECOND + multiplyDivideCeil(k - atSecond + 1, NANOS_PER_SECOND, inSecond);
    }

    /** {@code floor(a * b / c)} for {@code a, b >= 0} and {@code c > 0}, exact. */
    static long multiplyDivideFloor(long a, long b, long c) {
        long product = a * b;
        if (Math.multiplyHigh(a, b) == 0 && product >= 0) {
            return product / c;
        }
        return multiplyDivideSlowPath(a, b, c, false);
    }

    /** {@code ceil(a * b / c)} for {@code a, b >= 0} and {@code c > 0}, exact. */
    static long multiplyDivideCeil(long a, long b, long c) {
        long product = a * b;
        if (Math.multiplyHigh(a, b) == 0 && product >= 0) {
            return product / c + (product % c == 0 ? 0 : 1);
        }
        return multiplyDivideSlowPath(a, b, c, true);
    }

    private static long multiplyDivideSlowPath(long a, long b, long c, boolean ceil) {
        // Only rates above ~9.2e9 rows per second overflow a long here.
        BigInteger[] quotient = BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)).divideAndRemainder(BigInteger.valueOf(c));
        BigInteger result = ceil && quotient[1].signum() != 0 ? quotient[0].add(BigInteger.ONE) : quotient[0];
        return result.longValueExact();
    }

    @Override
    public String description() {
        return "rate[rowsPerSecond=" + rowsPerSecond + ", numPartitions=" + partitions + ", rampUpTime=" + rampUpSeconds + "s]";
    }

    @Override
    public int numPartitions() {
        return partitions;
    }

    /**
     * @return {@code rowsPerSecond}, the rate after any ramp-up, across all partitions
     */
    @Override
    public double targetRowsPerSecond() {
        return rowsPerSecond;
    }

    @Override
    public SourceReader<RateRow> open(SourceContext context) {
        return new Reader(this, context);
    }

    /**
     * Replayable: a reader's position is the value of its next row and the source's start time, so
     * a restarted query goes on with the next value, with timestamps on the first run's schedule
     * (rows due while the query was down are emitted at once, as Spark's rate source does).
     */
    @Override
    public boolean isReplayable() {
        return true;
    }

    /**
     * Not thread-safe; owned by the partition's source task. Once per {@link #RATE_CHECK_WINDOW_NS} of
     * its clock (checked per poll, not per row) it compares the rows it emitted in the window with the
     * rows its schedule made due, and warns once if it fell more than 10 % behind: downstream cannot keep
     * up, the rows' timestamps and latencies still follow the schedule.
     */
    static final class Reader implements SourceReader<RateRow> {
        private final RateSource source;
        private final SourceContext context;
        private final int stride;
        private final long startNs;
        private final long startMs;
        private long next;
        private long windowStartNs;
        private long windowStartDue;
        private long windowStartNext;
        private boolean warnedBehind;

        Reader(RateSource source, SourceContext context) {
            this.source = source;
            this.context = context;
            this.stride = context.numPartitions();
            SnapshotInput position = context.restoredPosition();
            if (position == null) {
                this.startNs = context.nanoTime();
                this.startMs = context.epochMillis();
                this.next = context.partition();
            } else {
                this.next = Positions.readStrided(position, context, source.description());
                this.startMs = position.readLong();
                // The first run's start, on this run's monotonic clock.
                this.startNs = context.nanoTime() - (context.epochMillis() - startMs) * 1_000_000L;
            }
            windowStartNs = context.nanoTime();
            windowStartDue = source.rowsDue(Math.max(0, windowStartNs - startNs));
            windowStartNext = next;
        }

        @Override
        public void writePosition(SnapshotOutput out) {
            Positions.writeStrided(out, next, stride);
            out.writeLong(startMs);
        }

        @Override
        public int poll(SourceOutput<RateRow> out, int limit) {
            long due = source.rowsDue(context.nanoTime() - startNs);
            int emitted = 0;
            while (emitted < limit && next < due) {
                long dueNs = source.dueNs(next);
                out.emit(new RateRow(startMs + dueNs / 1_000_000L, next), startNs + dueNs);
                next += stride;
                emitted++;
            }
            if (!warnedBehind && context.nanoTime() - windowStartNs >= RATE_CHECK_WINDOW_NS) {
                checkRate(context.nanoTime(), due);
            }
            return emitted;
        }

        /** @return whether this reader warned that it fell behind its schedule */
        boolean warnedBehind() {
            return warnedBehind;
        }

        private void checkRate(long nowNs, long due) {
            // This partition's rows are the values p, p + stride, ...: count those below each bound.
            long dueRows = rowsOfPartition(due) - rowsOfPartition(windowStartDue);
            long emittedRows = (next - windowStartNext) / stride;
            if (dueRows > 0 && emittedRows < RATE_WARN_FRACTION * dueRows) {
                warnedBehind = true;
                double seconds = (nowNs - windowStartNs) / 1e9;
                LOG.log(System.Logger.Level.WARNING, String.format("%s partition %d of query '%s' runs more than 10%% behind"
                        + " its configured rate: %d of %d rows due in the last %.1f s (%.0f rows/s against %.0f); the query"
                        + " does not keep up (back-pressure). Row timestamps and latencies still count from the schedule."
                        + " Warned once.", source.description(), context.partition(), context.queryName(), emittedRows,
                    dueRows, seconds, emittedRows / seconds, dueRows / seconds));
            }
            windowStartNs = nowNs;
            windowStartDue = due;
            windowStartNext = next;
        }

        private long rowsOfPartition(long dueValues) {
            long first = context.partition();
            return dueValues <= first ? 0 : (dueValues - first + stride - 1) / stride;
        }
    }
}
