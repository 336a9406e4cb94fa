package io.rivulet.bench.harness;

import io.rivulet.bench.workload.Baseline;
import io.rivulet.bench.workload.BaselineResult;
import io.rivulet.bench.workload.Workload;
import io.rivulet.bench.workload.WorkloadSpec;
import io.rivulet.engine.Rivulet;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.WaitStrategy;
import io.rivulet.engine.internal.terminal.ProgressLine;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Runs one workload through a real Rivulet query and reports it: builds the engine and the {@link TradeSource},
 * starts the {@link Scenario}'s query, takes allocation snapshots while it runs (at the measured window's start and
 * just before its end in latency mode; at 20 % and 80 % of the events in throughput mode), waits for the query to end, then checks the
 * result. While the query runs, its progress shows on one live line on standard error ({@link ProgressLine}).
 *
 * <p>Stateless; each call runs on the calling thread, which only sleeps and samples while the query runs.
 */
public final class HarnessRunner
{
    /**
     * {@code -Drivulet.bench.dashboard=PORT} serves the engine's dashboard while the workload runs (0: any free port), to
     * measure what it costs; with {@code -Drivulet.bench.dashboard.open=true} an event-stream reader is connected to it
     * from the start, as an open page would be (the server then samples the query every 500 ms); with
     * {@code -Drivulet.bench.dashboard.waitMs=N} the run starts N ms after the dashboard, so that a reader in another
     * process (a browser, {@code curl -N}) can open the page first without sharing the benchmark's JVM.
     */
    static final String DASHBOARD_PORT_PROPERTY = "rivulet.bench.dashboard";
    static final String DASHBOARD_OPEN_PROPERTY = "rivulet.bench.dashboard.open";
    static final String DASHBOARD_WAIT_PROPERTY = "rivulet.bench.dashboard.waitMs";
    private static final long SAMPLE_PERIOD_MS = 1;
    private static final long END_MARGIN_NS = TimeUnit.MILLISECONDS.toNanos(50);

    private HarnessRunner()
    {
    }

    /**
     * Runs one workload.
     *
     * @param options the run's settings.
     * @return the report; {@link RunReport#passed()} tells whether the result was right.
     * @throws InterruptedException if the calling thread is interrupted.
     * @throws io.rivulet.engine.StreamingQueryException if the query failed.
     */
    public static RunReport run(final HarnessOptions options) throws InterruptedException
    {
        if (options.mode() == HarnessOptions.Mode.BASELINE)
        {
            return runBaseline(options);
        }
        if (options.mode() == HarnessOptions.Mode.LATENCY_BASELINE)
        {
            return PacedBaseline.run(options);
        }
        final Scenario scenario = Scenario.create(options.workload());
        final boolean latencyMode = options.mode() == HarnessOptions.Mode.LATENCY;
        final String queryName = "bench-" + scenario.id().toLowerCase(Locale.ROOT) + "-" + options.mode().label();
        final String threadPrefix = "rivulet-" + queryName + "-";
        final boolean allocationMeasured = AllocationMeter.enable();
        final SourceStats stats = new SourceStats();

        final Rivulet.Builder builder = Rivulet.builder()
            .waitStrategy(WaitStrategy.named(options.waitStrategy()))
            .ringCapacity(options.ringCapacity())
            .defaultParallelism(options.partitions());
        final String dashboardPort = System.getProperty(DASHBOARD_PORT_PROPERTY);
        if (dashboardPort != null)
        {
            builder.dashboard(Integer.parseInt(dashboardPort));
        }
        try (Rivulet rivulet = builder.build())
        {
            if (dashboardPort != null)
            {
                System.err.println("dashboard at " + rivulet.dashboardUrl().orElseThrow());
                if (Boolean.getBoolean(DASHBOARD_OPEN_PROPERTY))
                {
                    DashboardReader.open(rivulet.dashboardUrl().orElseThrow());
                }
                Thread.sleep(Long.getLong(DASHBOARD_WAIT_PROPERTY, 0));
            }
            final Pacer pacer = latencyMode ? Pacer.startingAfter(System.nanoTime(), options.rate()) : null;
            final MeasuredWindow window =
                latencyMode ? MeasuredWindow.of(pacer, options.warmupNs(), options.measureNs()) : null;
            final TradeSource source = new TradeSource(options.trades(), options.rate(), pacer,
                options.stopAfterNs(), scenario.reusesTrade(), scenario.needsOrderIds(), stats);
            final LongSupplier events = () -> stats.emitted() + scenario.extraEvents();

            final StreamingQuery query = scenario.start(rivulet, source, pacer, window, options, queryName);
            AllocationMeter.Delta allocation = AllocationMeter.Delta.NONE;
            // The live progress line, on stderr from a thread outside threadPrefix: stdout (RESULT) is unchanged.
            try (ProgressLine.Watch progress = ProgressLine.toStandardError().watch(query))
            {
                if (allocationMeasured)
                {
                    allocation = latencyMode ?
                        sampleWindow(query::isActive, threadPrefix, events, window) :
                        sampleThroughput(query, threadPrefix, events, options.trades());
                }
                query.awaitTermination();
            }

            final long trades = stats.emitted();
            final long spanNs = scenario.lastResultNs() - stats.firstEmitNs();
            final double eventsPerSecond = spanNs > 0 ? events.getAsLong() * 1e9 / spanNs : Double.NaN;
            final ResultCheck check = scenario.check(trades, options.rate(), !latencyMode && !stats.truncated());
            return new RunReport(options, trades, eventsPerSecond, scenario.results(), scenario.checksum(), check,
                latencyMode ? RunReport.Latency.of(scenario.latency()) : null, allocation, stats.behindNs(),
                stats.truncated());
        }
    }

