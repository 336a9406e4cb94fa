package io.rivulet.engine;

import io.rivulet.engine.sink.FileSink;
import io.rivulet.journal.Journal;
import io.rivulet.journal.JournalAppender;
import io.rivulet.journal.JournalOptions;
import io.rivulet.journal.JournalReader;
import io.rivulet.journal.StartPosition;
import io.rivulet.journal.codec.Codecs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exactly once across crashes: {@link CheckpointedWindowQueryMain} runs in a child JVM that is killed
 * with SIGKILL at random moments and started again on the same checkpoint location, until one run
 * finishes its input. The committed output then holds exactly the rows of a run without failures:
 * each (key, window) once, with its full count. Two outputs: CSV files (journal source → file sink)
 * and an exactly-once journal read back as a committed reader (journal source → journal sink). A third
 * round kills a stream-stream join ({@link CheckpointedJoinQueryMain}: two journals → inner join → file
 * sink): its committed pairs are exactly those of the input, each as often as the input holds it. A
 * fourth kills a left outer join with a time range and a watermark on both inputs, in micro-batch mode
 * ({@link CheckpointedJoinQueryMain} {@code range}): rows are evicted and outer rows emitted at eviction,
 * so the watermarks and what is left of both sides must survive each kill; its committed rows are every
 * pair within the range and every order never paid within it, each once. A fifth kills the inner join on
 * {@code long} keys ({@code keyByLong(..).join}): the same pairs as the boxed one.
 *
 * <p>CI runs {@value #DEFAULT_KILLS} kills with the file output, {@value #DEFAULT_JOURNAL_KILLS} with the join and the
 * journal output. The long run: {@code mvn -B -pl engine -am
 * verify -Psoak -Dtest=CheckpointKillTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Drivulet.kills=100} (both outputs; prints the tally per output).
 */
@ExtendWith({NoLeakedThreads.class, NoOpenJournals.class})
class CheckpointKillTest {
    static final int DEFAULT_KILLS = 5;
    /** Fewer for the journal output in CI: the file output already covers the kill moments; this adds the sink. */
    static final int DEFAULT_JOURNAL_KILLS = 3;
    private static final int EVENTS = 200_000;
    private static final int KEYS = 20;
    /** Ids of the join round's input: about 2 × this many rows over both journals. */
    private static final int JOIN_IDS = 40_000;

    @TempDir
    Path dir;

    /** Per restart: ms from starting the child JVM to its first new checkpoint (JVM start, restore, one epoch). */
    private final List<Long> recoveries = new ArrayList<>();

    /** Where the killed query writes. */
    enum Output {
        /** CSV files, exactly once ({@code Sinks.files}). */
        FILES,
        /** An epoch-committed journal ({@code Sinks.journal}, its default delivery). */
        JOURNAL,
        /** CSV files of a stream-stream join's pairs ({@link CheckpointedJoinQueryMain}). */
        JOIN,
        /** CSV files of a left outer join with a time range and watermarks ({@link CheckpointedJoinQueryMain} range). */
        RANGE_JOIN,
        /** The inner join on {@code long} keys ({@code keyByLong(..).join}), the same pairs as {@link #JOIN}. */
        LONG_JOIN
    }

    @Test
    void shouldCommitExactlyTheOutputOfAFailureFreeRunWhenKilledAtRandomMoments() throws Exception {
        killAtRandomMoments(Output.FILES);
    }

    @Test
    void shouldCommitExactlyTheOutputOfAFailureFreeRunToAJournalWhenKilledAtRandomMoments() throws Exception {
        killAtRandomMoments(Output.JOURNAL);
    }

    @Test
    void shouldCommitExactlyTheOutputOfAFailureFreeRunOfAStreamStreamJoinWhenKilledAtRandomMoments() throws Exception {
        killAtRandomMoments(Output.JOIN);
    }

    @Test
    void shouldCommitEachPairAndEachOuterRowOnceOfAnEvictingLeftOuterJoinWhenKilledAtRandomMoments() throws Exception {
        killAtRandomMoments(Output.RANGE_JOIN);
    }

    @Test
    void shouldCommitExactlyTheOutputOfAFailureFreeRunOfALongKeyJoinWhenKilledAtRandomMoments() throws Exception {
        killAtRandomMoments(Output.LONG_JOIN);
    }

    private void killAtRandomMoments(Output output) throws Exception {
        int kills = Integer.getInteger("rivulet.kills", output == Output.FILES ? DEFAULT_KILLS : DEFAULT_JOURNAL_KILLS);
        // The join output runs as many kills as the journal output by default.
        long seed = Long.getLong("rivulet.kills.seed", System.nanoTime());
        SplittableRandom random = new SplittableRandom(seed);
        List<String> tally = new ArrayList<>();
        int killed = 0;
        int rounds = 0;
        // A round runs the query over one input until a run finishes it; rounds repeat until enough kills.
        while (killed < kills || rounds == 0) {
            rounds++;
            killed += round(dir.resolve("round-" + rounds), output, kills - killed, random, seed, tally);
        }
        System.out.println("CheckpointKillTest " + output + " seed " + seed + ": " + killed + " kills in " + rounds
            + " rounds, every round exactly once");
        if (!recoveries.isEmpty()) {
            List<Long> sorted = recoveries.stream().sorted().toList();
            System.out.println("  restart to first new checkpoint (JVM start + restore + first epoch): min "
                + sorted.get(0) + " ms, median " + sorted.get(sorted.size() / 2) + " ms, max "
                + sorted.get(sorted.size() - 1) + " ms over " + sorted.size() + " restarts");
        }
        tally.forEach(t -> System.out.println("  " + t));
    }

    /** One input, killed up to {@code kills} times, then run to its end and checked. @return the kills made */
    private int round(Path dir, Output out, int kills, SplittableRandom random, long seed, List<String> tally)
        throws Exception {
        Path input = dir.resolve("input");
        Path checkpoints = dir.resolve("checkpoints");
        Path output = dir.resolve("output");
        Map<String, Long> expected = out == Output.JOIN || out == Output.LONG_JOIN ? writeJoinInput(input, random.split())
            : out == Output.RANGE_JOIN ? writeRangeJoinInput(input, random.split()) : writeInput(input, random.split());
        int killed = 0;
        String round = dir.getFileName().toString();
        while (true) {
            long before = newestCheckpoint(checkpoints);
            long startedNs = System.nanoTime();
            Process child = startChild(input, checkpoints, output, out);
            if (killed < kills) {
                // Kill once this run has made progress (1 to 8 new checkpoints), somewhere in the next
                // 300 ms: mid-epoch, mid-snapshot or mid-commit, as it falls.
                long target = before + 1 + random.nextInt(8);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                long recoveredNs = 0;
                while (child.isAlive() && newestCheckpoint(checkpoints) < target && System.nanoTime() < deadline) {
                    if (recoveredNs == 0 && newestCheckpoint(checkpoints) > before) {
                        recoveredNs = System.nanoTime() - startedNs;
                    }
                    Thread.sleep(5);
                }
                if (recoveredNs == 0 && newestCheckpoint(checkpoints) > before) {
                    recoveredNs = System.nanoTime() - startedNs;
                }
                if (before >= 0 && recoveredNs > 0) {
                    recoveries.add(TimeUnit.NANOSECONDS.toMillis(recoveredNs));
                }
                long delayMs = random.nextInt(300);
                if (!child.waitFor(delayMs, TimeUnit.MILLISECONDS)) {
                    child.destroyForcibly();
                    child.waitFor();
                    killed++;
                    tally.add(round + " run " + killed + ": SIGKILL " + delayMs + " ms after checkpoint "
                        + newestCheckpoint(checkpoints) + ", " + committedLines(output, out).size() + " rows committed");
                    continue;
                }
                tally.add(round + ": finished before its kill");
            } else {
                assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("last run finishes").isTrue();
                tally.add(round + ": finished");
            }
            assertThat(child.exitValue()).as("child exit").isZero();
            break;
        }
        List<String> lines = committedLines(output, out);
        Map<String, Long> actual = new TreeMap<>();
        for (String line : lines) {
            String[] parts = line.split(",");
            if (out == Output.RANGE_JOIN && parts[0].startsWith("pad")) {
                continue;
            }
            if (out == Output.JOIN || out == Output.RANGE_JOIN || out == Output.LONG_JOIN) {
                // id,orderTime,paymentTime: a pair may repeat only as often as the input holds it.
                actual.merge(parts[0] + "@" + parts[1] + "@" + parts[2], 1L, Long::sum);
                continue;
            }
            Long before = actual.put(parts[0] + "@" + parts[1], Long.parseLong(parts[2]));
            assertThat(before).as("row for %s@%s committed twice (%s, seed %d)", parts[0], parts[1], round, seed).isNull();
        }
        assertThat(actual).as("committed rows (%s, seed %d)", round, seed).isEqualTo(expected);
        return killed;
    }

    /** Writes the input journal; returns what a failure-free run emits: the count per key and window. */
    private static Map<String, Long> writeInput(Path input, SplittableRandom random) {
        Map<String, Long> expected = new TreeMap<>();
        try (Journal journal = Journal.open(JournalOptions.of(input))) {
            JournalAppender<String> appender = journal.appender(Codecs.strings());
            for (int i = 0; i < EVENTS; i++) {
                String key = "k" + random.nextInt(KEYS);
                // 10 events per ms of event time, out of order by up to 150 ms (under the 200 ms delay).
                long ts = 1_700_000_000_000L + i / 10 - random.nextInt(150);
                appender.append(key + "," + ts);
                expected.merge(key + "@" + (ts - ts % 1000), 1L, Long::sum);
            }
        }
        return expected;
    }

    /**
     * Writes the join's two input journals ({@code input/orders}, {@code input/payments}): ids in shuffled
     * order, most with one order and one payment, some with only one of them. Returns what a failure-free
     * run emits: per {@code id@orderTime}, the payment time.
     */
    private static Map<String, Long> writeJoinInput(Path input, SplittableRandom random) {
        Map<String, Long> expected = new TreeMap<>();
        int ids = JOIN_IDS;
        try (Journal orders = Journal.open(JournalOptions.of(input.resolve("orders")));
             Journal payments = Journal.open(JournalOptions.of(input.resolve("payments")))) {
            JournalAppender<String> orderAppender = orders.appender(Codecs.strings());
            JournalAppender<String> paymentAppender = payments.appender(Codecs.strings());
            for (int i = 0; i < ids; i++) {
                // Payments lag their order by up to a fifth of the input, so both sides buffer rows.
                long orderTs = 1_700_000_000_000L + i;
                int kind = random.nextInt(10);
                if (kind != 0) {
                    orderAppender.append("o" + i + "," + orderTs);
                }
                if (kind != 1) {
                    int later = Math.min(ids - 1, i + random.nextInt(ids / 5));
                    paymentAppender.append("o" + later + "," + (orderTs + 7));
                }
            }
        }
        // Recompute from the journals as written: each id may have several payments (ids are drawn).
        Map<String, List<Long>> orderTimes = new TreeMap<>();
        Map<String, List<Long>> paymentTimes = new TreeMap<>();
        readInto(input.resolve("orders"), orderTimes);
        readInto(input.resolve("payments"), paymentTimes);
        orderTimes.forEach((id, times) -> {
            for (long o : times) {
                for (long p : paymentTimes.getOrDefault(id, List.of())) {
                    expected.merge(id + "@" + o + "@" + p, 1L, Long::sum);
                }
            }
        });
        return expected;
    }

    /** Ids of the range join round: one order each, one ms apart. */
    private static final int RANGE_JOIN_IDS = 12_000;
    /** Rows of padding at the end of each of the range join's journals (see {@link #writeRangeJoinInput}). */
    private static final int RANGE_JOIN_PAD = 3_000;

    /**
     * Writes the range join's journals: order {@code o<i>} at {@code T0 + i} ms; a tenth of the orders are
     * never paid, seven tenths paid within the range (0 to 50 ms after the order) and two tenths paid too
     * late (51 to 80 ms after). Each journal is in event-time order but for up to 80 ms, under the 100 ms
     * watermark delay, and the watermark is the minimum over both inputs' (a micro-batch input without
     * data counts as 0), so under any split into batches no row is ever at or behind its batch's
     * watermark: no row is late, every pair within the range is emitted (a row is evicted only once a
     * row that could still match it would be late), and every order never paid within the range is
     * emitted once its left row is evicted. Then {@value #RANGE_JOIN_PAD} rows of padding ({@code pad<k>},
     * ignored by the check) follow on both inputs, several batches' worth: the watermark passes the last
     * real order + 50 ms while padding remains, so every real order's outer row comes out in a data batch,
     * which a restart reads again, and not only in the final no-data batch (a restart after the last
     * data batch runs that one from the watermarks its checkpoint saved, {@code NoDataBatchRestartTest}). Returns the rows a
     * failure-free run emits for the real ids: {@code id@orderTime@paymentTime}, {@code -1} for none.
     */
    private static Map<String, Long> writeRangeJoinInput(Path input, SplittableRandom random) {
        Map<String, Long> expected = new TreeMap<>();
        long t0 = 1_700_000_000_000L;
        try (Journal orders = Journal.open(JournalOptions.of(input.resolve("orders")));
             Journal payments = Journal.open(JournalOptions.of(input.resolve("payments")))) {
            JournalAppender<String> orderAppender = orders.appender(Codecs.strings());
            JournalAppender<String> paymentAppender = payments.appender(Codecs.strings());
            for (int i = 0; i < RANGE_JOIN_IDS; i++) {
                long orderTs = t0 + i;
                orderAppender.append("o" + i + "," + orderTs);
                int kind = random.nextInt(10);
                if (kind == 0) {
                    expected.merge("o" + i + "@" + orderTs + "@-1", 1L, Long::sum);
                    continue;
                }
                long paymentTs = orderTs + (kind <= 7 ? random.nextInt(51) : 51 + random.nextInt(30));
                paymentAppender.append("o" + i + "," + paymentTs);
                expected.merge("o" + i + "@" + orderTs + "@" + (kind <= 7 ? paymentTs : -1), 1L, Long::sum);
            }
            for (int k = 0; k < RANGE_JOIN_PAD; k++) {
                long ts = t0 + RANGE_JOIN_IDS + k;
                orderAppender.append("pad" + k + "," + ts);
                paymentAppender.append("pad" + k + "," + ts);
            }
        }
        return expected;
    }

    private static void readInto(Path journalDir, Map<String, List<Long>> times) {
        try (Journal journal = Journal.open(JournalOptions.of(journalDir))) {
            JournalReader<String> reader = journal.reader(Codecs.strings(), StartPosition.earliest());
            while (reader.poll((line, offset) -> {
                String[] parts = line.split(",");
                times.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(Long.parseLong(parts[1]));
            }, 4096) > 0) {
                // every record
            }
        }
    }

    /** The newest epoch in the offsets log, or -1. */
    private static long newestCheckpoint(Path checkpoints) throws IOException {
        Path offsets = checkpoints.resolve("offsets");
        if (!Files.isDirectory(offsets)) {
            return -1;
        }
        try (var files = Files.list(offsets)) {
            return files.map(f -> f.getFileName().toString()).filter(name -> name.matches("\\d+"))
                .mapToLong(Long::parseLong).max().orElse(-1);
        }
    }

    /** What a reader of the output sees: committed files, or an epoch-committed journal's committed records. */
    private static List<String> committedLines(Path output, Output out) {
        if (!Files.isDirectory(output)) {
            return List.of();
        }
        if (out != Output.JOURNAL) {
            return FileSink.committedLines(output);
        }
        List<String> lines = new ArrayList<>();
        try (Journal journal = Journal.open(JournalOptions.of(output))) {
            assertThat(journal.isEpochCommitted() || journal.lastOffset() == Journal.NO_OFFSET)
                .as("the journal sink wrote an epoch-committed journal").isTrue();
            JournalReader<String> reader = journal.reader(Codecs.strings(), StartPosition.earliest());
            // Every committed record: a poll alone may stop early on a long run of commit markers (idle epochs).
            reader.pollAvailable((line, offset) -> lines.add(line));
        }
        return lines;
    }

    private static Process startChild(Path input, Path checkpoints, Path output, Output out) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (argument.startsWith("--add-") || argument.startsWith("-Dchronicle") || argument.startsWith("--sun-misc")
                || argument.startsWith("--enable-native-access")) {
                command.add(argument);
            }
        }
        command.add("-Xmx256m");
        command.add("-XX:+UseSerialGC");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        if (out == Output.JOIN || out == Output.RANGE_JOIN || out == Output.LONG_JOIN) {
            command.add(CheckpointedJoinQueryMain.class.getName());
            command.add(input.resolve("orders").toString());
            command.add(input.resolve("payments").toString());
            command.add(checkpoints.toString());
            command.add(output.toString());
            if (out == Output.RANGE_JOIN) {
                command.add("range");
            } else if (out == Output.LONG_JOIN) {
                command.add("long");
            }
            return new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        }
        command.add(CheckpointedWindowQueryMain.class.getName());
        command.add(input.toString());
        command.add(checkpoints.toString());
        command.add(output.toString());
        if (out == Output.JOURNAL) {
            command.add("journal");
        }
        return new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }
}
