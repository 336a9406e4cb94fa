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
import io.rivulet.operators.OutputMode;
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
        reader.pollAvailable((r, o) -> records.add(r));
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
    void shouldMakeRecordsVisibleToATailingReaderAsSoonAsTheyAreWrittenWhenAtLeastOnce() throws Exception {
        MemoryStream<String> input = Sources.memoryStream("words");
        try (Rivulet rivulet = Rivulet.create();
             Journal tail = Journal.open(JournalOptions.of(dir))) {
            JournalReader<String> reader = tail.reader(Codecs.strings(), StartPosition.earliest());
            StreamingQuery query = rivulet.readStream(input)
                .writeStream(Sinks.journal(JournalOptions.of(dir), Codecs.strings()).delivery(Delivery.AT_LEAST_ONCE))
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
                .outputMode(OutputMode.UPDATE)
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

    @Test
    void shouldShowAnEpochsRowsOnlyWhenItCommits() throws Exception {
        JournalSink<String> sink = Sinks.journal(JournalOptions.of(dir), Codecs.strings());
        assertThat(sink.delivery()).isEqualTo(Delivery.EXACTLY_ONCE);
        sink.open("q", 1);
        try (Journal journal = Journal.open(JournalOptions.of(dir))) {
            SinkWriter<String> writer = sink.createWriter(0);
            JournalReader<String> reader = journal.reader(Codecs.strings(), StartPosition.earliest());
            writer.write("a");
            writer.write("b");
            writer.endEpoch(0);
            writer.write("c");
            assertThat(readAll(reader)).as("epoch 0 ended but not committed").isEmpty();
            sink.commit(0);
            assertThat(readAll(reader)).containsExactly("a", "b");
            writer.endEpoch(1);
            sink.commit(1);
            assertThat(readAll(reader)).containsExactly("c");
            writer.close();
        } finally {
            sink.close();
        }
    }

    @Test
    void shouldCommitRecordsOfALaterEpochAfterEmptyEpochsWithoutMarkers() throws Exception {
        JournalSink<String> sink = Sinks.journal(JournalOptions.of(dir), Codecs.strings());
        sink.open("q", 2);
        try (Journal journal = Journal.open(JournalOptions.of(dir))) {
            SinkWriter<String> w0 = sink.createWriter(0);
            SinkWriter<String> w1 = sink.createWriter(1);
            JournalReader<String> reader = journal.reader(Codecs.strings(), StartPosition.earliest());
            w0.write("a");
            w0.endEpoch(0);
            w0.write("early-e1");   // epoch 1, before epoch 0 commits
            w1.endEpoch(0);
            sink.commit(0);
            assertThat(readAll(reader)).containsExactly("a");
            for (long epoch = 1; epoch <= 3; epoch++) {
                w0.endEpoch(epoch);
                w1.endEpoch(epoch);
                sink.commit(epoch);
            }
            assertThat(readAll(reader)).containsExactly("early-e1");
            w1.write("b");
            w0.endEpoch(4);
            w1.endEpoch(4);
            assertThat(readAll(reader)).isEmpty();
            sink.commit(4);
            assertThat(readAll(reader)).containsExactly("b");
            w0.close();
            w1.close();
        } finally {
            sink.close();
        }
    }

    @Test
    void shouldShowNothingOfARunThatCrashedBeforeItsFirstCommit() throws Exception {
        JournalSink<String> sink = Sinks.journal(JournalOptions.of(dir), Codecs.strings());
        sink.open("q", 1);
        SinkWriter<String> writer = sink.createWriter(0);
        writer.write("lost");
        writer.endEpoch(0);
        writer.close();
        sink.close();   // the crash: no commit
        JournalSink<String> restarted = Sinks.journal(JournalOptions.of(dir), Codecs.strings());
        restarted.open("q", 1);     // no checkpoint to restore: starts over
        SinkWriter<String> again = restarted.createWriter(0);
        again.write("fresh");
        again.endEpoch(0);
        restarted.commit(0);
        again.close();
        restarted.close();
        try (Journal journal = Journal.open(JournalOptions.of(dir))) {
            assertThat(readAll(journal.reader(Codecs.strings(), StartPosition.earliest()))).containsExactly("fresh");
        }
    }

    @Test
    void shouldCommitCoveredEpochsOnceAndDropTheRestWhenRecoveringWithTwoWriters() throws Exception {
        JournalSink<String> sink = Sinks.journal(JournalOptions.of(dir), Codecs.strings());
        sink.open("q", 2);
        SinkWriter<String> w0 = sink.createWriter(0);
        SinkWriter<String> w1 = sink.createWriter(1);
        w0.write("w0-e0");
        w1.write("w1-e0");
        w0.endEpoch(0);
        w1.endEpoch(0);
        sink.commit(0);
        w0.write("w0-e1");
        w1.write("w1-e1");
        w0.endEpoch(1);
        w1.endEpoch(1);
        // checkpoint 1 is durable; the process dies before the sink commits epoch 1, mid-epoch 2
        w0.write("w0-e2-partial");
        w0.close();
        w1.close();
        sink.close();

        JournalSink<String> restarted = Sinks.journal(JournalOptions.of(dir), Codecs.strings());
        restarted.open("q", 2);
        restarted.recover(1, 0);
        restarted.commit(1);    // a re-commit of an epoch the recovery committed appends nothing
        SinkWriter<String> r0 = restarted.createWriter(0);
        SinkWriter<String> r1 = restarted.createWriter(1);
        r1.write("w1-e2");
        r0.write("w0-e2");
        r0.endEpoch(2);
        r1.endEpoch(2);
        restarted.commit(2);
        r0.close();
        r1.close();
        restarted.close();
        try (Journal journal = Journal.open(JournalOptions.of(dir))) {
            assertThat(readAll(journal.reader(Codecs.strings(), StartPosition.earliest())))
                .containsExactly("w0-e0", "w1-e0", "w0-e1", "w1-e1", "w1-e2", "w0-e2");
        }
    }

    @Test
    void shouldNotShowAnEpochTwiceWhenTheRecoveryFollowsItsCommit() throws Exception {
        JournalSink<String> sink = Sinks.journal(JournalOptions.of(dir), Codecs.strings());
        sink.open("q", 1);
        SinkWriter<String> writer = sink.createWriter(0);
        writer.write("e0");
        writer.endEpoch(0);
        sink.commit(0);     // the crash comes after this commit, before the commit log records it
        writer.close();
        sink.close();
        JournalSink<String> restarted = Sinks.journal(JournalOptions.of(dir), Codecs.strings());
        restarted.open("q", 1);
        restarted.recover(0, -1);
        restarted.commit(0);
        SinkWriter<String> again = restarted.createWriter(0);
        again.write("e1");
        again.endEpoch(1);
        restarted.commit(1);
        again.close();
        restarted.close();
        try (Journal journal = Journal.open(JournalOptions.of(dir))) {
            assertThat(readAll(journal.reader(Codecs.strings(), StartPosition.earliest()))).containsExactly("e0", "e1");
        }
    }

    @SuppressWarnings("unused")
    private static KeyValue<String, Long> unused() {
        return null;
    }
}