    /**
     * Runs the workload as a hand-written single-threaded loop (generator included, as in the engine runs): W1-W4 are
     * {@link Baseline#run}, K1 and K1L the direct computation their checks use.
     *
     * @param options baseline-mode settings.
     * @return the report, without latency or allocation.
     */
    static RunReport runBaseline(final HarnessOptions options)
    {
        final long trades = options.trades();
        final long results;
        final long checksum;
        final long elapsedNs;
        final ResultCheck check;
        long cpuNs = -1;
        final long cpuStartNs = AllocationMeter.currentThreadCpuNs();
        if ("K1L".equalsIgnoreCase(options.workload()))
        {
            final long startNs = System.nanoTime();
            final K1LScenario.Totals totals = K1LScenario.Totals.handWritten(trades, options.rate(), options.keys(),
                options.epochIntervalMs());
            elapsedNs = System.nanoTime() - startNs;
            final long cpuEndNs = AllocationMeter.currentThreadCpuNs();
            results = totals.results;
            checksum = totals.checksum();
            // The direct computation (an array indexed by key, no hash table) checks the loop, and is the floor.
            final long directStartNs = System.nanoTime();
            final K1LScenario.Totals direct = K1LScenario.Totals.direct(trades, options.rate(), options.keys());
            final long directNs = System.nanoTime() - directStartNs;
            System.out.printf(Locale.ROOT, "K1L direct loop (long[%d] indexed by key, no hash table, no emission):"
                + " %.2fM events/s%n", K1LScenario.KEYS, trades * 1e3 / Math.max(1, directNs));
            check = totals.sameSums(direct)
                ? ResultCheck.passed("hand-written loop (Agrona Long2LongHashMap + LongHashSet per epoch) equals the"
                    + " direct computation")
                : ResultCheck.failed("hand-written loop DIFFERS from the direct computation");
            cpuNs = cpuStartNs < 0 ? -1 : cpuEndNs - cpuStartNs;
        }
        else if (StructuredScenario.isStructured(options.workload()))
        {
            throw new IllegalArgumentException(options.workload() + " has no baseline of its own: the hand-written loop"
                + " is " + options.workload().substring(0, 2) + "'s (--baseline " + options.workload().substring(0, 2) + ")");
        }
        else if (UserShapedScenario.isUserShaped(options.workload()))
        {
            throw new IllegalArgumentException(options.workload() + " has no unpaced baseline: its allocating loop is"
                + " the paced one (latency --baseline " + options.workload() + " <rate>)");
        }
        else if (!"K1".equals(options.workload()))
        {
            final Workload workload = Workload.parse(options.workload());
            final BaselineResult result = Baseline.run(workload, trades, options.rate());
            results = result.results();
            checksum = result.checksum();
            elapsedNs = result.elapsedNs();
            check = ReferenceResults.find(workload, trades)
                .map(row -> ResultCheck.compare("spec reference " + workload + " N=" + trades, row.results(),
                    row.checksum(), results, checksum, true))
                .orElse(ResultCheck.passed("hand-written loop, no reference for N=" + trades));
        }
        else
        {
            final long startNs = System.nanoTime();
            final K1Scenario.Totals totals = K1Scenario.Totals.direct(trades, options.rate());
            elapsedNs = System.nanoTime() - startNs;
            results = totals.results;
            checksum = totals.checksum();
            check = ResultCheck.passed("hand-written loop (the reference K1 is checked against)");
        }
        if (!"K1L".equalsIgnoreCase(options.workload()))
        {
            cpuNs = cpuStartNs < 0 ? -1 : AllocationMeter.currentThreadCpuNs() - cpuStartNs;
        }
        // W5's loop also generates and joins one order per ten trades: they are events too.
        final long events = Scenario.joinsOrders(options.workload()) ? trades + trades / WorkloadSpec.TRADES_PER_ORDER : trades;
        return new RunReport(options, trades, elapsedNs > 0 ? events * 1e9 / elapsedNs : Double.NaN, results,
            checksum, check, null, AllocationMeter.Delta.cpuOnly(events, cpuNs), 0, false);
    }

