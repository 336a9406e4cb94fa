package io.rivulet.examples;

import io.rivulet.engine.Rivulet;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.Trigger;
import io.rivulet.engine.Windows;
import io.rivulet.engine.sink.FileSink;
import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.source.RateRow;
import io.rivulet.engine.source.Sources;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A stateful query killed with {@code kill -9} and resumed from its checkpoint, several times over.
 *
 * <p>The query: the {@code rate} source (2 000 rows/s), keyed by {@code value % 5}, counted per 2 s
 * event-time window, written as CSV files exactly once, with a checkpoint location. This program
 * runs it in a child JVM, kills the child (SIGKILL) every few seconds, starts it again on the same
 * checkpoint location, and finally checks the committed files: every (window, key) appears once, and
 * every window the watermark closed holds exactly 800 rows per key, as if nothing had happened (the
 * rate source resumes its schedule, rows due while the query was down come at once).
 *
 * <p>Usage: {@code bin/example KillAndResume [kills] [secondsPerRun] [directory]} (defaults 3, 4, a
 * new temporary directory). Look at {@code directory/out} (the files) and
 * {@code directory/checkpoints} (see docs/guarantees.md) afterwards.
 */
public final class KillAndResumeMain {
    private static final long ROWS_PER_SECOND = 2_000;
    private static final int KEYS = 5;
    private static final Duration WINDOW = Duration.ofSeconds(2);

    private KillAndResumeMain() {
    }

    /** One output row. */
    public record Count(long windowStartMs, long key, long rows) {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("--child")) {
            runQuery(Path.of(args[1]));
            return;
        }
        int kills = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        Path dir = args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("rivulet-kill-and-resume");
        System.out.println("directory: " + dir);
        for (int run = 1; run <= kills + 1; run++) {
            Process child = startChild(dir);
            boolean last = run == kills + 1;
            child.waitFor(seconds, TimeUnit.SECONDS);
            if (last) {
                // The last run stops cleanly: Ctrl-C's path, a graceful stop.
                child.destroy();
                child.waitFor();
                System.out.printf("run %d: stopped; %d rows committed%n", run, committed(dir).size());
            } else {
                child.destroyForcibly();
                child.waitFor();
                System.out.printf("run %d: killed with SIGKILL after %d s; %d rows committed%n", run, seconds,
                    committed(dir).size());
            }
        }
        check(committed(dir));
    }

    /** The query the child runs until it is killed or stopped. */
    private static void runQuery(Path dir) throws InterruptedException {
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(Sources.rate().rowsPerSecond(ROWS_PER_SECOND))
                .withWatermark(RateRow::timestampMs, Duration.ofMillis(500))
                .keyBy(row -> row.value() % KEYS, 2)
                .window(Windows.tumbling(WINDOW), RateRow::timestampMs)
                .count()
                .map(row -> new Count(row.window().startMs(), row.key(), row.value()))
                .writeStream(Sinks.<Count>files(dir.resolve("out")).csv())
                .queryName("kill-and-resume")
                .trigger(Trigger.continuous(Duration.ofMillis(100)))
                .checkpointLocation(dir.resolve("checkpoints"))
                .start();
            Run.until(query, null);
        }
    }

    private static List<String> committed(Path dir) {
        Path out = dir.resolve("out");
        return Files.isDirectory(out) ? FileSink.committedLines(out) : List.of();
    }

    private static void check(List<String> lines) {
        Map<String, Long> rows = new TreeMap<>();
        int duplicates = 0;
        for (String line : lines) {
            String[] parts = line.split(",");
            if (rows.put(parts[0] + " key " + parts[1], Long.parseLong(parts[2])) != null) {
                duplicates++;
            }
        }
        long expected = ROWS_PER_SECOND * WINDOW.toSeconds() / KEYS;
        long firstWindow = rows.keySet().stream().mapToLong(k -> Long.parseLong(k.split(" ")[0])).min().orElse(0);
        int full = 0;
        int wrong = 0;
        for (Map.Entry<String, Long> row : rows.entrySet()) {
            if (Long.parseLong(row.getKey().split(" ")[0]) == firstWindow) {
                continue; // the first window started before the query did
            }
            full++;
            if (row.getValue() != expected) {
                wrong++;
                System.out.println("  window " + row.getKey() + ": " + row.getValue() + " rows, expected " + expected);
            }
        }
        System.out.printf("%d rows committed: %d duplicates; %d complete (window, key) rows, %d with a count other than %d%n",
            lines.size(), duplicates, full, wrong, expected);
        System.out.println(duplicates == 0 && wrong == 0 ? "exactly once: OK" : "NOT exactly once");
        if (duplicates != 0 || wrong != 0) {
            System.exit(1);
        }
    }

    private static Process startChild(Path dir) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (argument.startsWith("--add-") || argument.startsWith("-D") || argument.startsWith("--enable-native-access")) {
                command.add(argument);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(KillAndResumeMain.class.getName());
        command.add("--child");
        command.add(dir.toString());
        return new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }
}
