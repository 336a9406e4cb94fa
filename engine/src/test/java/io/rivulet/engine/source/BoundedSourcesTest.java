package io.rivulet.engine.source;

import io.rivulet.engine.NoLeakedThreads;
import io.rivulet.engine.Rivulet;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.StreamingQueryException;
import io.rivulet.engine.sink.CollectingSink;
import io.rivulet.engine.sink.Sinks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The generator and iterable sources: bounded, read as fast as the query takes them. */
@ExtendWith(NoLeakedThreads.class)
class BoundedSourcesTest {
    @Test
    void shouldGenerateEachIndexBelowCountInExactlyOnePartition() throws Exception {
        GeneratorSource<Long> source = Sources.generator(1_000, i -> i).numPartitions(3);
        List<Long> all = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            RecordingOutput<Long> out = new RecordingOutput<>();
            SourceReader<Long> reader = source.open(new ManualSourceContext(p, 3, 0, 0));

            assertThat(out.drain(reader, 64)).isEqualTo(SourceReader.END_OF_INPUT);
            int partition = p;
            assertThat(out.records).containsExactlyElementsOf(LongStream.iterate(partition, i -> i < 1_000, i -> i + 3).boxed().toList());
            all.addAll(out.records);
        }
        assertThat(all).containsExactlyInAnyOrderElementsOf(LongStream.range(0, 1_000).boxed().toList());
    }

    @Test
    void shouldEndAtOnceWhenCountIsZero() throws Exception {
        SourceReader<Long> reader = Sources.generator(0, i -> i).open(ManualSourceContext.single());

        assertThat(reader.poll(new RecordingOutput<>(), 16)).isEqualTo(SourceReader.END_OF_INPUT);
    }

    @Test
    void shouldRejectANegativeCountAndNoPartitions() {
        assertThatThrownBy(() -> Sources.generator(-1, i -> i)).hasMessageContaining("generator count must be >= 0, got -1");
        assertThatThrownBy(() -> Sources.generator(1, i -> i).numPartitions(0))
            .hasMessageContaining("generator numPartitions must be >= 1, got 0");
    }

    @Test
    void shouldReadTheIterableFromTheStartForEachQuery() throws Exception {
        IterableSource<String> source = Sources.fromIterable(List.of("a", "b", "c"));
        try (Rivulet rivulet = Rivulet.create()) {
            for (int run = 0; run < 2; run++) {
                CollectingSink<String> sink = Sinks.collecting();
                StreamingQuery query = rivulet.readStream(source).writeStream(sink).start();
                query.awaitTermination();
                assertThat(sink.received()).containsExactly("a", "b", "c");
            }
        }
    }

    @Test
    void shouldNotSeeLaterChangesToTheArrayGivenToOf() throws Exception {
        String[] elements = {"x", "y"};
        IterableSource<String> source = Sources.of(elements);
        elements[0] = "changed";
        RecordingOutput<String> out = new RecordingOutput<>();

        out.drain(source.open(ManualSourceContext.single()), 16);

        assertThat(out.records).containsExactly("x", "y");
    }

    @Test
    void shouldFailTheQueryOnANullElement() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(Sources.fromIterable(Arrays.asList("a", null)))
                .writeStream(Sinks.collecting()).start();

            assertThatThrownBy(query::awaitTermination)
                .isInstanceOf(StreamingQueryException.class)
                .cause()
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("iterable source holds a null element");
        }
    }
}
