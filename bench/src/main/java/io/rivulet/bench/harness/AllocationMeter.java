package io.rivulet.bench.harness;

import com.sun.management.ThreadMXBean;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads how many bytes a query's threads have allocated ({@code com.sun.management.ThreadMXBean
 * #getThreadAllocatedBytes}), all threads together ({@code #getTotalThreadAllocatedBytes}), the query threads' CPU
 * time, the GC counters (per collector) and the heap pools' peak usage, so that two snapshots taken while the query
 * runs give bytes and CPU ns per event, the collections in between and the heap's peak since {@link #resetHeapPeak}. CPU time per event is the robust cost figure on a shared machine, where wall-clock
 * throughput moves with other tenants' load.
 *
 * <p>A query's threads are found by name ({@code rivulet-<query>-...}) through the thread group, which needs no
 * safepoint (unlike {@code Thread.getAllStackTraces}). Snapshots are taken on the harness thread, never on the
 * measured threads. Stateless; thread-safe.
 */
public final class AllocationMeter
{
    private static final ThreadMXBean THREADS =
        (ThreadMXBean)ManagementFactory.getThreadMXBean();

    /**
     * One reading.
     *
     * @param nanoTime     when, monotonic ns.
     * @param events       events the source had emitted.
     * @param bytesByThread bytes allocated so far by each of the query's threads, by thread name.
     * @param cpuNsByThread CPU time used so far by each of the query's threads, ns, by thread name.
     * @param totalBytes   bytes allocated so far by every thread of the JVM.
     * @param gcCount      collections so far, all collectors.
     * @param gcMs         collection time so far, all collectors, ms.
     * @param gcByCollector per collector (its MXBean name), {@code [collections, ms]} so far.
     * @param heapPeakBytes the sum of every heap pool's peak usage since the last {@link #resetHeapPeak}, bytes.
     */
    public record Snapshot(long nanoTime, long events, Map<String, Long> bytesByThread, Map<String, Long> cpuNsByThread,
        long totalBytes, long gcCount, long gcMs, Map<String, long[]> gcByCollector, long heapPeakBytes)
    {
        /** @return bytes allocated by the query's threads together. */
        public long queryBytes()
        {
            long sum = 0;
            for (final long bytes : bytesByThread.values())
            {
                sum += bytes;
            }
            return sum;
        }
    }

    /**
     * The difference between two snapshots.
     *
     * @param events             events emitted in between.
     * @param queryBytesPerEvent bytes the query's threads allocated per event.
     * @param totalBytesPerEvent bytes every JVM thread allocated per event (includes the harness's own thread).
     * @param bytesPerEventByThread per query thread, short role name (e.g. {@code source-0}) to bytes per event.
     * @param cpuNsPerEvent      CPU time the query's threads used per event, ns: the work, whether or not the
     *                           machine's other load kept them off a core (idle spinning and yielding count too).
     * @param cpuNsPerEventByThread per query thread, CPU ns per event.
     * @param gcCount            collections in between.
     * @param gcMs               collection time in between, ms.
     * @param gcByCollector      per collector (its MXBean name, e.g. {@code G1 Young Generation}), {@code [collections,
     *                           ms]} in between; collectors that did not run are left out.
     * @param heapPeakBytes      the heap's peak usage between the snapshots, bytes: the sum of each heap pool's peak
     *                           since the first snapshot (pools peak at different moments, so an upper bound; for a
     *                           young pool it is what was allocated into it between collections); -1 if unknown.
     */
    public record Delta(long events, double queryBytesPerEvent, double totalBytesPerEvent,
        Map<String, Double> bytesPerEventByThread, double cpuNsPerEvent, Map<String, Double> cpuNsPerEventByThread,
        long gcCount, long gcMs, Map<String, long[]> gcByCollector, long heapPeakBytes)
    {
        /** A delta when no window could be measured. */
        public static final Delta NONE =
            new Delta(0, Double.NaN, Double.NaN, Map.of(), Double.NaN, Map.of(), 0, 0, Map.of(), -1);

        /**
         * A delta that knows only CPU time, for a hand-written loop on one thread.
         *
         * @param events events processed.
         * @param cpuNs  CPU time used, ns.
         * @return the delta.
         */
        public static Delta cpuOnly(final long events, final long cpuNs)
        {
            return events <= 0 || cpuNs < 0 ? NONE :
                new Delta(events, Double.NaN, Double.NaN, Map.of(), (double)cpuNs / events, Map.of(), 0, 0, Map.of(), -1);
        }
    }

    private AllocationMeter()
    {
    }

    /** @return CPU time of the calling thread, ns, or -1 if the JVM cannot tell. */
    public static long currentThreadCpuNs()
    {
        return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : -1;
    }

    /**
     * Whether the JVM can measure per-thread allocation; enables it if it is supported but off.
     *
     * @return true if measurements mean something.
     */
    public static boolean enable()
    {
        if (!THREADS.isThreadAllocatedMemorySupported())
        {
            return false;
        }
        if (!THREADS.isThreadAllocatedMemoryEnabled())
        {
            THREADS.setThreadAllocatedMemoryEnabled(true);
        }
        return true;
    }

