package io.rivulet.bench.harness;

import io.rivulet.bench.workload.WorkloadSpec;
import io.rivulet.engine.DataStreamWriter;
import io.rivulet.engine.RestartStrategy;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.Trigger;
import io.rivulet.engine.WaitStrategy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The settings of one harness run, validated once when built: an invalid value fails with a message naming the
 * option and the rule. Immutable, thread-safe.
 *
 * <p>Options (after the positional workload and rate or N): {@code --warmup 10s}, {@code --measure 30s},
 * {@code --partitions 2} (K1's keyed partitions), {@code --wait backoff|yielding|busySpin|sleeping} (the engine's
 * idle strategy), {@code --ring 16384} (ring slots), {@code --epoch-ms 100} (epoch interval), {@code --checkpoint DIR}
 * (a checkpoint location per query under DIR; W2-W4 then report committed-output latency), {@code --fuse true|false}
 * (whether a one-partition keyed stage runs on the source's thread: the engine's default, true), {@code --keys
 * uniform|zipf} (K1L's key distribution, see {@link KeyDistribution}), {@code --worker-threads N} (the query's
 * worker threads, 0 for none: the partitions on the source threads; by default the engine's choice). Durations take a unit
 * ({@code ns us ms s m}; none means seconds); counts and rates take {@code k} or {@code M} and underscores.
 *
 * @param mode           latency (paced) or throughput (flat out).
 * @param workload       workload id, see {@link Scenario#IDS}.
 * @param rate           latency mode: offered rate, events/s (also the generator's R); throughput mode: the nominal
 *                       event-time rate R.
 * @param trades         events the source emits: {@code rate * (warm-up + measured)} in latency mode, N otherwise.
 * @param warmupNs       latency mode: schedule before the measured window, ns.
 * @param measureNs      latency mode: the measured window, ns.
 * @param partitions     keyed partitions (worker threads) of K1.
 * @param waitStrategy   the engine's idle strategy name.
 * @param ringCapacity   slots per ring, a power of two.
 * @param epochIntervalMs epoch interval, ms.
 * @param fuse           whether a one-partition keyed stage fed by one task runs on that task's thread.
 * @param checkpointDir  where each query takes its checkpoints (a fresh directory per query inside it), or
 *                       {@code null} for none; window workloads then measure committed-output latency.
 * @param keys           K1L's key distribution over its 2^20 keys.
 * @param workerThreads  the query's worker threads (0: the partitions on the source threads), or -1 for the
 *                       engine's default.
 */
public record HarnessOptions(
    Mode mode,
    String workload,
    long rate,
    long trades,
    long warmupNs,
    long measureNs,
    int partitions,
    String waitStrategy,
    int ringCapacity,
    long epochIntervalMs,
    boolean fuse,
    String checkpointDir,
    KeyDistribution keys,
    int workerThreads)
{
    /**
     * The harness measures every result's latency itself (from its scheduled time), so the engine's own latency
     * metric samples one result in this many; it would otherwise read the clock once more per result.
     */
    public static final int ENGINE_LATENCY_SAMPLING = 64;
    /** Default warm-up: 10 s of schedule. */
    public static final long DEFAULT_WARMUP_NS = TimeUnit.SECONDS.toNanos(10);
    /** Default measured window: 30 s of schedule. */
    public static final long DEFAULT_MEASURE_NS = TimeUnit.SECONDS.toNanos(30);
    /** A paced source stops this long after the end of its schedule even if behind (spec: 55 s for 40 s). */
    public static final long LATENCY_GRACE_NS = TimeUnit.SECONDS.toNanos(15);
    /** An unpaced source stops after this long (spec: 50 s). */
    public static final long THROUGHPUT_LIMIT_NS = TimeUnit.SECONDS.toNanos(50);

    /** How the source emits. */
    public enum Mode
    {
        /** Paced at a fixed offered rate; latency recorded from each event's due time. */
        LATENCY,
        /** As fast as possible; events/s and the result are what counts. */
        THROUGHPUT,
        /** The same work as a hand-written single-threaded loop, no engine: throughput mode's yardstick. */
        BASELINE,
        /**
         * The same work as a hand-written loop paced by the same {@link Pacer}, no engine: the latency floor of the
         * harness and the machine (scheduling, timer, GC) at that moment.
         */
        LATENCY_BASELINE;

        /** @return the mode's name in reports. */
        public String label()
        {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** @return whether the source is paced and latency recorded. */
        public boolean paced()
        {
            return this == LATENCY || this == LATENCY_BASELINE;
        }

        /** @return whether the work runs as a hand-written loop instead of a Rivulet query. */
        public boolean baseline()
        {
            return this == BASELINE || this == LATENCY_BASELINE;
        }
    }

    /**
     * Starts a scenario's query with the settings every harness query shares: its name, the engine's latency
     * sampling, stage fusion and the epoch interval.
     *
     * @param writer    the scenario's writer, its sink and output mode set
     * @param queryName the query's name (its threads are named after it)
     * @param <R>       record type
     * @return the running query
     */
    public <R> StreamingQuery start(final DataStreamWriter<R> writer, final String queryName)
    {
        if (checkpointDir != null)
        {
            try
            {
                final Path root = Files.createDirectories(Path.of(checkpointDir));
                writer.checkpointLocation(Files.createTempDirectory(root, queryName + "-"));
                // A failure must fail the run, not hide in a restart that the figures then include.
                writer.restartStrategy(RestartStrategy.none());
            }
            catch (final IOException e)
            {
                throw new UncheckedIOException("cannot create a checkpoint directory in " + checkpointDir, e);
            }
        }
        if (workerThreads >= 0)
        {
            writer.workerThreads(workerThreads);
        }
        return writer
            .queryName(queryName)
            .latencySampling(ENGINE_LATENCY_SAMPLING)
            .fuseKeyedStages(fuse)
            .trigger(Trigger.continuous(epochIntervalMs))
            .start();
    }

    /** Validates every setting. */
    public HarnessOptions
    {
        Scenario.create(workload);
        positive("rate", rate);
        if (trades < 0)
        {
            throw new IllegalArgumentException("trades (N) must be >= 0, got " + trades);
        }
        if (mode.paced())
        {
            positive("--warmup", warmupNs);
            positive("--measure", measureNs);
        }
        positive("--partitions", partitions);
        if (workerThreads < -1)
        {
            throw new IllegalArgumentException("--worker-threads must be >= 0 (or -1 for the engine's default), got " +
                workerThreads);
        }
        WaitStrategy.named(waitStrategy);
        if (ringCapacity < 2 || Integer.bitCount(ringCapacity) != 1)
        {
            throw new IllegalArgumentException("--ring must be a power of two >= 2, got " + ringCapacity);
        }
        positive("--epoch-ms", epochIntervalMs);
        Objects.requireNonNull(keys, "keys");
    }

    /**
     * Parses {@code <workload> <rate> [options]}.
     *
     * @param args command line.
     * @return latency-mode options.
     */
    public static HarnessOptions latency(final String[] args)
    {
        return parse(Mode.LATENCY, args);
    }

    /**
     * Parses {@code <workload> <N> [options]}.
     *
     * @param args command line.
     * @return throughput-mode options.
     */
    public static HarnessOptions throughput(final String[] args)
    {
        return parse(Mode.THROUGHPUT, args);
    }

    /**
     * Parses {@code <workload> <N>} for a hand-written baseline run.
     *
     * @param args command line.
     * @return baseline-mode options.
     */
    public static HarnessOptions baseline(final String[] args)
    {
        return parse(Mode.BASELINE, args);
    }

    /**
     * Parses {@code <workload> <rate> [--warmup 10s] [--measure 30s]} for a paced hand-written baseline run.
     *
     * @param args command line.
     * @return latency-baseline options.
     */
    public static HarnessOptions latencyBaseline(final String[] args)
    {
        return parse(Mode.LATENCY_BASELINE, args);
    }

    /**
     * Parses a command line of the given mode.
     *
     * @param mode the mode.
     * @param args {@code <workload> <rate | N> [options]}.
     * @return the options.
     * @throws IllegalArgumentException naming the bad argument.
     */
    public static HarnessOptions parse(final Mode mode, final String[] args)
    {
        if (args.length < 2)
        {
            throw new IllegalArgumentException("expected <workload> <" + (mode.paced() ? "rate" : "N") +
                "> [options], got " + args.length + " arguments");
        }
        final String workload = args[0];
        final long second = parseCount(mode.paced() ? "rate" : "N", args[1]);
        long warmupNs = DEFAULT_WARMUP_NS;
        long measureNs = DEFAULT_MEASURE_NS;
        int partitions = 2;
        String wait = "backoff";
        int ring = 16_384;
        long epochMs = 100;
        boolean fuse = true;
        String checkpoint = null;
        KeyDistribution keys = KeyDistribution.UNIFORM;
        int workerThreads = -1;
        for (int i = 2; i < args.length; i += 2)
        {
            final String name = args[i];
            if (i + 1 >= args.length)
            {
                throw new IllegalArgumentException("option " + name + " needs a value");
            }
            final String value = args[i + 1];
            switch (name)
            {
                case "--warmup" -> warmupNs = parseDurationNs(name, value);
                case "--measure" -> measureNs = parseDurationNs(name, value);
                case "--partitions" -> partitions = (int)parseCount(name, value);
                case "--wait" -> wait = value;
                case "--ring" -> ring = (int)parseCount(name, value);
                case "--epoch-ms" -> epochMs = parseCount(name, value);
                case "--fuse" -> fuse = parseBoolean(name, value);
                case "--checkpoint" -> checkpoint = value;
                case "--keys" -> keys = KeyDistribution.named(value);
                case "--worker-threads" -> workerThreads = (int)parseCount(name, value);
                default -> throw new IllegalArgumentException("unknown option '" + name +
                    "'; known: --warmup --measure --partitions --wait --ring --epoch-ms --fuse --checkpoint --keys" +
                    " --worker-threads");
            }
        }
        final long rate = mode.paced() ? second : WorkloadSpec.THROUGHPUT_RATE;
        long trades = mode.paced() ? tradesFor(second, warmupNs + measureNs) : second;
        if (Scenario.joinsOrders(workload))
        {
            // One order per ten trades: N is made a multiple of 10 (WORKLOADS.md section 1.2).
            trades = (trades + WorkloadSpec.TRADES_PER_ORDER - 1) / WorkloadSpec.TRADES_PER_ORDER
                * WorkloadSpec.TRADES_PER_ORDER;
        }
        return new HarnessOptions(mode, workload.toUpperCase(Locale.ROOT), rate, trades, warmupNs, measureNs,
            partitions, wait, ring, epochMs, fuse, checkpoint, keys, workerThreads);
    }

    private static boolean parseBoolean(final String name, final String value)
    {
        return switch (value)
        {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(name + " takes true or false, got '" + value + "'");
        };
    }

    /**
     * Events a schedule of {@code scheduleNs} at {@code rate} holds: {@code rate * schedule}, as the spec's
     * {@code N = R * 40}.
     *
     * @param rate       events/s.
     * @param scheduleNs schedule length, ns.
     * @return the event count.
     */
    public static long tradesFor(final long rate, final long scheduleNs)
    {
        final long nanosPerSecond = 1_000_000_000L;
        return scheduleNs / nanosPerSecond * rate + scheduleNs % nanosPerSecond * rate / nanosPerSecond;
    }

    /** @return how long after the schedule start (latency) or first poll (throughput) the source gives up, ns. */
    public long stopAfterNs()
    {
        return mode.paced() ? warmupNs + measureNs + LATENCY_GRACE_NS : THROUGHPUT_LIMIT_NS;
    }

    /**
     * @param name  option name for the message.
     * @param text  e.g. {@code 1M}, {@code 100k}, {@code 20_000_000}.
     * @return the value.
     */
    public static long parseCount(final String name, final String text)
    {
        String s = text.trim().replace("_", "");
        long scale = 1;
        if (s.endsWith("k") || s.endsWith("K"))
        {
            scale = 1_000;
            s = s.substring(0, s.length() - 1);
        }
        else if (s.endsWith("M") || s.endsWith("m"))
        {
            scale = 1_000_000;
            s = s.substring(0, s.length() - 1);
        }
        try
        {
            return Math.multiplyExact(Long.parseLong(s), scale);
        }
        catch (final NumberFormatException | ArithmeticException e)
        {
            throw new IllegalArgumentException(name + " must be a whole number (k and M suffixes allowed), got '" +
                text + "'", e);
        }
    }

    /**
     * @param name option name for the message.
     * @param text e.g. {@code 10s}, {@code 500ms}, {@code 2m}; a bare number is seconds.
     * @return the duration, ns.
     */
    public static long parseDurationNs(final String name, final String text)
    {
        final String s = text.trim().toLowerCase(Locale.ROOT);
        int split = 0;
        while (split < s.length() && Character.isDigit(s.charAt(split)))
        {
            split++;
        }
        if (split == 0)
        {
            throw new IllegalArgumentException(name + " must be a duration such as 10s or 500ms, got '" + text + "'");
        }
        final long amount = Long.parseLong(s.substring(0, split));
        final TimeUnit unit = switch (s.substring(split))
        {
            case "ns" -> TimeUnit.NANOSECONDS;
            case "us" -> TimeUnit.MICROSECONDS;
            case "ms" -> TimeUnit.MILLISECONDS;
            case "", "s" -> TimeUnit.SECONDS;
            case "m" -> TimeUnit.MINUTES;
            default -> throw new IllegalArgumentException(name + " has an unknown unit in '" + text +
                "'; use ns, us, ms, s or m");
        };
        return unit.toNanos(amount);
    }

    private static void positive(final String name, final long value)
    {
        if (value <= 0)
        {
            throw new IllegalArgumentException(name + " must be > 0, got " + value);
        }
    }
}
