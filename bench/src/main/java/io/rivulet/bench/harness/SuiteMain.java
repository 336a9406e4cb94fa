package io.rivulet.bench.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The standard suite: W1 and K1 in throughput mode (W1 N = 20M, checked against the spec's reference; K1 N = 10M),
 * each after the same work as a hand-written loop (the yardstick on a shared machine), then both at fixed offered
 * rates of 100k/s and 1M/s (10 s warm-up + 30 s measured each), W1's after the same paced work as a hand-written
 * loop (the latency floor of the harness and the machine at that moment). Every run goes to a fresh
 * JVM with this JVM's flags (as JMH forks do), so that one run's JIT profile and heap do not colour the next; the
 * suite parses each run's {@code RESULT} line and prints one table.
 *
 * <p>Each keyed workload (K1, W2-W4 with {@code --k1-n} trades; W5 with {@code --w5-n} trades and N/10 orders) runs
 * once per engine configuration in {@code --k1-engines} ({@code partitions:wait[:threaded]}): by default the engine's defaults with one partition
 * ({@code 1:backoff}: the keyed stage fused into the source's thread) and with two partitions ({@code 2:backoff}:
 * two partitions behind rings, on the threads of the engine's thread plan); {@code :threaded} gives a one-partition stage its own thread
 * ({@code fuseKeyedStages(false)}). W1 has one thread (source, operators
 * and sink fused), so it has no engine variants. Throughput and baseline runs are repeated {@code --passes} times and
 * reported as the median pass by events/s, with the range.
 *
 * <p>{@code SuiteMain [--warmup 10s] [--measure 30s] [--rates 100k,1M] [--w1-n 20M] [--k1-n 10M]
 * [--w5-n 5M] [--k1-engines 1:backoff,2:backoff] [--passes 3] [--workloads W1,K1,W2,W3,W4,W5] [--in-process]}. Exits 0 when every run's
 * result was right, 1 otherwise.
 */
public final class SuiteMain
{
    private SuiteMain()
    {
    }

    /**
     * @param args suite options.
     * @throws Exception if a child JVM cannot be started.
     */
    public static void main(final String[] args) throws Exception
    {
        final Map<String, String> opts = new LinkedHashMap<>();
        opts.put("--warmup", "10s");
        opts.put("--measure", "30s");
        opts.put("--rates", "100k,1M");
        opts.put("--w1-n", "20M");
        opts.put("--k1-n", "10M");
        opts.put("--w5-n", "5M");
        opts.put("--k1-engines", "1:backoff,2:backoff");
        opts.put("--passes", "3");
        opts.put("--workloads", "W1,K1,W2,W3,W4,W5,W1U,W2U");
        boolean inProcess = false;
        for (int i = 0; i < args.length; i++)
        {
            if ("--in-process".equals(args[i]))
            {
                inProcess = true;
            }
            else if (opts.containsKey(args[i]) && i + 1 < args.length)
            {
                opts.put(args[i], args[++i]);
            }
            else
            {
                System.err.println("usage: SuiteMain [--warmup 10s] [--measure 30s] [--rates 100k,1M] [--w1-n 20M]"
                    + " [--k1-n 10M] [--w5-n 5M] [--k1-engines 1:backoff,2:backoff] [--passes 3]"
                    + " [--workloads W1,K1,W2,W3,W4,W5,W1U,W2U] [--in-process]");
                System.err.println("unknown or incomplete option '" + args[i] + "'");
                System.exit(2);
            }
        }

        final int passes = (int)HarnessOptions.parseCount("--passes", opts.get("--passes"));
        final String[] workloads = opts.get("--workloads").split(",");
        final List<String[]> k1Engines = new ArrayList<>();
        for (final String engine : opts.get("--k1-engines").split(","))
        {
            final String[] pw = engine.split(":");
            if (pw.length < 2 || pw.length > 3 || (pw.length == 3 && !"threaded".equals(pw[2])))
            {
                System.err.println("--k1-engines takes partitions:wait[:threaded], e.g. 1:backoff,2:backoff,1:yielding:threaded;"
                    + " got '" + engine + "'");
                System.exit(2);
            }
            k1Engines.add(new String[] {"--partitions", pw[0], "--wait", pw[1], "--fuse", Boolean.toString(pw.length == 2)});
        }
        final List<String[]> runs = new ArrayList<>();
        for (final String workload : workloads)
        {
            if (UserShapedScenario.isUserShaped(workload))
            {
                // A user-shaped workload is about the tail: its allocating loop is the paced one, below.
                continue;
            }
            final boolean w1 = "W1".equalsIgnoreCase(workload);
            final String n = w1 ? opts.get("--w1-n") : Scenario.joinsOrders(workload) ? opts.get("--w5-n") : opts.get("--k1-n");
            runs.add(new String[] {"baseline", workload, n});
            for (final String[] engine : w1 ? List.<String[]>of(new String[0]) : k1Engines)
            {
                runs.add(concat(new String[] {"throughput", workload, n}, engine));
            }
        }
        for (final String workload : workloads)
        {
            final boolean userShaped = UserShapedScenario.isUserShaped(workload);
            final boolean w1 = "W1".equalsIgnoreCase(workload) || "W1U".equalsIgnoreCase(workload);
            if (w1 || userShaped)
            {
                for (final String rate : opts.get("--rates").split(","))
                {
                    runs.add(new String[] {"latency-baseline", workload, rate, "--warmup", opts.get("--warmup"),
                        "--measure", opts.get("--measure")});
                }
            }
            for (final String[] engine : w1 ? List.<String[]>of(new String[0]) : k1Engines)
            {
                for (final String rate : opts.get("--rates").split(","))
                {
                    runs.add(concat(new String[] {"latency", workload, rate, "--warmup", opts.get("--warmup"),
                        "--measure", opts.get("--measure")}, engine));
                }
            }
        }

        final List<Map<String, String>> rows = new ArrayList<>();
        boolean allPassed = true;
        for (final String[] run : runs)
        {
            final int runPasses = run[0].startsWith("latency") ? 1 : passes;
            final List<Map<String, String>> results = new ArrayList<>();
            boolean passed = true;
            for (int pass = 1; pass <= runPasses; pass++)
            {
                System.out.println("=== " + String.join(" ", run) + (runPasses > 1 ? "  (pass " + pass + "/" + runPasses + ")" : ""));
                final Map<String, String> row = inProcess ? runInProcess(run) : runForked(run);
                if (row == null || !"OK".equals(row.get("check")))
                {
                    passed = false;
                }
                if (row != null)
                {
                    results.add(row);
                }
            }
            allPassed &= passed;
            if (!results.isEmpty())
            {
                final Map<String, String> median = median(results);
                if (!passed)
                {
                    median.put("check", "FAIL");
                }
                rows.add(median);
            }
        }
        System.out.println();
        System.out.print(table(rows));
        System.out.println(allPassed ? "suite: every result checked OK" : "suite: FAILED (a run failed or computed a wrong result)");
        System.exit(allPassed ? 0 : 1);
    }

    /**
     * Formats parsed {@code RESULT} lines as the suite's table.
     *
     * @param rows one map of fields per run.
     * @return the table, a header line, a separator and one line per run, plus a per-thread allocation list.
     */
    public static String table(final List<Map<String, String>> rows)
    {
        final StringBuilder out = new StringBuilder();
        final String format = "| %-8s | %-22s | %-7s | %-23s | %-8s | %-10s | %-6s | %-8s | %-8s | %-8s | %-8s | %-8s | %-8s"
            + " | %-10s | %-8s |%n";
        out.append(String.format(Locale.ROOT, format, "workload", "mode", "offered", "events/s", "CPU ns/ev", "results",
            "check", "p50", "p99", "p99.9", "p99.99", "max", "B/event", "GC (n/ms)", "heap MB"));
        out.append(String.format(Locale.ROOT, format, "---", "---", "---", "---", "---", "---", "---", "---", "---",
            "---", "---", "---", "---", "---", "---"));
        for (final Map<String, String> r : rows)
        {
            final boolean latency = r.containsKey("p50Ns");
            final String offered = "max".equals(r.get("rate")) ? "max" : RunReport.rate(Double.parseDouble(r.get("rate")));
            String events = RunReport.rate(Double.parseDouble(r.get("eventsPerSec")));
            if (r.containsKey("eventsPerSecMin") && !"1".equals(r.get("passes")))
            {
                events += " (" + RunReport.rate(Double.parseDouble(r.get("eventsPerSecMin"))) + "–" +
                    RunReport.rate(Double.parseDouble(r.get("eventsPerSecMax"))) + ")";
            }
            String check = r.get("check");
            if (!"n/a".equals(r.get("reference")))
            {
                check += "/ref";
            }
            if (latency && !"true".equals(r.get("sustained")))
            {
                check += " behind " + r.get("behindMs") + "ms";
            }
            out.append(String.format(Locale.ROOT, format, r.get("workload"),
                r.get("mode") + (!r.get("workload").startsWith("W1") && !r.get("mode").endsWith("baseline") ?
                    " p" + r.get("partitions") + " " + r.get("wait") + ("false".equals(r.get("fused")) ? " threaded" : "") : ""),
                offered, events,
                r.getOrDefault("cpuNsPerEvent", "n/a"), r.get("results"), check,
                latency ? us(r.get("p50Ns")) : "-", latency ? us(r.get("p99Ns")) : "-",
                latency ? us(r.get("p999Ns")) : "-", latency ? us(r.get("p9999Ns")) : "-",
                latency ? us(r.get("maxNs")) : "-", r.get("bytesPerEvent"), r.get("gcCount") + "/" + r.get("gcMs"),
                r.getOrDefault("heapPeakMB", "n/a")));
        }
        out.append(System.lineSeparator()).append("B/event and CPU ns/ev = bytes allocated and CPU time used by the query's"
            + " threads per event between two snapshots (latency: the measured window; throughput: 20%..80% of the"
            + " events; baseline: the whole loop). Per thread:").append(System.lineSeparator());
        for (final Map<String, String> r : rows)
        {
            if (r.get("mode").endsWith("baseline"))
            {
                continue;
            }
            final StringBuilder threads = new StringBuilder();
            r.forEach((k, v) ->
            {
                if (k.startsWith("bytesPerEvent."))
                {
                    threads.append(' ').append(k.substring("bytesPerEvent.".length())).append('=').append(v).append(" B");
                }
            });
            r.forEach((k, v) ->
            {
                if (k.startsWith("cpuNsPerEvent.") && !r.containsKey("p50Ns"))
                {
                    threads.append(' ').append(k.substring("cpuNsPerEvent.".length())).append('=').append(v).append(" ns");
                }
            });
            out.append(String.format(Locale.ROOT, "  %s %s %s p%s %s:%s (all JVM threads: %s)%n", r.get("workload"),
                r.get("mode"), r.get("rate"), r.get("partitions"), r.get("wait"), threads, r.get("allBytesPerEvent")));
        }
        return out.toString();
    }

    /**
     * The median pass by events/s, with the range of all passes in {@code eventsPerSecMin} and
     * {@code eventsPerSecMax}.
     *
     * @param passes parsed results of the passes of one run, at least one.
     * @return a copy of the median pass with the range added.
     */
    static Map<String, String> median(final List<Map<String, String>> passes)
    {
        final List<Map<String, String>> sorted = new ArrayList<>(passes);
        sorted.sort(Comparator.comparingDouble(r -> Double.parseDouble(r.get("eventsPerSec"))));
        final Map<String, String> median = new LinkedHashMap<>(sorted.get((sorted.size() - 1) / 2));
        median.put("passes", Integer.toString(sorted.size()));
        median.put("eventsPerSecMin", sorted.get(0).get("eventsPerSec"));
        median.put("eventsPerSecMax", sorted.get(sorted.size() - 1).get("eventsPerSec"));
        return median;
    }

    /**
     * Parses a {@code RESULT key=value ...} line.
     *
     * @param line the line.
     * @return the fields, or {@code null} if the line is not a result line.
     */
    public static Map<String, String> parseResult(final String line)
    {
        if (!line.startsWith(RunReport.RESULT_PREFIX))
        {
            return null;
        }
        final Map<String, String> fields = new LinkedHashMap<>();
        for (final String pair : line.substring(RunReport.RESULT_PREFIX.length()).trim().split(" "))
        {
            final int eq = pair.indexOf('=');
            if (eq > 0)
            {
                fields.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return fields;
    }

    private static Map<String, String> runInProcess(final String[] run) throws InterruptedException
    {
        final String[] rest = Arrays.copyOfRange(run, 1, run.length);
        final HarnessOptions options = switch (run[0])
        {
            case "latency" -> HarnessOptions.latency(rest);
            case "latency-baseline" -> HarnessOptions.latencyBaseline(rest);
            case "baseline" -> HarnessOptions.baseline(rest);
            default -> HarnessOptions.throughput(rest);
        };
        final RunReport report = HarnessRunner.run(options);
        System.out.print(report.summary());
        return parseResult(report.resultLine());
    }

    private static Map<String, String> runForked(final String[] run) throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(run[0].startsWith("latency") ? LatencyHarnessMain.class.getName() : ThroughputMain.class.getName());
        if (run[0].endsWith("baseline"))
        {
            command.add("--baseline");
        }
        command.addAll(List.of(run).subList(1, run.length));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Map<String, String> result = null;
        try (BufferedReader reader = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
        {
            String line;
            while ((line = reader.readLine()) != null)
            {
                System.out.println("  " + line);
                final Map<String, String> parsed = parseResult(line);
                if (parsed != null)
                {
                    result = parsed;
                }
            }
        }
        final int exit = process.waitFor();
        if (exit != 0)
        {
            System.out.println("  run exited with status " + exit);
            if (result != null)
            {
                result.put("check", "FAIL");
            }
        }
        return result;
    }

    private static String us(final String ns)
    {
        return RunReport.micros(Long.parseLong(ns));
    }

    private static String[] concat(final String[] a, final String[] b)
    {
        final String[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
