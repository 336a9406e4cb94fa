package io.rivulet.journal;

import io.rivulet.journal.CrashingWriterMain.Probe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The acceptance test of crash safety: a writer in a child JVM appends as fast as it can and is
 * killed with SIGKILL at a random moment, five times over. After every kill the journal reopens and
 * proves that every record whose append returned (the child printed its offset) is read back
 * exactly once, at that offset, in order, intact; and that nothing else (no torn or partial record)
 * is read.
 */
@ExtendWith(NoOpenJournals.class)
class CrashSafetyTest {
    private static final int ROUNDS = 5;

    @TempDir
    Path dir;

    @TempDir
    Path outputs;

    /** An append the child reported as returned. */
    private record Acked(long offset, long sequence) { }

    @Test
    void shouldReadBackEveryAcknowledgedRecordExactlyOnceAfterRepeatedKill9() throws Exception {
        Random random = new Random(20260101L);
        long nextSequence = 0;
        long totalAcked = 0;
        StringBuilder summary = new StringBuilder("crash rounds (acknowledged/in journal):");
        for (int round = 0; round < ROUNDS; round++) {
            Path acks = outputs.resolve("acks-" + round + ".txt");
            Process child = startWriter(nextSequence, acks);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (readAcks(acks).isEmpty() && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(child.isAlive()).as("writer of round %d is running", round).isTrue();
            Thread.sleep(100 + random.nextInt(300));
            child.destroyForcibly();    // SIGKILL on Linux
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
            // the child's stdout is a file: every line it wrote before the kill is there
            List<Acked> acked = readAcks(acks);

            List<Probe> records = new ArrayList<>();
            List<Long> offsets = new ArrayList<>();
            try (Journal journal = Journal.open(JournalOptions.of(dir))) {
                JournalReader<Probe> reader = journal.reader(CrashingWriterMain.CODEC, StartPosition.earliest());
                while (reader.poll((probe, offset) -> {
                    records.add(probe);
                    offsets.add(offset);
                }, 1024) > 0) {
                    // read to the end
                }
                assertThat(reader.isCaughtUp()).isTrue();
            }
            for (int i = 0; i < records.size(); i++) {
                Probe probe = records.get(i);
                assertThat(probe.sequence()).as("record %d holds sequence %d: once each, in order", i, i).isEqualTo(i);
                assertThat(probe.isIntact()).as("record %d is intact", i).isTrue();
                if (i > 0) {
                    assertThat(offsets.get(i)).isGreaterThan(offsets.get(i - 1));
                }
            }
            {
                assertThat(acked).as("round %d acknowledged appends", round).isNotEmpty();
                for (Acked ack : acked) {
                    assertThat(ack.sequence()).as("acknowledged record is in the journal").isLessThan(records.size());
                    assertThat(offsets.get((int) ack.sequence())).as("at the offset its append returned").isEqualTo(ack.offset());
                }
                Acked last = acked.get(acked.size() - 1);
                // at most a record or two past the last acknowledged one: appended, killed before printing
                assertThat(records.size() - 1 - last.sequence())
                    .as("records past the last acknowledged one (round %d: %d acknowledged, %d in the journal)",
                        round, acked.size(), records.size())
                    .isBetween(0L, 2L);
                totalAcked += acked.size();
            }
            summary.append(' ').append(acked.size()).append('/').append(records.size() - nextSequence);
            nextSequence = records.size();
        }
        assertThat(totalAcked).isGreaterThan(ROUNDS);
        System.out.println(summary);
    }

    @Test
    void shouldNeverReadATornRecordAndLetTheNextWriterGoOn() throws Exception {
        Process child = startChild(TornWriterMain.class, "90", outputs.resolve("torn.txt"));
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as("the writer died mid-record").isEqualTo(9);
        try (Journal journal = Journal.open(JournalOptions.of(dir))) {
            List<Probe> records = new ArrayList<>();
            JournalReader<Probe> reader = journal.reader(CrashingWriterMain.CODEC, StartPosition.earliest());
            while (reader.poll((probe, offset) -> records.add(probe), 1000) > 0) {
                // to the end
            }
            assertThat(reader.isCaughtUp()).isTrue();
            assertThat(records).as("the torn record is not data").hasSize(90).allMatch(Probe::isIntact);

            JournalAppender<Probe> next = journal.appender(CrashingWriterMain.CODEC);
            for (int i = 90; i < 100; i++) {
                next.append(Probe.of(i));
            }
            while (reader.poll((probe, offset) -> records.add(probe), 1000) > 0) {
                // the tail the next writer appended over the torn record
            }
            assertThat(records).hasSize(100).allMatch(Probe::isIntact);
            for (int i = 0; i < 100; i++) {
                assertThat(records.get(i).sequence()).isEqualTo(i);
            }
        }
    }

    /** The whole lines the child wrote: a line cut by the kill has no newline and is not counted. */
    private static List<Acked> readAcks(Path file) throws Exception {
        List<Acked> acked = new ArrayList<>();
        if (!Files.exists(file)) {
            return acked;
        }
        String content = Files.readString(file, StandardCharsets.US_ASCII);
        int end = content.lastIndexOf('\n');
        if (end < 0) {
            return acked;
        }
        for (String line : content.substring(0, end).split("\n")) {
            String[] parts = line.split(" ");
            assertThat(parts).as("child output line '%s'", line).hasSize(4);
            assertThat(parts[0]).isEqualTo("R");
            assertThat(parts[3]).isEqualTo(".");
            acked.add(new Acked(Long.parseLong(parts[1]), Long.parseLong(parts[2])));
        }
        return acked;
    }

    private Process startWriter(long firstSequence, Path acks) throws Exception {
        return startChild(CrashingWriterMain.class, Long.toString(firstSequence), acks);
    }

    private Process startChild(Class<?> main, String mainArgument, Path stdout) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (argument.startsWith("--add-") || argument.startsWith("-D") || argument.startsWith("--sun-misc")
                || argument.startsWith("--enable-native-access")) {
                command.add(argument);
            }
        }
        command.add("-Xmx256m");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.add(dir.toString());
        command.add(mainArgument);
        return new ProcessBuilder(command)
            .redirectOutput(stdout.toFile())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    }
}
