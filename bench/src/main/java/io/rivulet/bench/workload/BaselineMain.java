package io.rivulet.bench.workload;

/**
 * Command line entry for the baseline: {@code BaselineMain <workload> <N> [passes]}, e.g.
 * {@code BaselineMain W3 10_000_000 3}. Prints one line per pass:
 * {@code workload N results checksum events/s}.
 */
public final class BaselineMain
{
    private BaselineMain()
    {
    }

    /**
     * @param args workload id ({@code W1..W5} or {@code 1..5}), number of trades N (underscores allowed), and
     *             optionally the number of passes (default 1).
     */
    public static void main(final String[] args)
    {
        if (args.length < 2 || args.length > 3)
        {
            System.err.println("usage: BaselineMain <W1..W5> <N trades> [passes]");
            System.exit(2);
        }
        final Workload workload = Workload.parse(args[0]);
        final long n = Long.parseLong(args[1].replace("_", ""));
        final int passes = args.length == 3 ? Integer.parseInt(args[2]) : 1;
        for (int pass = 0; pass < passes; pass++)
        {
            System.out.println(Baseline.run(workload, n).line());
        }
    }
}
