package io.rivulet.engine.source;

import io.rivulet.engine.Conditions;
import io.rivulet.engine.NoLeakedThreads;
import io.rivulet.engine.NoOpenJournals;
import io.rivulet.engine.Rivulet;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.Trigger;
import io.rivulet.engine.sink.CollectingSink;
import io.rivulet.engine.sink.Sinks;
import io.rivulet.journal.Journal;
import io.rivulet.journal.JournalOptions;
import io.rivulet.journal.JournalReader;
import io.rivulet.journal.StartPosition;
import io.rivulet.journal.codec.Codecs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The journal issue's acceptance: a journaled socket source query in a child JVM is killed with
 * SIGKILL while records it journaled are not yet committed; the restarted query re-reads exactly the
 * journaled records after its recorded restart point, never one before it, then goes on with new
 * input.
 */
@ExtendWith({NoLeakedThreads.class, NoOpenJournals.class})
@Timeout(120)
class JournaledSourceKillTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void shouldReReadFromTheRecordedOffsetAfterTheQueryIsKilled() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout((int) WAIT.toMillis());
            Process child = startChild(server.getLocalPort());
            try (Socket connection = server.accept()) {
                send(connection, lines(0, 200));
                awaitRestartPointAtLeast(199);
                send(connection, lines(200, 400));
                // Kill once part of the second burst is journaled: its commit is (most likely) still pending.
                Conditions.await("second burst journaled", WAIT, () -> !journaledAfterRestartPoint().isEmpty());
            } finally {
                child.destroyForcibly();
                child.waitFor();
            }
            int restartIndex = restartIndex();
            List<String> uncommitted = journaledAfterRestartPoint();
            assertThat(restartIndex).isGreaterThanOrEqualTo(199);

            try (Rivulet rivulet = Rivulet.create()) {
                CollectingSink<String> sink = Sinks.collecting();
                StreamingQuery query = rivulet.readStream(Sources.journaled(Sources.socket("127.0.0.1", server.getLocalPort()),
                        JournalOptions.of(dir), Codecs.strings()))
                    .writeStream(sink).trigger(Trigger.continuous(5)).start();
                try (Socket connection = server.accept()) {
                    send(connection, List.of("n0", "n1", "n2"));
                    List<String> received = sink.awaitReceived(uncommitted.size() + 3, WAIT);
                    // First the journaled records after the restart point, exactly; then the new input.
                    List<String> expected = new ArrayList<>(uncommitted);
                    expected.addAll(List.of("n0", "n1", "n2"));
                    assertThat(received).containsExactlyElementsOf(expected);
                    assertThat(received).doesNotContain("r" + restartIndex);
                    if (!uncommitted.isEmpty()) {
                        assertThat(uncommitted.get(0)).isEqualTo("r" + (restartIndex + 1));
                    }
                }
                query.stop();
            }
        }
    }

    private Process startChild(int port) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (argument.startsWith("--add-") || argument.startsWith("-D") || argument.startsWith("--sun-misc")
                || argument.startsWith("--enable-native-access")) {
                command.add(argument);
            }
        }
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(JournaledSocketQueryMain.class.getName());
        command.add(dir.toString());
        command.add(Integer.toString(port));
        return new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    private Path partitionDir() {
        return dir.resolve("partition-0");
    }

    /** The index of the record at the restart point, or -1. */
    private int restartIndex() {
        if (!Files.isDirectory(partitionDir())) {
            return -1;
        }
        try (Journal journal = Journal.open(JournalOptions.of(partitionDir()))) {
            long committed = journal.committedOffset(JournaledSource.RESTART_POINT);
            if (committed == Journal.NO_OFFSET) {
                return -1;
            }
            List<String> record = new ArrayList<>();
            journal.reader(Codecs.strings(), StartPosition.at(committed)).poll((r, o) -> record.add(r), 1);
            return Integer.parseInt(record.get(0).substring(1));
        }
    }

    private List<String> journaledAfterRestartPoint() {
        try (Journal journal = Journal.open(JournalOptions.of(partitionDir()))) {
            long committed = journal.committedOffset(JournaledSource.RESTART_POINT);
            JournalReader<String> reader = journal.reader(Codecs.strings(),
                committed == Journal.NO_OFFSET ? StartPosition.earliest() : StartPosition.after(committed));
            List<String> records = new ArrayList<>();
            reader.pollAvailable((r, o) -> records.add(r));
            return records;
        }
    }

    private void awaitRestartPointAtLeast(int index) throws InterruptedException {
        Conditions.await("the child's restart point reaches r" + index, WAIT, () -> restartIndex() >= index);
    }

    private static void send(Socket connection, List<String> lines) throws Exception {
        OutputStream out = connection.getOutputStream();
        out.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static List<String> lines(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "r" + i).toList();
    }
}
