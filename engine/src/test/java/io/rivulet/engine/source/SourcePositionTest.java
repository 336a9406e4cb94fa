package io.rivulet.engine.source;

import io.rivulet.journal.Journal;
import io.rivulet.journal.JournalAppender;
import io.rivulet.journal.JournalOptions;
import io.rivulet.journal.StartPosition;
import io.rivulet.journal.codec.Codecs;
import io.rivulet.operators.state.SnapshotOutput;
import io.rivulet.engine.NoOpenJournals;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Each replayable source, read part-way, saves its position; a reader opened on that position emits
 * exactly the records that followed, no more, no fewer.
 */
@ExtendWith(NoOpenJournals.class)
class SourcePositionTest {
    @TempDir
    Path dir;

    @Test
    void shouldResumeTheRateSourceWithTheNextValueOnTheFirstRunsSchedule() throws Exception {
        RateSource source = Sources.rate().rowsPerSecond(1000).numPartitions(2);
        ManualSourceContext context = new ManualSourceContext(1, 2, 5_000_000_000L, 1_700_000_000_000L).withCheckpoints();
        SourceReader<RateRow> reader = source.open(context);
        RecordingOutput<RateRow> first = new RecordingOutput<>();
        context.advance(Duration.ofMillis(10));
        reader.poll(first, 1000);
        SnapshotOutput position = new SnapshotOutput();
        reader.writePosition(position);
        List<RateRow> expected = new ArrayList<>();
        context.advance(Duration.ofMillis(10));
        reader.poll(recordInto(expected), 1000);

        // Restarted a second later, on another monotonic clock: the next value, timestamps of the first run.
        ManualSourceContext later = new ManualSourceContext(1, 2, 77_000_000_000L, 1_700_000_001_020L).restoring(position);
        List<RateRow> replayed = new ArrayList<>();
        source.open(later).poll(recordInto(replayed), 1000);
        assertThat(first.records).extracting(RateRow::value).containsExactly(1L, 3L, 5L, 7L, 9L);
        assertThat(replayed.subList(0, expected.size())).isEqualTo(expected);
        assertThat(replayed).extracting(RateRow::value).allMatch(v -> v % 2 == 1);
    }

    @Test
    void shouldRefuseARatePositionOfAnotherPartitionCount() {
        RateSource source = Sources.rate().rowsPerSecond(1000).numPartitions(2);
        SourceReader<RateRow> reader = source.open(new ManualSourceContext(0, 2, 0, 1_700_000_000_000L).withCheckpoints());
        SnapshotOutput position = new SnapshotOutput();
        reader.writePosition(position);
        ManualSourceContext three = new ManualSourceContext(0, 3, 0, 1_700_000_000_000L).restoring(position);
        assertThatThrownBy(() -> source.open(three)).hasMessageContaining("had 2 partitions when the checkpoint was taken and has 3 now");
    }

    @Test
    void shouldResumeTheGeneratorAtTheNextIndex() throws Exception {
        GeneratorSource<Long> source = Sources.<Long>generator(20, i -> i * 10).numPartitions(2);
        ManualSourceContext context = new ManualSourceContext(0, 2, 0, 0).withCheckpoints();
        SourceReader<Long> reader = source.open(context);
        reader.poll(new RecordingOutput<>(), 3);
        SnapshotOutput position = new SnapshotOutput();
        reader.writePosition(position);
        RecordingOutput<Long> rest = new RecordingOutput<>();
        source.open(new ManualSourceContext(0, 2, 0, 0).restoring(position)).poll(rest, 100);
        assertThat(rest.records).containsExactly(60L, 80L, 100L, 120L, 140L, 160L, 180L);
    }

    @Test
    void shouldResumeAnIterableBySkippingWhatWasRead() throws Exception {
        IterableSource<String> source = Sources.fromIterable(List.of("a", "b", "c", "d"));
        SourceReader<String> reader = source.open(ManualSourceContext.single().withCheckpoints());
        reader.poll(new RecordingOutput<>(), 3);
        SnapshotOutput position = new SnapshotOutput();
        reader.writePosition(position);
        RecordingOutput<String> rest = new RecordingOutput<>();
        source.open(ManualSourceContext.single().restoring(position)).poll(rest, 10);
        assertThat(rest.records).containsExactly("d");

        SnapshotOutput beyond = new SnapshotOutput().writeByte(1).writeLong(9);
        assertThatThrownBy(() -> source.open(ManualSourceContext.single().restoring(beyond)))
            .hasMessageContaining("the iterable changed");
    }

    @Test
    void shouldReplayAMemoryStreamsUncommittedRecordsToTheNextReader() throws Exception {
        MemoryStream<Integer> stream = Sources.memoryStream("positions");
        stream.addData(1, 2, 3);
        SourceReader<Integer> reader = stream.open(ManualSourceContext.single().withCheckpoints());
        reader.poll(new RecordingOutput<>(), 10);
        reader.onEpochEnd(0);
        SnapshotOutput afterEpoch0 = new SnapshotOutput();
        reader.writePosition(afterEpoch0);
        stream.addData(4, 5);
        reader.poll(new RecordingOutput<>(), 1);
        reader.onEpochEnd(1);
        reader.onEpochCommitted(0);
        reader.close();

        // The query restarts from epoch 0's checkpoint: records 4 (read, not committed) and 5 (never read).
        SourceReader<Integer> restarted = stream.open(ManualSourceContext.single().restoring(afterEpoch0));
        RecordingOutput<Integer> rest = new RecordingOutput<>();
        restarted.poll(rest, 10);
        assertThat(rest.records).containsExactly(4, 5);
        restarted.close();
    }

