package io.rivulet.bench.harness;

import io.rivulet.engine.sink.Sink;
import io.rivulet.engine.sink.SinkWriter;
import org.HdrHistogram.Histogram;

import io.rivulet.engine.sink.Delivery;
import org.agrona.collections.LongArrayList;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The harness sink of WORKLOADS.md section 4: each writer hands every record to its own {@link Probe}, which checks the
 * result; when paced, it reads {@link System#nanoTime()} on receipt and records {@code receipt - due} into its own
 * HdrHistogram (ns, 3 significant digits, max 1 h) when the due time lies in the measured window. Unpaced
 * (throughput mode) it reads the clock only once, when its task ends after the last result. Histograms and probes are
 * merged after the query ends.
 *
 * <p>The runtime calls {@code createWriter} on the starting thread and each writer on its task thread; read
 * {@link #writers()} only after the query has terminated (its thread joins order the reads).
 *
 * @param <T> record type
 */
public final class MeasuringSink<T> implements Sink<T>
{
    /** Longest latency tracked: one hour. */
    public static final long HIGHEST_TRACKABLE_NS = 3_600_000_000_000L;

    /**
     * Diagnostic, {@code -Drivulet.bench.trace=true}: each writer keeps every result's due sequence and receipt time
     * and prints, as it closes, one {@code TRACE} line per due time (for window workloads, per window) to stderr: the
     * first and last result's latency. With {@code -Drivulet.bench.trace=cpu} it also reads, at every 16th result, the
     * thread's CPU time and minor page faults, and prints per window the CPU time and faults between those reads and
     * the wall time beyond the CPU time (off its core: descheduled or stopped, not slow code), total and longest.
     */
    static final String TRACE_PROPERTY = "rivulet.bench.trace";
    /** {@code -Drivulet.bench.trace=cpu}: also samples the thread's CPU time and page faults (~1 µs/result). */
    static final boolean TRACE_CPU = "cpu".equals(System.getProperty(TRACE_PROPERTY));
    static final boolean TRACE = TRACE_CPU || Boolean.getBoolean(TRACE_PROPERTY);
    /** With {@link #TRACE_CPU}: the thread's CPU time, read at every 16th result. */
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final Path THREAD_STAT = Path.of("/proc/thread-self/stat");

    private final String name;
    private final Pacer pacer;
    private final MeasuredWindow window;
    private final Supplier<? extends Probe<T>> probes;
    private final List<Writer<T>> writers = new ArrayList<>();
    /** Committed-output latency: due times of each ended epoch's results, until the epoch commits. */
    private final ConcurrentHashMap<Long, ConcurrentLinkedQueue<long[]>> endedEpochs = new ConcurrentHashMap<>();
    /** Committed-output latency, recorded on the commit thread; [1] is the measured window. */
    private final Histogram[] committed = {newHistogram(), newHistogram()};
    private boolean atCommit;

    /**
     * Per-writer result handling. Not thread-safe; owned by one writer's task thread.
     *
     * @param <T> record type
     */
    public interface Probe<T>
    {
        /**
         * Checks or accumulates one result.
         *
         * @param record the result; valid only during the call (records may be reused).
         * @return the sequence number of the event whose due time the result's latency is measured from.
         */
        long onResult(T record);
    }

    /**
     * @param name   description for progress reports.
     * @param pacer  the schedule, or {@code null} in throughput mode (no latency recorded).
     * @param window which due times are recorded; ignored without a pacer.
     * @param probes creates one probe per writer.
     */
    public MeasuringSink(final String name, final Pacer pacer, final MeasuredWindow window,
        final Supplier<? extends Probe<T>> probes)
    {
        this.name = Objects.requireNonNull(name, "name");
        this.pacer = pacer;
        this.window = pacer == null ? null : Objects.requireNonNull(window, "window");
        this.probes = Objects.requireNonNull(probes, "probes");
    }

    /**
     * Measures committed-output latency instead: each result's latency ends when its epoch commits (it is
     * visible in an exactly-once sink), not when it is written. Call before the query starts.
     *
     * @param enabled whether to measure at commit
     * @return this
     */
    public MeasuringSink<T> measuringAtCommit(final boolean enabled)
    {
        this.atCommit = enabled;
        return this;
    }

    @Override
    public String description()
    {
        return "measuring[" + name + (atCommit ? ", at commit" : "") + "]";
    }

    @Override
    public Delivery delivery()
    {
        return atCommit ? Delivery.EXACTLY_ONCE : Delivery.AT_LEAST_ONCE;
    }

    @Override
    public void commit(final long epochId)
    {
        final ConcurrentLinkedQueue<long[]> parts = endedEpochs.remove(epochId);
        if (parts == null || pacer == null)
        {
            return;
        }
        final long nowNs = System.nanoTime();
        for (final long[] dues : parts)
        {
            for (final long dueNs : dues)
            {
                committed[window.index(dueNs)].recordValue(Math.min(Math.max(nowNs - dueNs, 0), HIGHEST_TRACKABLE_NS));
            }
        }
    }

    @Override
    public SinkWriter<T> createWriter(final int writerIndex)
    {
        final Writer<T> writer = new Writer<>(probes.get(), pacer, window, atCommit ? this : null);
        synchronized (writers)
        {
            writers.add(writer);
        }
        return writer;
    }

    /** @return every writer created, in creation order; read after the query ended. */
    public List<Writer<T>> writers()
    {
        synchronized (writers)
        {
            return List.copyOf(writers);
        }
    }

    /** @return the writers' latency histograms merged, ns. */
    public Histogram mergedLatency()
    {
        final Histogram merged = newHistogram();
        if (atCommit)
        {
            merged.add(committed[1]);
            return merged;
        }
        for (final Writer<T> writer : writers())
        {
            merged.add(writer.latency);
        }
        return merged;
    }

    /** @return results received by every writer. */
    public long results()
    {
        long total = 0;
        for (final Writer<T> writer : writers())
        {
            total += writer.results;
        }
        return total;
    }

    /** @return monotonic time the last result arrived at any writer, ns (0 if none). */
    public long lastResultNs()
    {
        long last = 0;
        for (final Writer<T> writer : writers())
        {
            if (writer.results > 0 && (last == 0 || writer.lastResultNs - last > 0))
            {
                last = writer.lastResultNs;
            }
        }
        return last;
    }

    static Histogram newHistogram()
    {
        return new Histogram(1, HIGHEST_TRACKABLE_NS, 3);
    }

    /**
     * One writer: its probe, its latency histogram, its counters. Not thread-safe; owned by its task thread.
     *
     * @param <T> record type
     */
    public static final class Writer<T> implements SinkWriter<T>
    {
        private final Probe<T> probe;
        private final Pacer pacer;
        private final MeasuredWindow window;
        private final Histogram latency = newHistogram();
        /** Indexed by {@link MeasuredWindow#index}: unmeasured samples, then {@link #latency}. */
        private final Histogram[] histograms = {newHistogram(), latency};
        private long results;
        private long lastResultNs;
        /** Set when measuring at commit: the sink the ended epochs' due times go to. */
        private final MeasuringSink<T> committing;
        private final LongArrayList dues = new LongArrayList();
        /** With {@link #TRACE}: per result, its due sequence and receipt time. */
        private final LongArrayList trace = TRACE ? new LongArrayList() : null;

        Writer(final Probe<T> probe, final Pacer pacer, final MeasuredWindow window, final MeasuringSink<T> committing)
        {
            this.probe = probe;
            this.pacer = pacer;
            this.window = window;
            this.committing = committing;
        }

        @Override
        public void endEpoch(final long epochId)
        {
            if (committing != null && !dues.isEmpty())
            {
                committing.endedEpochs.computeIfAbsent(epochId, e -> new ConcurrentLinkedQueue<>()).add(dues.toLongArray());
                dues.clear();
            }
        }

        @Override
        public void write(final T record)
        {
            results++;
            final long seq = probe.onResult(record);
            if (pacer != null)
            {
                final long nowNs = System.nanoTime();
                lastResultNs = nowNs;
                final long dueNs = pacer.dueNs(seq);
                if (trace != null)
                {
                    trace.addLong(seq);
                    trace.addLong(nowNs);
                    // A thread CPU time read costs ~2 µs here, the faults' file read more: one in 16 results, else 0.
                    final boolean sample = TRACE_CPU && (results & 15) == 0;
                    trace.addLong(sample ? THREADS.getCurrentThreadCpuTime() : 0);
                    trace.addLong(sample ? minorFaults() : 0);
                }
                if (committing != null)
                {
                    dues.addLong(dueNs);
                    return;
                }
                // Samples outside the measured window go, through the same code, to a histogram nobody reads.
                histograms[window.index(dueNs)].recordValue(Math.min(Math.max(nowNs - dueNs, 0), HIGHEST_TRACKABLE_NS));
            }
        }

        /**
         * Unpaced, the last result's time is read here, once, on the writer's thread as its task ends right after
         * the last record, rather than per record: a clock read costs ~30 ns on a VM, a third of W1's per-event budget
         * at 12M events/s.
         */
        @Override
        public void close()
        {
            if (pacer == null && results > 0)
            {
                lastResultNs = System.nanoTime();
            }
            if (trace != null && pacer != null)
            {
                printTrace();
            }
        }

        /**
         * Prints, per run of results with one due time (a window's results on this writer), the count and the first
         * and last result's latency (with {@link #TRACE_CPU}, the CPU time, faults and time off core among them);
         * then the schedule's start as JVM uptime, to line the due times up with {@code -XX:+LogCompilation} stamps.
         */
        private void printTrace()
        {
            final StringBuilder out = new StringBuilder();
            final String thread = Thread.currentThread().getName();
            int i = 0;
            while (i < trace.size())
            {
                final long seq = trace.getLong(i);
                final long firstNs = trace.getLong(i + 1);
                long lastNs = firstNs;
                long sampleNs = 0;
                long sampleCpuNs = 0;
                long cpuNs = 0;
                long offCpuNs = 0;
                long offCpuMaxNs = 0;
                long sampleFaults = 0;
                long faults = 0;
                int count = 0;
                for (; i < trace.size() && trace.getLong(i) == seq; i += 4)
                {
                    lastNs = trace.getLong(i + 1);
                    final long cpu = trace.getLong(i + 2);
                    if (cpu != 0)
                    {
                        if (sampleNs != 0)
                        {
                            final long off = Math.max(0, (lastNs - sampleNs) - (cpu - sampleCpuNs));
                            cpuNs += cpu - sampleCpuNs;
                            faults += trace.getLong(i + 3) - sampleFaults;
                            offCpuNs += off;
                            offCpuMaxNs = Math.max(offCpuMaxNs, off);
                        }
                        sampleNs = lastNs;
                        sampleCpuNs = cpu;
                        sampleFaults = trace.getLong(i + 3);
                    }
                    count++;
                }
                final long dueNs = pacer.dueNs(seq);
                out.append(String.format(Locale.ROOT, "TRACE writer=%s due=%.3fs measured=%d n=%d first=%.1fus last=%.1fus",
                    thread, (dueNs - pacer.startNs()) / 1e9, window.index(dueNs), count, (firstNs - dueNs) / 1e3,
                    (lastNs - dueNs) / 1e3));
                if (TRACE_CPU)
                {
                    out.append(String.format(Locale.ROOT, " cpu=%.1fus faults=%d offCpu=%.1fus offCpuMax=%.1fus",
                        cpuNs / 1e3, faults, offCpuNs / 1e3, offCpuMaxNs / 1e3));
                }
                out.append(System.lineSeparator());
            }
            final double uptimeS = ManagementFactory.getRuntimeMXBean().getUptime() / 1e3;
            out.append(String.format(Locale.ROOT, "TRACE pacer start at JVM uptime %.3fs%n",
                uptimeS - (System.nanoTime() - pacer.startNs()) / 1e9));
            System.err.print(out);
        }

        /** @return the calling thread's minor page faults so far (Linux), or -1 where unreadable. */
        private static long minorFaults()
        {
            try
            {
                final String stat = Files.readString(THREAD_STAT);
                // Fields after the command's closing parenthesis: state ppid pgrp session tty tpgid flags minflt ...
                final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return Long.parseLong(fields[7]);
            }
            catch (final IOException | RuntimeException e)
            {
                return -1;
            }
        }

        /** @return this writer's probe. */
        public Probe<T> probe()
        {
            return probe;
        }
    }
}
