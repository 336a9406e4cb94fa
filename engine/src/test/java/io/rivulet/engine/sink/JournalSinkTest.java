package io.rivulet.engine.sink;

import io.rivulet.engine.Conditions;
import io.rivulet.engine.NoLeakedThreads;
import io.rivulet.engine.NoOpenJournals;
import io.rivulet.engine.Rivulet;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.Trigger;
import io.rivulet.engine.source.MemoryStream;
import io.rivulet.engine.source.Sources;
import io.rivulet.journal.Journal;
import io.rivulet.journal.JournalOptions;
import io.rivulet.journal.JournalReader;
import io.rivulet.journal.StartPosition;
import io.rivulet.journal.codec.Codecs;
import io.rivulet.operators.KeyValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith({NoLeakedThreads.class, NoOpenJournals.class})
@Timeout(60)
class JournalSinkTest {
    @TempDir
    Path dir;

    record Count(String word, long count) { }

    private static <T> List<T> readAll(JournalReader<T> reader) {
        List<T> records = new ArrayList<>();
        while (reader.poll((r, o) -> records.add(r), 1000) > 0) {
            // to the end
        }
        return records;
    }

    @Test
    void shouldAppendEveryRecordInOrderAndEndTheJournalWhenAskedTo() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(Sources.generator(10_000, i -> i))
                .map(i -> i * 2)
                .writeStream(Sinks.journal(JournalOptions.of(dir), Codecs.longs()).syncOnEpoch(true).endJournalOnClose(true))
                .trigger(Trigger.continuous(10))
                .start();
            query.awaitTermination();
        }
        try (Journal journal = Journal.open(JournalOptions.of(dir))) {
            JournalReader<Long> reader = journal.reader(Codecs.longs(), StartPosition.earliest());
            assertThat(readAll(reader)).containsExactlyElementsOf(LongStream.range(0, 10_000).map(i -> i * 2).boxed().toList());
            assertThat(reader.isEnded()).isTrue();
        }
    }

    @Test
    void shouldMakeRecordsVisibleToATailingReaderAsSoonAsTheyAreWritten() throws Exception {
        MemoryStream<String> input = Sources.memoryStream("words");
        try (Rivulet rivulet = Rivulet.create();
             Journal tail = Journal.open(JournalOptions.of(dir))) {
            JournalReader<String> reader = tail.reader(Codecs.strings(), StartPosition.earliest());
            StreamingQuery query = rivulet.readStream(input)
                .writeStream(Sinks.journal(JournalOptions.of(dir), Codecs.strings()))
                .trigger(Trigger.continuous(1000))
                .start();
            input.addData("a", "b", "c");
            List<String> seen = new ArrayList<>();
            Conditions.await("the tailing reader sees a, b, c", Duration.ofSeconds(10), () -> {
                reader.poll((r, o) -> seen.add(r), 10);
                return seen.size() >= 3;
            });
            assertThat(seen).containsExactly("a", "b", "c");
            assertThat(query.isActive()).as("seen before any commit of the 1 s epoch").isTrue();
            query.stop();
        }
    }

    @Test
    void shouldInterleaveSeveralWritersKeepingEachWritersOrder() throws Exception {
        List<String> words = LongStream.range(0, 5_000).mapToObj(i -> "w" + (i % 13)).toList();
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(Sources.fromIterable(words))
                .keyBy(w -> w, 2)
                .count()
                .map(kv -> new Count(kv.key(), kv.value()))
                .writeStream(Sinks.journal(JournalOptions.of(dir), Codecs.record(Count.class)))
                .outputMode(io.rivulet.operators.OutputMode.UPDATE)
                .start();
            query.awaitTermination();
        }
        try (Journal journal = Journal.open(JournalOptions.of(dir))) {
            List<Count> counts = readAll(journal.reader(Codecs.record(Count.class), StartPosition.earliest()));
            assertThat(counts).hasSize(5_000);
            Map<String, Long> last = new HashMap<>();
            for (Count c : counts) {
                Long previous = last.put(c.word(), c.count());
                assertThat(c.count()).as("per-key order kept").isEqualTo(previous == null ? 1 : previous + 1);
            }
            assertThat(last.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(5_000);
        }
    }

    @SuppressWarnings("unused")
    private static KeyValue<String, Long> unused() {
        return null;
    }
}
