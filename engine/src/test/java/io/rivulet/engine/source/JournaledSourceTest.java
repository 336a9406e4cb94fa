package io.rivulet.engine.source;

import io.rivulet.engine.Conditions;
import io.rivulet.engine.NoLeakedThreads;
import io.rivulet.engine.NoOpenJournals;
import io.rivulet.engine.Rivulet;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.StreamingQueryException;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A journaled source makes a non-replayable source replayable: a query that dies without committing
 * its last records re-reads, after a restart, exactly the journaled records after its last
 * committed offset, then goes on with new input.
 */
@ExtendWith({NoLeakedThreads.class, NoOpenJournals.class})
@Timeout(90)
class JournaledSourceTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private Path partitionDir() {
        return dir.resolve("partition-0");
    }

    /** The record at the restart point, or null when nothing is committed yet. */
    private String committedRecord() {
        if (!Files.isDirectory(partitionDir())) {
            return null;
        }
        try (Journal journal = Journal.open(JournalOptions.of(partitionDir()))) {
            long committed = journal.committedOffset(JournaledSource.RESTART_POINT);
            if (committed == Journal.NO_OFFSET) {
                return null;
            }
            List<String> record = new ArrayList<>();
            journal.reader(Codecs.strings(), StartPosition.at(committed)).poll((r, o) -> record.add(r), 1);
            return record.get(0);
        }
    }

    /** Every journaled record after the restart point, in order. */
    private List<String> journaledAfterRestartPoint() {
        try (Journal journal = Journal.open(JournalOptions.of(partitionDir()))) {
            long committed = journal.committedOffset(JournaledSource.RESTART_POINT);
            StartPosition start = committed == Journal.NO_OFFSET ? StartPosition.earliest() : StartPosition.after(committed);
            JournalReader<String> reader = journal.reader(Codecs.strings(), start);
            List<String> records = new ArrayList<>();
            while (reader.poll((r, o) -> records.add(r), 1000) > 0) {
                // to the end
            }
            return records;
        }
    }

    private void awaitCommitted(String record) throws InterruptedException {
        Conditions.await("restart point at " + record, WAIT, () -> record.equals(committedRecord()));
    }

    private static void send(Socket connection, List<String> lines) throws Exception {
        OutputStream out = connection.getOutputStream();
        out.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static List<String> lines(String prefix, int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> prefix + i).toList();
    }

    @Test
    void shouldReReadFromTheRestartPointAfterAQueryDiesWithoutCommitting() throws Exception {
        AtomicBoolean crashArmed = new AtomicBoolean(true);
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             Rivulet rivulet = Rivulet.create()) {
            server.setSoTimeout((int) WAIT.toMillis());
            JournaledSource<String> source = Sources.journaled(
                Sources.socket("127.0.0.1", server.getLocalPort()), JournalOptions.of(dir), Codecs.strings());

            // run 1: 50 records committed, then 10 more journaled and a crash before their epoch commits
            CollectingSink<String> first = Sinks.collecting();
            StreamingQuery query = rivulet.readStream(source)
                .map(line -> {
                    if (line.equals("boom") && crashArmed.get()) {
                        throw new IllegalStateException("simulated crash");
                    }
                    return line;
                })
                .writeStream(first).trigger(Trigger.continuous(5)).start();
            try (Socket connection = server.accept()) {
                send(connection, lines("r", 0, 50));
                first.awaitReceived(50, WAIT);
                awaitCommitted("r49");
                List<String> crashing = new ArrayList<>(lines("r", 50, 60));
                crashing.add("boom");
                send(connection, crashing);
                assertThatThrownBy(query::awaitTermination).isInstanceOf(StreamingQueryException.class)
                    .hasRootCauseMessage("simulated crash");
            }
            String restartPoint = committedRecord();
            List<String> uncommitted = journaledAfterRestartPoint();
            int restartIndex = Integer.parseInt(restartPoint.substring(1));
            assertThat(restartIndex).as("run 1 committed at least through r49").isGreaterThanOrEqualTo(49);
            assertThat(uncommitted).as("journaled but not committed: re-read after the restart")
                .isNotEmpty()
                .startsWith(restartIndex < 59 ? "r" + (restartIndex + 1) : "boom")
                .endsWith("boom");

            // run 2: restart on the same journal; new input arrives on a new connection
            crashArmed.set(false);
            CollectingSink<String> second = Sinks.collecting();
            StreamingQuery restarted = rivulet.readStream(source).writeStream(second).trigger(Trigger.continuous(5)).start();
            try (Socket connection = server.accept()) {
                send(connection, lines("n", 0, 10));
                List<String> received = second.awaitReceived(uncommitted.size() + 10, WAIT);
                List<String> expected = new ArrayList<>(uncommitted);
                expected.addAll(lines("n", 0, 10));
                assertThat(received).as("replay after the restart point, then new input, each once")
                    .containsExactlyElementsOf(expected);
                assertThat(received).as("nothing at or before the restart point is read again")
                    .doesNotContainAnyElementsOf(lines("r", 0, restartIndex + 1));
                awaitCommitted("n9");
                restarted.stop();
            }
        }
    }

    @ParameterizedTest(name = "readBack={0}")
    @ValueSource(booleans = {true, false})
    void shouldReplayTheUncommittedTailInBothIngestModes(boolean readBack) throws Exception {
        AtomicBoolean crashArmed = new AtomicBoolean(true);
        try (Rivulet rivulet = Rivulet.create()) {
            MemoryStream<String> input = Sources.memoryStream("input");
            JournaledSource<String> source = Sources.journaled(input, JournalOptions.of(dir), Codecs.strings()).readBack(readBack);
            CollectingSink<String> first = Sinks.collecting();
            StreamingQuery query = rivulet.readStream(source)
                .map(s -> {
                    if (s.equals("boom") && crashArmed.get()) {
                        throw new IllegalStateException("simulated crash");
                    }
                    return s;
                })
                .writeStream(first).trigger(Trigger.continuous(5)).start();
            input.addData(lines("a", 0, 20));
            first.awaitReceived(20, WAIT);
            awaitCommitted("a19");
            input.addData("b0", "b1", "boom");
            assertThatThrownBy(query::awaitTermination).isInstanceOf(StreamingQueryException.class);
            List<String> uncommitted = journaledAfterRestartPoint();
            assertThat(uncommitted).endsWith("boom").doesNotContainAnyElementsOf(lines("a", 0, 20));

            crashArmed.set(false);
            MemoryStream<String> more = Sources.memoryStream("more");
            JournaledSource<String> again = Sources.journaled(more, JournalOptions.of(dir), Codecs.strings()).readBack(readBack);
            CollectingSink<String> second = Sinks.collecting();
            StreamingQuery restarted = rivulet.readStream(again).writeStream(second).trigger(Trigger.continuous(5)).start();
            more.addData("c0", "c1");
            more.end();
            restarted.awaitTermination();
            List<String> expected = new ArrayList<>(uncommitted);
            expected.addAll(List.of("c0", "c1"));
            assertThat(second.received()).containsExactlyElementsOf(expected);
            assertThat(committedRecord()).as("the finished query committed its last record").isEqualTo("c1");
        }
    }

    @Test
    void shouldKeepOneJournalPerPartitionOfTheWrappedSource() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            CollectingSink<Long> sink = Sinks.collecting();
            Source<Long> generator = Sources.generator(1_000, i -> i).numPartitions(2);
            StreamingQuery query = rivulet.readStream(Sources.journaled(generator, JournalOptions.of(dir), Codecs.longs()))
                .writeStream(sink).start();
            query.awaitTermination();
            assertThat(sink.received()).hasSize(1_000);
        }
        long total = 0;
        for (int p = 0; p < 2; p++) {
            try (Journal journal = Journal.open(JournalOptions.of(dir.resolve("partition-" + p)))) {
                JournalReader<Long> reader = journal.reader(Codecs.longs(), StartPosition.earliest());
                long[] count = {0};
                while (reader.poll((r, o) -> count[0]++, 1000) > 0) {
                    // count
                }
                assertThat(count[0]).as("partition %d journaled its share", p).isPositive();
                assertThat(journal.committedOffset(JournaledSource.RESTART_POINT)).isEqualTo(journal.lastOffset());
                total += count[0];
            }
        }
        assertThat(total).isEqualTo(1_000);
    }
}
