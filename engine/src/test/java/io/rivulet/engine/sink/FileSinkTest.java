package io.rivulet.engine.sink;

import io.rivulet.operators.OutputMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileSinkTest {
    record Trade(String symbol, long qty, double price) {
    }

    record Nested(String id, List<Integer> values, Map<String, Object> tags, Instant at) {
    }

    @TempDir
    Path dir;

    @Test
    void shouldShowAnEpochsFilesOnlyWhenItCommits() throws Exception {
        FileSink<Trade> sink = Sinks.files(dir);
        sink.open("q", 2, OutputMode.APPEND);
        SinkWriter<Trade> w0 = sink.createWriter(0);
        SinkWriter<Trade> w1 = sink.createWriter(1);
        w0.write(new Trade("AAPL", 10, 1.5));
        w1.write(new Trade("MSFT", 20, 2.5));
        w0.endEpoch(0);
        w1.endEpoch(0);
        assertThat(FileSink.committedLines(dir)).isEmpty();
        assertThat(visibleParts()).isEmpty();

        sink.commit(0);
        assertThat(FileSink.committedLines(dir)).containsExactly(
            "{\"symbol\":\"AAPL\",\"qty\":10,\"price\":1.5}", "{\"symbol\":\"MSFT\",\"qty\":20,\"price\":2.5}");
        w0.endEpoch(1);
        sink.commit(1);
        assertThat(FileSink.committedFiles(dir)).hasSize(2);
        sink.close();
    }

    @Test
    void shouldCommitCheckpointedEpochsAndDropLaterOnesWhenRecovering() throws Exception {
        FileSink<String> crashed = Sinks.<String>files(dir).text();
        crashed.open("q", 1, OutputMode.APPEND);
        SinkWriter<String> writer = crashed.createWriter(0);
        writer.write("epoch 0");
        writer.endEpoch(0);
        crashed.commit(0);
        writer.write("epoch 1");
        writer.endEpoch(1);
        writer.write("epoch 2, never ended");
        // The process dies here: epoch 1 was checkpointed but not committed; epoch 2 was under way.

        FileSink<String> restarted = Sinks.<String>files(dir).text();
        restarted.open("q", 1, OutputMode.APPEND);
        restarted.recover(1, 0);
        assertThat(FileSink.committedLines(dir)).containsExactly("epoch 0", "epoch 1");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(name -> name.endsWith(".pending"));
        }
        // Recovering again (a second failure before any new commit) changes nothing.
        restarted.recover(1, 0);
        assertThat(FileSink.committedLines(dir)).containsExactly("epoch 0", "epoch 1");
    }

    @Test
    void shouldNotCommitTheFileOfARestartedRunThatDiedInItsFirstEpoch() throws Exception {
        FileSink<String> first = Sinks.<String>files(dir).text();
        first.open("q", 1, OutputMode.APPEND);
        SinkWriter<String> writer = first.createWriter(0);
        for (long epoch = 0; epoch <= 5; epoch++) {
            writer.write("epoch " + epoch);
            writer.endEpoch(epoch);
            first.prepareCommit(epoch);
            first.commit(epoch);
        }
        // Restarted from the checkpoint of epoch 5, the run dies in its first epoch (6), a record written.
        FileSink<String> restarted = Sinks.<String>files(dir).text();
        restarted.open("q", 1, OutputMode.APPEND);
        restarted.recover(5, 5);
        SinkWriter<String> dying = restarted.createWriter(0);
        dying.write("epoch 6, never ended");
        dying.close();
        // The next run restarts from the same checkpoint: epoch 6 is not covered, its file must go.
        FileSink<String> again = Sinks.<String>files(dir).text();
        again.open("q", 1, OutputMode.APPEND);
        again.recover(5, 5);
        assertThat(FileSink.committedLines(dir)).containsExactly("epoch 0", "epoch 1", "epoch 2", "epoch 3", "epoch 4",
            "epoch 5");
    }

    @Test
    void shouldNameAFileByTheEpochItsRecordsEndedIn() throws Exception {
        FileSink<String> sink = Sinks.<String>files(dir).text();
        sink.open("q", 1, OutputMode.APPEND);
        SinkWriter<String> writer = sink.createWriter(0);
        // A restored run's first epoch is not 0: the writer learns the id when the epoch ends.
        writer.write("late epoch");
        writer.endEpoch(41);
        sink.commit(41);
        assertThat(FileSink.committedFiles(dir)).singleElement()
            .satisfies(file -> assertThat(file.getFileName().toString()).startsWith("part-00000000000000000041-00000-"));
    }

    @Test
    void shouldQuoteCsvFieldsAsRfc4180Says() throws Exception {
        FileSink<Trade> sink = Sinks.<Trade>files(dir).csv();
        sink.open("q", 1, OutputMode.APPEND);
        SinkWriter<Trade> writer = sink.createWriter(0);
        writer.write(new Trade("A,B", 1, 0.5));
        writer.write(new Trade("say \"hi\"", 2, 1.0));
        writer.endEpoch(0);
        sink.commit(0);
        assertThat(FileSink.committedLines(dir)).containsExactly("\"A,B\",1,0.5", "\"say \"\"hi\"\"\",2,1.0");
    }

    @Test
    void shouldWriteNestedValuesAsJson() {
        String line = RowText.json(new Nested("x\"1", List.of(1, 2), Map.of("k", true), Instant.ofEpochSecond(0)));
        assertThat(line).isEqualTo("{\"id\":\"x\\\"1\",\"values\":[1,2],\"tags\":{\"k\":true},\"at\":\"1970-01-01T00:00:00Z\"}");
        assertThat(RowText.json(Double.NaN)).isEqualTo("\"NaN\"");
        assertThat(RowText.json(new long[] {1, 2})).isEqualTo("[1,2]");
    }

    @Test
    void shouldRefuseOutputModesThatRewriteRows() {
        FileSink<String> sink = Sinks.files(dir);
        assertThatThrownBy(() -> sink.open("q", 1, OutputMode.COMPLETE))
            .hasMessageContaining("the file sink supports only append output mode");
        assertThat(sink.requiresCheckpointLocation()).isTrue();
        assertThat(sink.delivery()).isEqualTo(Delivery.EXACTLY_ONCE);
    }

    private List<String> visibleParts() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(name -> name.startsWith("part-")).toList();
        }
    }
}