    @Test
    void shouldReplayAMemoryStreamWholeWhenARunFailedBeforeItsFirstCheckpoint() throws Exception {
        MemoryStream<Integer> stream = Sources.memoryStream("no-checkpoint-yet");
        stream.addData(1, 2);
        SourceReader<Integer> failed = stream.open(ManualSourceContext.single().withCheckpoints());
        failed.poll(new RecordingOutput<>(), 10);
        failed.close();
        // No checkpoint to restore: the restart starts where no query committed, not after what the failed run read.
        SourceReader<Integer> restarted = stream.open(ManualSourceContext.single().withCheckpoints());
        RecordingOutput<Integer> replayed = new RecordingOutput<>();
        restarted.poll(replayed, 10);
        restarted.close();
        assertThat(replayed.records).containsExactly(1, 2);
    }

    @Test
    void shouldRefuseAMemoryStreamPositionOlderThanTheLastCommit() throws Exception {
        MemoryStream<Integer> stream = Sources.memoryStream("committed");
        stream.addData(1, 2, 3);
        SourceReader<Integer> reader = stream.open(ManualSourceContext.single().withCheckpoints());
        SnapshotOutput start = new SnapshotOutput();
        reader.writePosition(start);
        reader.poll(new RecordingOutput<>(), 10);
        reader.onEpochEnd(0);
        reader.onEpochCommitted(0);
        reader.close();
        assertThatThrownBy(() -> stream.open(ManualSourceContext.single().restoring(start)))
            .hasMessageContaining("no longer holds record 0");
        // The refused open released the stream.
        stream.open(ManualSourceContext.single()).close();
    }

    @Test
    void shouldSkipAsManyRecordsAsANewMemoryStreamsCheckpointSaysWereRead() throws Exception {
        MemoryStream<Integer> stream = Sources.memoryStream("fresh");
        stream.addData(1, 2, 3, 4);
        SnapshotOutput position = new SnapshotOutput().writeByte(1).writeLong(3);
        SourceReader<Integer> reader = stream.open(ManualSourceContext.single().restoring(position));
        RecordingOutput<Integer> rest = new RecordingOutput<>();
        reader.poll(rest, 10);
        assertThat(rest.records).containsExactly(4);
        reader.close();
    }

    @Test
    void shouldResumeAJournalSourceAfterItsLastEmittedRecordBeforeTheNamedRestartPoint() throws Exception {
        append(LongStream.range(0, 10));
        JournalSource<Long> source = Sources.journal(JournalOptions.of(dir), Codecs.longs()).readerName("q");
        SourceReader<Long> reader = source.open(ManualSourceContext.single().withCheckpoints());
        reader.poll(new RecordingOutput<>(), 4);
        reader.onEpochEnd(0);
        SnapshotOutput position = new SnapshotOutput();
        reader.writePosition(position);
        reader.poll(new RecordingOutput<>(), 4);
        reader.onEpochEnd(1);
        reader.onEpochCommitted(1);
        reader.close();

        SourceReader<Long> restored = source.open(ManualSourceContext.single().restoring(position));
        RecordingOutput<Long> rest = new RecordingOutput<>();
        restored.poll(rest, 100);
        restored.close();
        assertThat(rest.records).containsExactly(4L, 5L, 6L, 7L, 8L, 9L);
    }

    @Test
    void shouldResumeALatestJournalSourceThatReadNothingWhereItWasToStart() throws Exception {
        append(LongStream.range(0, 3));
        JournalSource<Long> source = Sources.journal(JournalOptions.of(dir), Codecs.longs()).start(StartPosition.latest());
        SourceReader<Long> reader = source.open(ManualSourceContext.single().withCheckpoints());
        SnapshotOutput position = new SnapshotOutput();
        reader.writePosition(position);
        reader.close();
        append(LongStream.range(3, 5));
        SourceReader<Long> restored = source.open(ManualSourceContext.single().restoring(position));
        RecordingOutput<Long> rest = new RecordingOutput<>();
        restored.poll(rest, 100);
        restored.close();
        assertThat(rest.records).containsExactly(3L, 4L);
    }

    @Test
    void shouldReplayAJournaledSourceFromTheCheckpointNotTheRestartPoint() throws Exception {
        MemoryStream<Long> input = Sources.memoryStream("journaled");
        JournaledSource<Long> source = Sources.journaled(input, JournalOptions.of(dir), Codecs.longs());
        input.addData(1L, 2L, 3L);
        SourceReader<Long> reader = source.open(ManualSourceContext.single().withCheckpoints());
        reader.poll(new RecordingOutput<>(), 2);
        reader.onEpochEnd(0);
        SnapshotOutput position = new SnapshotOutput();
        reader.writePosition(position);
        reader.poll(new RecordingOutput<>(), 10);
        reader.onEpochEnd(1);
        reader.onEpochCommitted(1);
        reader.close();

        input.addData(4L);
        SourceReader<Long> restored = source.open(ManualSourceContext.single().restoring(position));
        RecordingOutput<Long> rest = new RecordingOutput<>();
        for (int i = 0; i < 5; i++) {
            restored.poll(rest, 100);
        }
        restored.close();
        assertThat(rest.records).containsExactly(3L, 4L);
    }

    private void append(LongStream values) {
        try (Journal journal = Journal.open(JournalOptions.of(dir))) {
            JournalAppender<Long> appender = journal.appender(Codecs.longs());
            values.forEach(appender::append);
        }
    }

    private static <T> SourceOutput<T> recordInto(List<T> list) {
        return new SourceOutput<>() {
            @Override
            public void emit(T record) {
                list.add(record);
            }

            @Override
            public void emitWatermark(long watermarkMs) {
            }
        };
    }
}
