package io.rivulet.bench.harness;

import java.util.Arrays;

/**
 * Fixed-rate latency run: {@code LatencyHarnessMain <W1|K1|W2..W5|J1|W1U|W2U> <rate> [--warmup 10s] [--measure 30s] [--partitions 2]
 * [--wait backoff] [--ring 16384] [--epoch-ms 100]}, e.g. {@code LatencyHarnessMain W1 1M --warmup 2s --measure 5s}.
 *
 * <p>Paces the trade stream at {@code rate} events/s (WORKLOADS.md section 4) through a real Rivulet query, records
 * each result's latency from its event's due time over the measured window, checks the result against a direct
 * computation, and prints a summary and a {@code RESULT} line. With {@code --baseline} the same work runs as a
 * hand-written loop paced the same way, no engine (W1, K1, and the allocating loops of W1U and W2U): the latency floor of
 * the harness and the machine. Exits 0 if the result is right, 1 if it is wrong or
 * the query failed, 2 on bad arguments.
 */
public final class LatencyHarnessMain
{
    private LatencyHarnessMain()
    {
    }

    /**
     * @param args {@code <workload> <rate> [options]}.
     */
    public static void main(final String[] args)
    {
        final boolean baseline = args.length > 0 && "--baseline".equals(args[0]);
        final HarnessOptions options;
        try
        {
            options = baseline ? HarnessOptions.latencyBaseline(Arrays.copyOfRange(args, 1, args.length)) :
                HarnessOptions.latency(args);
        }
        catch (final IllegalArgumentException e)
        {
            System.err.println("usage: LatencyHarnessMain [--baseline] <W1|K1|W2|W3|W4|W5|J1|W1U|W2U> <rate, e.g. 100k or 1M> [--warmup 10s] [--measure 30s]"
                + " [--partitions 2] [--wait backoff|yielding|busySpin|sleeping] [--ring 16384] [--epoch-ms 100]");
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(HarnessRunner.runAndPrint(options));
    }
}
