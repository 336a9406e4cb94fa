package io.rivulet.engine;

import io.rivulet.engine.sink.MemorySink;
import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.source.file.FileSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The file source in running queries with a checkpoint location: across a stop and a start, and
 * across a failure in the middle of a file, every line reaches the sink exactly once.
 */
@ExtendWith(NoLeakedThreads.class)
class FileSourceQueryTest {
    @TempDir
    Path root;

    private static volatile boolean poisonArmed;

    private Path in() {
        return root.resolve("in");
    }

    /** Writes file {@code name} of {@code lines} lines {@code name-0 ...}, atomically (a hidden temp file, renamed). */
    private List<String> writeFile(String name, int lines) throws Exception {
        Files.createDirectories(in());
        List<String> content = IntStream.range(0, lines).mapToObj(i -> name + "-" + i).toList();
        Path tmp = in().resolve("." + name + ".tmp");
        Files.writeString(tmp, content.stream().collect(Collectors.joining("\n", "", "\n")));
        Files.move(tmp, in().resolve(name + ".txt"));
        return content;
    }

    private FileSource<String> source() {
        return FileSource.text(in()).fileSettleTime(Duration.ZERO).listingInterval(Duration.ofMillis(5));
    }

    @Test
    void shouldReadEachFileExactlyOnceAcrossAStopAndAStartInBatchesOfWholeFiles() throws Exception {
        MemorySink<String> sink = Sinks.memory("lines");
        List<String> expected = new ArrayList<>();
        expected.addAll(writeFile("f0", 3));
        expected.addAll(writeFile("f1", 3));
        expected.addAll(writeFile("f2", 3));
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(source().maxFilesPerTrigger(1))
                .writeStream(sink).queryName("files").trigger(Trigger.availableNow())
                .checkpointLocation(root.resolve("checkpoint")).start();
            query.awaitTermination();
            assertThat(query.recentProgress()).filteredOn(p -> p.numInputRows() > 0)
                .extracting(QueryProgress::numInputRows).containsExactly(3L, 3L, 3L);
        }
        expected.addAll(writeFile("f3", 2));
        expected.addAll(writeFile("f4", 2));
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(source().maxFilesPerTrigger(1))
                .writeStream(sink).queryName("files").trigger(Trigger.availableNow())
                .checkpointLocation(root.resolve("checkpoint")).start();
            query.awaitTermination();
        }
        assertThat(sink.rows()).containsExactlyInAnyOrderElementsOf(expected).doesNotHaveDuplicates();
    }

    @Test
    void shouldReplayFromTheCheckpointedLineAfterAFailureInTheMiddleOfAFile() throws Exception {
        MemorySink<String> sink = Sinks.memory("lines");
        List<String> expected = new ArrayList<>();
        expected.addAll(writeFile("a", 2_000));
        expected.addAll(writeFile("b", 2_000));
        poisonArmed = true;
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(source())
                .map(line -> {
                    if (poisonArmed && line.equals("b-1500")) {
                        poisonArmed = false;
                        throw new IllegalStateException("poison");
                    }
                    return line;
                })
                .writeStream(sink).queryName("files").trigger(Trigger.continuous(Duration.ofMillis(5)))
                .checkpointLocation(root.resolve("checkpoint"))
                .restartStrategy(RestartStrategy.fixedDelay(2, Duration.ofMillis(5)))
                .start();
            query.processAllAvailable();
            assertThat(query.exception()).isEmpty();
            query.stop();
        }
        assertThat(poisonArmed).as("the poison line was reached").isFalse();
        assertThat(sink.rows()).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
    }
}
