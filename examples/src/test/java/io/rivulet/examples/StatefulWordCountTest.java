package io.rivulet.examples;

import io.rivulet.engine.DStream;
import io.rivulet.engine.Rivulet;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.sink.MemorySink;
import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.source.MemoryStream;
import io.rivulet.engine.source.Sources;
import io.rivulet.operators.KeyValue;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** The stateful word count example: both DStream versions count across batches; the main runs and stops by itself. */
class StatefulWordCountTest {
    /** Two batches of lines; returns what the query emitted in each. */
    private static List<List<KeyValue<String, Integer>>> twoBatches(
        Function<DStream<String>, DStream<KeyValue<String, Integer>>> query) throws Exception {
        MemoryStream<String> lines = Sources.memoryStream("lines");
        MemorySink<KeyValue<String, Integer>> sink = Sinks.memory("counts");
        try (Rivulet rivulet = Rivulet.create()) {
            lines.addData("a b a");
            StreamingQuery running = query.apply(rivulet.readStream(lines).batches(Duration.ofHours(1)))
                .writeStream(sink).start();
            running.processAllAvailable();
            int first = sink.size();
            lines.addData("b c");
            running.processAllAvailable();
            running.stop();
            List<KeyValue<String, Integer>> rows = sink.rows();
            return List.of(rows.subList(0, first), rows.subList(first, rows.size()));
        }
    }

    private static Map<String, Integer> asMap(List<KeyValue<String, Integer>> rows) {
        Map<String, Integer> map = new TreeMap<>();
        rows.forEach(kv -> map.put(kv.key(), kv.value()));
        return map;
    }

    @Test
    void shouldPrintEveryWordsRunningCountEachBatchWithUpdateStateByKey() throws Exception {
        List<List<KeyValue<String, Integer>>> batches = twoBatches(StatefulWordCount::withUpdateStateByKey);
        assertThat(asMap(batches.get(0))).isEqualTo(Map.of("a", 2, "b", 1));
        assertThat(asMap(batches.get(1))).as("a is still there, with no new value").isEqualTo(Map.of("a", 2, "b", 2, "c", 1));
    }

    @Test
    void shouldEmitTheRunningCountOfEachOccurrenceWithMapWithState() throws Exception {
        List<List<KeyValue<String, Integer>>> batches = twoBatches(StatefulWordCount::withMapWithState);
        assertThat(batches.get(0)).containsExactlyInAnyOrder(new KeyValue<>("a", 1), new KeyValue<>("a", 2),
            new KeyValue<>("b", 1));
        assertThat(batches.get(1)).as("only the words of the batch").containsExactlyInAnyOrder(new KeyValue<>("b", 2),
            new KeyValue<>("c", 1));
    }

    @Test
    void shouldRunTheMainOnTheGeneratorAndStopByItself() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            StatefulWordCountMain.main(new String[] {"mapWithState", "3"});
        } finally {
            System.setOut(original);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).contains("Batch: ").containsPattern("\\|\\s*key\\|value\\|");
    }

    @Test
    void shouldListTheExampleInTheReadmeAndTheLauncher() throws Exception {
        assertThat(Files.readString(Path.of("../README.md"))).contains("`StatefulWordCount [updateStateByKey\\|mapWithState]");
        assertThat(Files.readString(Path.of("../bin/example"))).contains("StatefulWordCount");
    }
}
