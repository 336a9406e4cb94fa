package io.rivulet.bench.jmh;

import com.sun.management.OperatingSystemMXBean;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;

/**
 * A JMH profiler that reports the benchmark JVM's CPU time per operation ({@code cpu.ns/op}): the process's CPU
 * time ({@code OperatingSystemMXBean.getProcessCpuTime}) used during each iteration, divided by the iteration's
 * operations (JMH's count, {@code @OperationsPerInvocation} included). On a shared machine wall-clock time per
 * operation moves with the other tenants' load; CPU time is the work itself. It counts every thread of the fork (the
 * benchmark thread, and the GC and JIT threads it keeps busy), so with one benchmark thread it is an upper bound of
 * that thread's own cost: {@code cpu.ns/op <= 1000} means at least 1 M operations a second on one core.
 *
 * <p>Use: {@code bin/bench jmh -prof io.rivulet.bench.jmh.CpuTimeProfiler <benchmarks>}. JMH creates and calls it
 * in the forked JVM, on its own thread, before and after each iteration; not thread-safe otherwise.
 */
public final class CpuTimeProfiler implements InternalProfiler
{
    private static final OperatingSystemMXBean OS = (OperatingSystemMXBean)ManagementFactory.getOperatingSystemMXBean();

    private long cpuNsBefore;

    @Override
    public String getDescription()
    {
        return "CPU time of the benchmark JVM per operation (process CPU time, all threads)";
    }

    @Override
    public void beforeIteration(final BenchmarkParams benchmarkParams, final IterationParams iterationParams)
    {
        cpuNsBefore = OS.getProcessCpuTime();
    }

    @Override
    public Collection<? extends Result> afterIteration(
        final BenchmarkParams benchmarkParams, final IterationParams iterationParams, final IterationResult result)
    {
        final long cpuNs = OS.getProcessCpuTime() - cpuNsBefore;
        final long ops = result.getMetadata().getAllOps();
        if (ops <= 0)
        {
            return List.of();
        }
        return List.of(new ScalarResult("cpu.ns/op", (double)cpuNs / ops, "ns/op", AggregationPolicy.AVG));
    }
}
