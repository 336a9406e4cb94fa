package io.rivulet.journal;

import io.rivulet.journal.CrashingWriterMain.Probe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
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

    /** An append the child reported as returned. */
    private record Acked(long offset, long sequence) { }

    @Test
    void shouldReadBackEveryAcknowledgedRecordExactlyOnceAfterRepeatedKill9() throws Exception {
        Random random = new Random(20260101L);
        long nextSequence = 0;
        long totalAcked = 0;
        for (int round = 0; round < ROUNDS; round++) {
            Process child = startWriter(nextSequence);
            List<Acked> acked = new ArrayList<>();
            Thread collector = collect(child, acked);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (sizeOf(acked) == 0 && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(child.isAlive()).as("writer of round %d is running", round).isTrue();
            Thread.sleep(100 + random.nextInt(300));
            child.destroyForcibly();    // SIGKILL on Linux
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
            collector.join(5_000);

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
            synchronized (acked) {
                assertThat(acked).as("round %d acknowledged appends", round).isNotEmpty();
                for (Acked ack : acked) {
                    assertThat(ack.sequence()).as("acknowledged record is in the journal").isLessThan(records.size());
                    assertThat(offsets.get((int) ack.sequence())).as("at the offset its append returned").isEqualTo(ack.offset());
                }
                Acked last = acked.get(acked.size() - 1);
                // at most a record or two past the last acknowledged one: appended, killed before printing
                assertThat(records.size() - 1 - last.sequence()).isBetween(0L, 2L);
                totalAcked += acked.size();
            }
            nextSequence = records.size();
        }
        assertThat(totalAcked).isGreaterThan(ROUNDS);
    }

    private static int sizeOf(List<Acked> acked) {
        synchronized (acked) {
            return acked.size();
        }
    }

    private Process startWriter(long firstSequence) throws Exception {
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
        command.add(CrashingWriterMain.class.getName());
        command.add(dir.toString());
        command.add(Long.toString(firstSequence));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static Thread collect(Process child, List<Acked> acked) {
        Thread thread = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
                String line;
                while ((line = in.readLine()) != null) {
                    // only whole lines count: a line cut by the kill does not end with " ."
                    if (line.startsWith("R ") && line.endsWith(" .")) {
                        String[] parts = line.split(" ");
                        synchronized (acked) {
                            acked.add(new Acked(Long.parseLong(parts[1]), Long.parseLong(parts[2])));
                        }
                    }
                }
            } catch (Exception ignored) {
                // the child was killed; what was read is what counts
            }
        }, "crash-test-collector");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
