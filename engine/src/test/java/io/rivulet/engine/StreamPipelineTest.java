package io.rivulet.engine;

import io.rivulet.engine.sink.CollectingSink;
import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.source.Sources;
import io.rivulet.operators.KeyValue;
import io.rivulet.operators.Output;
import io.rivulet.operators.OutputMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(NoLeakedThreads.class)
class StreamPipelineTest {
    @Test
    void shouldRunFusedStatelessChainInSourceOrder() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            CollectingSink<String> sink = Sinks.collecting();
            StreamingQuery query = rivulet.readStream(Sources.of("a b", "c", "", "d e f"))
                .flatMap((String line, Output<String> out) -> {
                    for (String word : line.split(" ")) {
                        if (!word.isEmpty()) {
                            out.emit(word);
                        }
                    }
                })
                .filter(word -> !word.equals("c"))
                .map(String::toUpperCase)
                .writeStream(sink)
                .start();
            query.awaitTermination();
            assertThat(sink.received()).containsExactly("A", "B", "D", "E", "F");
            assertThat(query.isActive()).isFalse();
            assertThat(sink.isClosed()).isTrue();
            assertThat(rivulet.streams().active()).isEmpty();
        }
    }

    @Test
    void shouldCountWordsPerKeyAcrossPartitions() throws Exception {
        List<String> words = IntStream.range(0, 10_000).mapToObj(i -> "w" + (i % 37)).toList();
        try (Rivulet rivulet = Rivulet.create()) {
            CollectingSink<KeyValue<String, Long>> sink = Sinks.collecting();
            StreamingQuery query = rivulet.readStream(Sources.fromIterable(words))
                .keyBy(w -> w, 2)
                .count()
                .writeStream(sink)
                .outputMode(OutputMode.UPDATE)
                .start();
            query.awaitTermination();
            Map<String, Long> last = new HashMap<>();
            for (KeyValue<String, Long> kv : sink.received()) {
                Long previous = last.put(kv.key(), kv.value());
                assertThat(kv.value()).isEqualTo(previous == null ? 1L : previous + 1);
            }
            assertThat(last).hasSize(37);
            assertThat(last.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(10_000L);
            assertThat(query.lastProgress()).isNotNull();
            assertThat(query.lastProgress().totalInputRows()).isEqualTo(10_000L);
            assertThat(query.lastProgress().totalOutputRows()).isEqualTo(10_000L);
        }
    }
}
