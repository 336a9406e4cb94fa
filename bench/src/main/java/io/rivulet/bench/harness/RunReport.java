package io.rivulet.bench.harness;

import org.HdrHistogram.Histogram;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The outcome of one harness run, as printed by the mains and tabulated by {@link SuiteMain}. Immutable.
 *
 * @param options        the run's settings.
 * @param trades         trades the source emitted.
 * @param eventsPerSecond throughput mode: trades / (last result - first emission); latency mode: the achieved rate
 *                        over the same span.
 * @param results        results the sink received.
 * @param checksum       the results' checksum.
 * @param check          the verdict on the result.
 * @param latency        latency percentiles, ns ({@code null} in throughput mode).
 * @param allocation     allocation, CPU time, GC (per collector) and the heap's peak between the two snapshots.
 * @param behindNs       how late the last event left the source, ns.
 * @param truncated      whether the source stopped at its time limit.
 */
public record RunReport(
    HarnessOptions options,
    long trades,
    double eventsPerSecond,
    long results,
    long checksum,
    ResultCheck check,
    Latency latency,
    AllocationMeter.Delta allocation,
    long behindNs,
    boolean truncated)
{
    /** Prefix of the machine-readable line {@link SuiteMain} parses. */
    public static final String RESULT_PREFIX = "RESULT ";

    /**
     * Latency percentiles of a run, ns.
     *
     * @param samples  recorded events.
     * @param p50      median.
     * @param p99      99th percentile.
     * @param p999     99.9th percentile.
     * @param p9999    99.99th percentile.
     * @param max      maximum.
     */
    public record Latency(long samples, long p50, long p99, long p999, long p9999, long max)
    {
        /**
         * @param histogram recorded latencies, ns.
         * @return the percentiles.
         */
        public static Latency of(final Histogram histogram)
        {
            return new Latency(histogram.getTotalCount(), histogram.getValueAtPercentile(50),
                histogram.getValueAtPercentile(99), histogram.getValueAtPercentile(99.9),
                histogram.getValueAtPercentile(99.99), histogram.getMaxValue());
        }
    }

    /** @return whether the source kept up: not truncated and its last event left less than 50 ms late. */
    public boolean sustained()
    {
        return !truncated && behindNs < 50_000_000L;
    }

    /** @return whether the run counts as passed (its result is right). */
    public boolean passed()
    {
        return check.ok();
    }

    /** @return the report as key=value pairs, in print order. */
    public Map<String, String> fields()
    {
        final Map<String, String> f = new LinkedHashMap<>();
        f.put("workload", options.workload());
        f.put("mode", options.mode().label());
        f.put("rate", options.mode().paced() ? Long.toString(options.rate()) : "max");
        f.put("partitions", Integer.toString(options.partitions()));
        f.put("wait", options.waitStrategy());
        f.put("fused", Boolean.toString(options.fuse()));
        if ("K1L".equals(options.workload()))
        {
            f.put("keys", options.keys().label());
        }
        f.put("trades", Long.toString(trades));
        f.put("eventsPerSec", Long.toString(Math.round(eventsPerSecond)));
        f.put("results", Long.toString(results));
        f.put("checksum", Long.toString(checksum));
        f.put("check", check.ok() ? "OK" : "FAIL");
        f.put("reference", check.reference());
        if (latency != null)
        {
            f.put("samples", Long.toString(latency.samples()));
            f.put("p50Ns", Long.toString(latency.p50()));
            f.put("p99Ns", Long.toString(latency.p99()));
            f.put("p999Ns", Long.toString(latency.p999()));
            f.put("p9999Ns", Long.toString(latency.p9999()));
            f.put("maxNs", Long.toString(latency.max()));
        }
        f.put("bytesPerEvent", format(allocation.queryBytesPerEvent()));
        f.put("allBytesPerEvent", format(allocation.totalBytesPerEvent()));
        for (final Map.Entry<String, Double> t : allocation.bytesPerEventByThread().entrySet())
        {
            f.put("bytesPerEvent." + t.getKey(), format(t.getValue()));
        }
        f.put("cpuNsPerEvent", format(allocation.cpuNsPerEvent()));
        for (final Map.Entry<String, Double> t : allocation.cpuNsPerEventByThread().entrySet())
        {
            f.put("cpuNsPerEvent." + t.getKey(), format(t.getValue()));
        }
        f.put("gcCount", Long.toString(allocation.gcCount()));
        f.put("gcMs", Long.toString(allocation.gcMs()));
        for (final Map.Entry<String, long[]> gc : allocation.gcByCollector().entrySet())
        {
            final String name = gc.getKey().replace(' ', '_');
            f.put("gcCount." + name, Long.toString(gc.getValue()[0]));
            f.put("gcMs." + name, Long.toString(gc.getValue()[1]));
        }
        f.put("heapPeakMB", allocation.heapPeakBytes() < 0 ? "n/a" : format(allocation.heapPeakBytes() / 1048576.0));
        f.put("behindMs", format(behindNs / 1e6));
        f.put("truncated", Boolean.toString(truncated));
        f.put("sustained", Boolean.toString(sustained()));
        return f;
    }

    /** @return the machine-readable line: {@code RESULT key=value ...}. */
    public String resultLine()
    {
        final StringBuilder line = new StringBuilder(RESULT_PREFIX);
        fields().forEach((k, v) -> line.append(k).append('=').append(v).append(' '));
        return line.toString().trim();
    }

    /** @return a human-readable summary, several lines. */
    public String summary()
    {
        final StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%s %s%s: %d trades, %s events/s, %d results, checksum %d%n",
            options.workload(), options.mode().label(),
            options.mode().paced() ? " @ " + rate(options.rate()) + "/s" : "",
            trades, rate(eventsPerSecond), results, checksum));
        s.append("  check: ").append(check.ok() ? "OK, " : "FAILED, ").append(check.detail())
            .append(" (spec reference: ").append(check.reference()).append(')').append(System.lineSeparator());
        if (latency != null)
        {
            s.append(String.format(Locale.ROOT, "  latency (%d samples): p50 %s  p99 %s  p99.9 %s  p99.99 %s  max %s%n",
                latency.samples(), micros(latency.p50()), micros(latency.p99()), micros(latency.p999()),
                micros(latency.p9999()), micros(latency.max())));
            s.append(String.format(Locale.ROOT, "  source: behind %.3f ms, truncated %s, sustained %s%n",
                behindNs / 1e6, truncated, sustained()));
        }
        s.append(String.format(Locale.ROOT, "  allocation: %s B/event on the query's threads %s, %s B/event all threads%n",
            format(allocation.queryBytesPerEvent()), perThread(allocation.bytesPerEventByThread()),
            format(allocation.totalBytesPerEvent())));
        s.append(String.format(Locale.ROOT, "  GC: %d collections, %d ms %s; heap peak %s MB%n", allocation.gcCount(),
            allocation.gcMs(), perCollector(allocation.gcByCollector()),
            allocation.heapPeakBytes() < 0 ? "n/a" : format(allocation.heapPeakBytes() / 1048576.0)));
        s.append(String.format(Locale.ROOT, "  CPU: %s ns/event on the query's threads %s%n",
            format(allocation.cpuNsPerEvent()), perThread(allocation.cpuNsPerEventByThread())));
        return s.toString();
    }

    /**
     * @param ns a latency, ns.
     * @return it in µs or ms, e.g. {@code 0.4µs}, {@code 39µs}, {@code 1.1ms}.
     */
    public static String micros(final long ns)
    {
        if (ns < 10_000)
        {
            return String.format(Locale.ROOT, "%.1fµs", ns / 1e3);
        }
        if (ns < 1_000_000)
        {
            return String.format(Locale.ROOT, "%.0fµs", ns / 1e3);
        }
        return String.format(Locale.ROOT, "%.1fms", ns / 1e6);
    }

    /**
     * @param perSecond a rate.
     * @return it as {@code 15.04M}, {@code 626k} or {@code 950}.
     */
    public static String rate(final double perSecond)
    {
        if (perSecond >= 1e6)
        {
            return String.format(Locale.ROOT, "%.2fM", perSecond / 1e6);
        }
        if (perSecond >= 1e3)
        {
            return String.format(Locale.ROOT, "%.0fk", perSecond / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f", perSecond);
    }

    private static String perThread(final Map<String, Double> bytesPerEvent)
    {
        final StringBuilder s = new StringBuilder("{");
        bytesPerEvent.forEach((thread, bytes) -> s.append(s.length() > 1 ? ", " : "").append(thread).append('=')
            .append(format(bytes)));
        return s.append('}').toString();
    }

    private static String perCollector(final Map<String, long[]> gcByCollector)
    {
        final StringBuilder s = new StringBuilder("{");
        gcByCollector.forEach((collector, countAndMs) -> s.append(s.length() > 1 ? ", " : "").append(collector)
            .append('=').append(countAndMs[0]).append('/').append(countAndMs[1]).append(" ms"));
        return s.append('}').toString();
    }

    private static String format(final double value)
    {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%.2f", value);
    }
}
