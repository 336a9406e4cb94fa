package io.rivulet.engine.source;

import io.rivulet.engine.NoLeakedThreads;
import io.rivulet.engine.NoOpenJournals;
import io.rivulet.engine.Rivulet;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.Trigger;
import io.rivulet.engine.sink.CollectingSink;
import io.rivulet.engine.sink.Sinks;
import io.rivulet.journal.Journal;
import io.rivulet.journal.JournalAppender;
import io.rivulet.journal.JournalOptions;
import io.rivulet.journal.StartPosition;
import io.rivulet.journal.codec.Codecs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith({NoLeakedThreads.class, NoOpenJournals.class})
@Timeout(60)
class JournalSourceTest {
    @TempDir
    Path dir;

    private List<Long> write(long from, long to) {
        List<Long> offsets = new ArrayList<>();
        try (Journal journal = Journal.open(JournalOptions.of(dir))) {
            JournalAppender<Long> appender = journal.appender(Codecs.longs());
            for (long i = from; i < to; i++) {
                offsets.add(appender.append(i));
            }
        }
        return offsets;
    }

    private List<Long> run(JournalSource<Long> source) throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            CollectingSink<Long> sink = Sinks.collecting();
            StreamingQuery query = rivulet.readStream(source).writeStream(sink).trigger(Trigger.continuous(10)).start();
            query.awaitTermination();
            return sink.received();
        }
    }

    @Test
    void shouldReadAnExistingJournalInOrderAndEndWhereItEndedAtStartWhenBounded() throws Exception {
        write(0, 1000);
        List<Long> read = run(Sources.journal(JournalOptions.of(dir), Codecs.longs()).bounded(true));
        assertThat(read).containsExactlyElementsOf(LongStream.range(0, 1000).boxed().toList());
    }

    @Test
    void shouldStartAtAnOffsetOrAtTheEnd() throws Exception {
        List<Long> offsets = write(0, 100);
        JournalSource<Long> source = Sources.journal(JournalOptions.of(dir), Codecs.longs()).bounded(true);
        assertThat(run(source.start(StartPosition.at(offsets.get(60))))).containsExactlyElementsOf(
            LongStream.range(60, 100).boxed().toList());
        assertThat(run(source.start(StartPosition.latest()))).isEmpty();
    }

    @Test
    void shouldEndTheInputAtTheEndOfJournalMarker() throws Exception {
        write(0, 10);
        try (Rivulet rivulet = Rivulet.create()) {
            CollectingSink<Long> sink = Sinks.collecting();
            StreamingQuery query = rivulet.readStream(Sources.journal(JournalOptions.of(dir), Codecs.longs()))
                .writeStream(sink).trigger(Trigger.continuous(10)).start();
            sink.awaitReceived(10, Duration.ofSeconds(10));
            assertThat(query.isActive()).as("an unbounded journal source tails").isTrue();
            try (Journal journal = Journal.open(JournalOptions.of(dir))) {
                JournalAppender<Long> appender = journal.appender(Codecs.longs());
                appender.append(10L);
                appender.endJournal();
            }
            query.awaitTermination();
            assertThat(sink.received()).containsExactlyElementsOf(LongStream.range(0, 11).boxed().toList());
        }
    }

    @Test
    void shouldResumeANamedReaderAfterTheLastCommittedRecord() throws Exception {
        write(0, 500);
        JournalSource<Long> source = Sources.journal(JournalOptions.of(dir), Codecs.longs()).readerName("q1").bounded(true);
        assertThat(run(source)).hasSize(500);
        try (Journal journal = Journal.open(JournalOptions.of(dir))) {
            assertThat(journal.committedOffset("q1")).as("the final epoch committed the last record").isEqualTo(journal.lastOffset());
        }
        write(500, 510);
        assertThat(run(source)).containsExactlyElementsOf(LongStream.range(500, 510).boxed().toList());
    }
}
