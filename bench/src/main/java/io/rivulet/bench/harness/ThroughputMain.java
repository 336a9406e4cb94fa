package io.rivulet.bench.harness;

import java.util.Arrays;

/**
 * Throughput run: {@code ThroughputMain [--baseline] <W1|K1|K1L> <N> [--partitions 2] [--wait backoff] [--ring 16384]
 * [--epoch-ms 100] [--keys uniform|zipf]}, e.g. {@code ThroughputMain W1 20M}. With {@code --baseline} the same work runs as a hand-written
 * single-threaded loop instead, the yardstick to read engine numbers against on a shared machine.
 *
 * <p>Generates N trades as fast as the query takes them (nominal event-time rate 1M/s), measures the wall time from
 * the first emission until the last result reached the sink, and checks results and checksum against the spec's
 * reference table when it has N (W1: 2M and 20M), otherwise against a direct computation. Prints a summary and a
 * {@code RESULT} line. Exits 0 if the result is right, 1 if it is wrong or the query failed, 2 on bad arguments.
 */
public final class ThroughputMain
{
    private ThroughputMain()
    {
    }

    /**
     * @param args {@code <workload> <N> [options]}.
     */
    public static void main(final String[] args)
    {
        final boolean baseline = args.length > 0 && "--baseline".equals(args[0]);
        final HarnessOptions options;
        try
        {
            options = baseline ? HarnessOptions.baseline(Arrays.copyOfRange(args, 1, args.length)) :
                HarnessOptions.throughput(args);
        }
        catch (final IllegalArgumentException e)
        {
            System.err.println("usage: ThroughputMain [--baseline] <W1|K1|K1L> <N, e.g. 20M> [--partitions 2]"
                + " [--wait backoff|yielding|busySpin|sleeping] [--ring 16384] [--epoch-ms 100] [--keys uniform|zipf (K1L)]");
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(HarnessRunner.runAndPrint(options));
    }
}
