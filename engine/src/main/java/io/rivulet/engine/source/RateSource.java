package io.rivulet.engine.source;

import io.rivulet.engine.internal.Options;

import java.time.Duration;

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
        if (rampUp.isNegative() || rampUp.toNanos() % 1_000_000_000L != 0) {
            throw new IllegalArgumentException("rampUpTime must be zero or more whole seconds, got " + rampUp);
        }
        return new RateSource(rowsPerSecond, partitions, rampUp.toSeconds());
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
            .add("rampUpTime", v -> result[0] = rampUpTime(Options.parseDuration(v, "s")))
            .set(name, value);
        return result[0];
    }

    /**
     * Spark's {@code RateStreamProvider.valueAtSecond}: how many rows are due after
     * {@code seconds} whole seconds.
     *
     * @param seconds elapsed whole seconds
     * @param rowsPerSecond the full rate
     * @param rampUpSeconds the ramp-up
     * @return rows due
     */
    static long valueAtSecond(long seconds, long rowsPerSecond, long rampUpSeconds) {
        double speedDeltaPerSecond = rowsPerSecond / (double) (rampUpSeconds + 1);
        if (seconds <= rampUpSeconds) {
            return seconds % 2 == 1
                ? (long) ((seconds + 1) / 2 * speedDeltaPerSecond * seconds)
                : (long) (seconds / 2 * speedDeltaPerSecond * (seconds + 1));
        }
        return valueAtSecond(rampUpSeconds, rowsPerSecond, rampUpSeconds) + (seconds - rampUpSeconds) * rowsPerSecond;
    }

    /**
     * Rows due after {@code elapsedNs}: Spark's per-second totals, spread evenly within each second.
     *
     * @param elapsedNs time since the start
     * @return rows due, across all partitions
     */
    long rowsDue(long elapsedNs) {
        long second = elapsedNs / 1_000_000_000L;
        long atSecond = valueAtSecond(second, rowsPerSecond, rampUpSeconds);
        long inSecond = valueAtSecond(second + 1, rowsPerSecond, rampUpSeconds) - atSecond;
        return atSecond + (long) (inSecond * ((elapsedNs % 1_000_000_000L) / 1e9));
    }

    /**
     * The time row {@code k} is due, inverse of {@link #rowsDue}.
     *
     * @param k the row's value
     * @return nanoseconds after the start
     */
    long dueNs(long k) {
        long rampedRows = valueAtSecond(rampUpSeconds, rowsPerSecond, rampUpSeconds);
        if (k >= rampedRows) {
            // Past the ramp the rate is constant: closed form, no search on the hot path.
            return rampUpSeconds * 1_000_000_000L + (long) Math.ceil((k - rampedRows + 1) * 1e9 / rowsPerSecond);
        }
        long lo = 0;
        long hi = Math.max(1, rampUpSeconds + 1 + k / rowsPerSecond);
        while (lo < hi) {
            // smallest second s with valueAtSecond(s + 1) > k
            long mid = (lo + hi) >>> 1;
            if (valueAtSecond(mid + 1, rowsPerSecond, rampUpSeconds) > k) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        long atSecond = valueAtSecond(lo, rowsPerSecond, rampUpSeconds);
        long inSecond = valueAtSecond(lo + 1, rowsPerSecond, rampUpSeconds) - atSecond;
        long within = (long) Math.ceil((k - atSecond + 1) * 1e9 / inSecond);
        return lo * 1_000_000_000L + Math.min(within, 999_999_999L);
    }

    @Override
    public String description() {
        return "rate[rowsPerSecond=" + rowsPerSecond + ", numPartitions=" + partitions + ", rampUpTime=" + rampUpSeconds + "s]";
    }

    @Override
    public int numPartitions() {
        return partitions;
    }

    @Override
    public SourceReader<RateRow> open(SourceContext context) {
        return new Reader(this, context);
    }

    private static final class Reader implements SourceReader<RateRow> {
        private final RateSource source;
        private final SourceContext context;
        private final int stride;
        private final long startNs;
        private final long startMs;
        private long next;

        Reader(RateSource source, SourceContext context) {
            this.source = source;
            this.context = context;
            this.stride = context.numPartitions();
            this.startNs = context.nanoTime();
            this.startMs = context.epochMillis();
            this.next = context.partition();
        }

        @Override
        public int poll(SourceOutput<RateRow> out, int limit) {
            long due = source.rowsDue(context.nanoTime() - startNs);
            int emitted = 0;
            while (emitted < limit && next < due) {
                out.emit(new RateRow(startMs + source.dueNs(next) / 1_000_000L, next));
                next += stride;
                emitted++;
            }
            return emitted;
        }
    }
}