    /**
     * Runs, prints the summary and the {@code RESULT} line, and returns the process exit status.
     *
     * @param options the run's settings.
     * @return 0 when the result is right, 1 when it is wrong or the query failed.
     */
    public static int runAndPrint(final HarnessOptions options)
    {
        System.out.printf(Locale.ROOT, "running %s %s: %d trades, rate %d/s%s, partitions %d, wait %s, ring %d, epoch %d ms%n",
            options.workload(), options.mode().label(), options.trades(), options.rate(),
            options.mode().paced() ? String.format(Locale.ROOT, " (warm-up %d ms + measured %d ms)",
                TimeUnit.NANOSECONDS.toMillis(options.warmupNs()), TimeUnit.NANOSECONDS.toMillis(options.measureNs())) :
                " nominal, unpaced",
            options.partitions(), options.waitStrategy(), options.ringCapacity(), options.epochIntervalMs());
        try
        {
            final RunReport report = run(options);
            System.out.print(report.summary());
            System.out.println(report.resultLine());
            System.out.flush();
            return report.passed() ? 0 : 1;
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            System.err.println("interrupted");
            return 1;
        }
        catch (final RuntimeException e)
        {
            System.err.println(options.workload() + " " + options.mode().label() + " failed: " + e);
            e.printStackTrace();
            return 1;
        }
    }

    /**
     * Takes the two snapshots of a paced run on the calling thread: at the measured window's start (the heap's peak
     * restarts there) and just before its end.
     *
     * @param active       whether the measured threads still run.
     * @param threadPrefix the measured threads' name prefix.
     * @param events       events emitted so far.
     * @param window       the measured window.
     * @return the delta, or {@link AllocationMeter.Delta#NONE} if the run ended first.
     * @throws InterruptedException if the calling thread is interrupted.
     */
    static AllocationMeter.Delta sampleWindow(final BooleanSupplier active, final String threadPrefix,
        final LongSupplier events, final MeasuredWindow window) throws InterruptedException
    {
        if (!sleepUntil(active, window.fromNs()))
        {
            return AllocationMeter.Delta.NONE;
        }
        AllocationMeter.resetHeapPeak();
        final AllocationMeter.Snapshot from = AllocationMeter.take(threadPrefix, events.getAsLong());
        // The last event is due just before the window ends and the query ends right after it: read a little earlier.
        final long endMarginNs = Math.min(END_MARGIN_NS, (window.toNs() - window.fromNs()) / 10);
        if (!sleepUntil(active, window.toNs() - endMarginNs))
        {
            return AllocationMeter.Delta.NONE;
        }
        return AllocationMeter.between(from, AllocationMeter.take(threadPrefix, events.getAsLong()));
    }

    private static AllocationMeter.Delta sampleThroughput(final StreamingQuery query, final String threadPrefix,
        final LongSupplier events, final long trades) throws InterruptedException
    {
        if (!waitForEvents(query, events, trades / 5))
        {
            return AllocationMeter.Delta.NONE;
        }
        AllocationMeter.resetHeapPeak();
        final AllocationMeter.Snapshot from = AllocationMeter.take(threadPrefix, events.getAsLong());
        if (!waitForEvents(query, events, trades * 4 / 5))
        {
            return AllocationMeter.Delta.NONE;
        }
        final AllocationMeter.Snapshot to = AllocationMeter.take(threadPrefix, events.getAsLong());
        return query.isActive() ? AllocationMeter.between(from, to) : AllocationMeter.Delta.NONE;
    }

    private static boolean sleepUntil(final BooleanSupplier active, final long deadlineNs) throws InterruptedException
    {
        long remainingNs;
        while ((remainingNs = deadlineNs - System.nanoTime()) > 0)
        {
            if (!active.getAsBoolean())
            {
                return false;
            }
            final long sleepNs = Math.min(remainingNs, TimeUnit.MILLISECONDS.toNanos(100));
            TimeUnit.NANOSECONDS.sleep(sleepNs);
        }
        return active.getAsBoolean();
    }

    private static boolean waitForEvents(final StreamingQuery query, final LongSupplier emitted, final long target)
        throws InterruptedException
    {
        while (emitted.getAsLong() < target)
        {
            if (!query.isActive())
            {
                return false;
            }
            Thread.sleep(SAMPLE_PERIOD_MS);
        }
        return query.isActive();
    }
}