    /**
     * Reads the allocation of every live thread whose name starts with {@code threadPrefix}.
     *
     * @param threadPrefix e.g. {@code rivulet-bench-w1-}.
     * @param events       events emitted so far.
     * @return the snapshot.
     */
    public static Snapshot take(final String threadPrefix, final long events)
    {
        final Map<String, Long> bytes = new LinkedHashMap<>();
        final Map<String, Long> cpu = new LinkedHashMap<>();
        for (final Thread thread : liveThreads())
        {
            if (thread != null && thread.getName().startsWith(threadPrefix))
            {
                final String role = thread.getName().substring(threadPrefix.length());
                final long allocated = THREADS.getThreadAllocatedBytes(thread.getId());
                if (allocated >= 0)
                {
                    bytes.put(role, allocated);
                }
                final long cpuNs = THREADS.isThreadCpuTimeSupported() ? THREADS.getThreadCpuTime(thread.getId()) : -1;
                if (cpuNs >= 0)
                {
                    cpu.put(role, cpuNs);
                }
            }
        }
        long gcCount = 0;
        long gcMs = 0;
        final Map<String, long[]> byCollector = new LinkedHashMap<>();
        for (final GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans())
        {
            final long count = Math.max(0, gc.getCollectionCount());
            final long ms = Math.max(0, gc.getCollectionTime());
            gcCount += count;
            gcMs += ms;
            byCollector.put(gc.getName(), new long[] {count, ms});
        }
        return new Snapshot(System.nanoTime(), events, bytes, cpu, totalThreadAllocatedBytes(), gcCount, gcMs,
            byCollector, heapPeakBytes());
    }

    /**
     * Starts a new heap peak: resets every heap pool's peak usage to its current usage. Call right before the first
     * of two snapshots.
     */
    public static void resetHeapPeak()
    {
        for (final MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans())
        {
            if (pool.getType() == MemoryType.HEAP && pool.isValid())
            {
                pool.resetPeakUsage();
            }
        }
    }

    /** @return the sum of the heap pools' peak usage since the last {@link #resetHeapPeak}, bytes; -1 if unknown. */
    private static long heapPeakBytes()
    {
        long sum = 0;
        boolean any = false;
        for (final MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans())
        {
            final MemoryUsage peak = pool.getType() == MemoryType.HEAP && pool.isValid() ? pool.getPeakUsage() : null;
            if (peak != null)
            {
                sum += peak.getUsed();
                any = true;
            }
        }
        return any ? sum : -1;
    }

    /**
     * {@code ThreadMXBean.getTotalThreadAllocatedBytes()} exists from JDK 21 (and in later 17 updates), not in the
     * Java 17 API the build targets, so it is called reflectively; -1 where the running JDK lacks it.
     */
    private static long totalThreadAllocatedBytes()
    {
        try
        {
            return (long)ThreadMXBean.class.getMethod("getTotalThreadAllocatedBytes").invoke(THREADS);
        }
        catch (final ReflectiveOperationException | RuntimeException e)
        {
            return -1;
        }
    }

    /**
     * @param from earlier snapshot.
     * @param to   later snapshot.
     * @return allocation per event in between; threads present in both snapshots only.
     */
    public static Delta between(final Snapshot from, final Snapshot to)
    {
        final long events = to.events() - from.events();
        if (events <= 0)
        {
            return Delta.NONE;
        }
        final Map<String, Double> perThread = new LinkedHashMap<>();
        long queryBytes = 0;
        for (final Map.Entry<String, Long> entry : to.bytesByThread().entrySet())
        {
            final Long before = from.bytesByThread().get(entry.getKey());
            if (before != null)
            {
                final long bytes = entry.getValue() - before;
                queryBytes += bytes;
                perThread.put(entry.getKey(), (double)bytes / events);
            }
        }
        final Map<String, Double> cpuPerThread = new LinkedHashMap<>();
        long cpuNs = 0;
        for (final Map.Entry<String, Long> entry : to.cpuNsByThread().entrySet())
        {
            final Long before = from.cpuNsByThread().get(entry.getKey());
            if (before != null)
            {
                cpuNs += entry.getValue() - before;
                cpuPerThread.put(entry.getKey(), (double)(entry.getValue() - before) / events);
            }
        }
        final Map<String, long[]> gcByCollector = new LinkedHashMap<>();
        for (final Map.Entry<String, long[]> entry : to.gcByCollector().entrySet())
        {
            final long[] before = from.gcByCollector().getOrDefault(entry.getKey(), new long[2]);
            final long count = entry.getValue()[0] - before[0];
            if (count > 0)
            {
                gcByCollector.put(entry.getKey(), new long[] {count, entry.getValue()[1] - before[1]});
            }
        }
        return new Delta(events, (double)queryBytes / events, (from.totalBytes() < 0 || to.totalBytes() < 0 ? Double.NaN :
            (double)(to.totalBytes() - from.totalBytes()) / events),
            perThread, cpuPerThread.isEmpty() ? Double.NaN : (double)cpuNs / events, cpuPerThread,
            to.gcCount() - from.gcCount(), to.gcMs() - from.gcMs(), gcByCollector, to.heapPeakBytes());
    }

    private static Thread[] liveThreads()
    {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null)
        {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 16];
        int n;
        while ((n = root.enumerate(threads, true)) == threads.length)
        {
            threads = new Thread[threads.length * 2];
        }
        final Thread[] live = new Thread[n];
        System.arraycopy(threads, 0, live, 0, n);
        return live;
    }
}
