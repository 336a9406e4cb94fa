package io.rivulet.journal;

import io.rivulet.journal.codec.Codec;
import io.rivulet.journal.codec.Codecs;
import net.openhft.chronicle.bytes.Bytes;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(NoOpenJournals.class)
class JournalTest {
    @TempDir
    Path dir;

    private static List<Long> readAll(JournalReader<Long> reader, List<Long> offsets) {
        List<Long> records = new ArrayList<>();
        int n;
        do {
            n = reader.poll((record, offset) -> {
                records.add(record);
                if (offsets != null) {
                    offsets.add(offset);
                }
            }, 7);
        } while (n > 0);
        return records;
    }

    @Test
    void shouldReturnIncreasingOffsetsAndReadEveryRecordBackInOrder() {
        try (Journal journal = Journal.open(JournalOptions.of(dir))) {
            JournalAppender<Long> appender = journal.appender(Codecs.longs());
            List<Long> appended = new ArrayList<>();
            for (long i = 0; i < 1000; i++) {
                appended.add(appender.append(i * 7));
            }
            assertThat(appended).isSorted().doesNotHaveDuplicates();
            assertThat(journal.firstOffset()).isEqualTo(appended.get(0));
            assertThat(journal.lastOffset()).isEqualTo(appended.get(999));
            assertThat(appender.lastOffset()).isEqualTo(appended.get(999));

            List<Long> offsets = new ArrayList<>();
            JournalReader<Long> reader = journal.reader(Codecs.longs(), StartPosition.earliest());
            List<Long> records = readAll(reader, offsets);
            assertThat(records).hasSize(1000);
            for (int i = 0; i < 1000; i++) {
                assertThat(records.get(i)).isEqualTo(i * 7L);
            }
            assertThat(offsets).isEqualTo(appended);
            assertThat(reader.lastReadOffset()).isEqualTo(appended.get(999));
        }
    }

    @Test
    void shouldSayNothingNowWhenCaughtUpAndReadWhatIsAppendedLater() {
        try (Journal journal = Journal.open(JournalOptions.of(dir))) {
            JournalAppender<Long> appender = journal.appender(Codecs.longs());
            JournalReader<Long> reader = journal.reader(Codecs.longs(), StartPosition.earliest());
            List<Long> seen = new ArrayList<>();
            assertThat(reader.poll((r, o) -> seen.add(r), 10)).isZero();
            assertThat(reader.isCaughtUp()).isTrue();
            appender.append(1L);
            appender.append(2L);
            assertThat(reader.poll((r, o) -> seen.add(r), 1)).isEqualTo(1);
            assertThat(reader.isCaughtUp()).isFalse();
            assertThat(reader.poll((r, o) -> seen.add(r), 10)).isEqualTo(1);
            assertThat(reader.isCaughtUp()).isTrue();
            assertThat(seen).containsExactly(1L, 2L);
        }
    }

    @Test
    void shouldStartAtEarliestLatestAtOrAfterAnOffset() {
        try (Journal journal = Journal.open(JournalOptions.of(dir))) {
            JournalAppender<Long> appender = journal.appender(Codecs.longs());
            long[] offsets = new long[10];
            for (int i = 0; i < 10; i++) {
                offsets[i] = appender.append((long) i);
            }
            JournalReader<Long> latest = journal.reader(Codecs.longs(), StartPosition.latest());
            JournalReader<Long> at = journal.reader(Codecs.longs(), StartPosition.at(offsets[4]));
            JournalReader<Long> after = journal.reader(Codecs.longs(), StartPosition.after(offsets[4]));
            JournalReader<Long> earliest = journal.reader(Codecs.longs(), StartPosition.earliest());
            appender.append(10L);
            assertThat(readAll(latest, null)).containsExactly(10L);
            assertThat(readAll(at, null)).containsExactly(4L, 5L, 6L, 7L, 8L, 9L, 10L);
            assertThat(readAll(after, null)).containsExactly(5L, 6L, 7L, 8L, 9L, 10L);
            assertThat(readAll(earliest, null)).hasSize(11).startsWith(0L);
        }
    }

    @Test
    void shouldRejectAStartOffsetThatIsNotInTheJournal() {
        try (Journal journal = Journal.open(JournalOptions.of(dir))) {
            JournalAppender<Long> appender = journal.appender(Codecs.longs());
            long last = 0;
            for (int i = 0; i < 3; i++) {
                last = appender.append((long) i);
            }
            long beyond = last + 100;
            assertThatThrownBy(() -> journal.reader(Codecs.longs(), StartPosition.at(beyond)))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining(Journal.formatOffset(beyond))
                .hasMessageContaining(journal.directory().toString());
        }
    }

    @Test
    void shouldKeepOffsetsAndRecordsAcrossReopen() {
        List<Long> first = new ArrayList<>();
        try (Journal journal = Journal.open(JournalOptions.of(dir))) {
            JournalAppender<Long> appender = journal.appender(Codecs.longs());
            for (long i = 0; i < 100; i++) {
                first.add(appender.append(i));
            }
        }
        long next;
        try (Journal journal = Journal.open(JournalOptions.of(dir))) {
            List<Long> offsets = new ArrayList<>();
            assertThat(readAll(journal.reader(Codecs.longs(), StartPosition.earliest()), offsets)).hasSize(100);
            assertThat(offsets).isEqualTo(first);
            next = journal.appender(Codecs.longs()).append(100L);
        }
        assertThat(next).isGreaterThan(first.get(99));
        try (Journal journal = Journal.open(JournalOptions.of(dir))) {
            assertThat(readAll(journal.reader(Codecs.longs(), StartPosition.at(first.get(50))), null))
                .hasSize(51).startsWith(50L).endsWith(100L);
        }
    }

    @Test
    void shouldKeepTheRollCycleTheJournalWasCreatedWith() {
        try (Journal journal = Journal.open(JournalOptions.of(dir).rollCycle(JournalRollCycle.DAILY))) {
            journal.appender(Codecs.longs()).append(1L);
        }
        try (Journal journal = Journal.open(JournalOptions.of(dir).rollCycle(JournalRollCycle.HOURLY))) {
            assertThat(journal.rollCycle()).isEqualTo(JournalRollCycle.DAILY);
            assertThat(readAll(journal.reader(Codecs.longs(), StartPosition.earliest()), null)).containsExactly(1L);
        }
    }

    @Test
    void shouldEndReadersAtTheEndMarkerAndRefuseMoreAppenders() {
        try (Journal journal = Journal.open(JournalOptions.of(dir))) {
            JournalAppender<Long> appender = journal.appender(Codecs.longs());
            JournalReader<Long> tailing = journal.reader(Codecs.longs(), StartPosition.earliest());
            appender.append(1L);
            appender.append(2L);
            assertThat(journal.isEnded()).isFalse();
            appender.endJournal();
            assertThat(journal.isEnded()).isTrue();
            List<Long> seen = new ArrayList<>();
            assertThat(tailing.poll((r, o) -> seen.add(r), 100)).isEqualTo(2);
            assertThat(tailing.poll((r, o) -> seen.add(r), 100)).isEqualTo(JournalReader.END_OF_JOURNAL);
            assertThat(tailing.isEnded()).isTrue();
            assertThat(seen).containsExactly(1L, 2L);
            assertThatThrownBy(() -> appender.append(3L)).isInstanceOf(JournalException.class);
        }
        try (Journal journal = Journal.open(JournalOptions.of(dir))) {
            assertThat(journal.isEnded()).isTrue();
            assertThatThrownBy(() -> journal.appender(Codecs.longs()))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining("ended")
                .hasMessageContaining(journal.directory().toString());
            JournalReader<Long> reader = journal.reader(Codecs.longs(), StartPosition.earliest());
            assertThat(reader.poll((r, o) -> { }, 100)).isEqualTo(2);
            assertThat(reader.poll((r, o) -> { }, 100)).isEqualTo(JournalReader.END_OF_JOURNAL);
        }
    }

    @Test
    void shouldResumeANamedReaderAfterItsCommittedOffset() {
        try (Journal journal = Journal.open(JournalOptions.of(dir))) {
            JournalAppender<Long> appender = journal.appender(Codecs.longs());
            for (long i = 0; i < 10; i++) {
                appender.append(i);
            }
            try (JournalReader<Long> reader = journal.reader("consumer", Codecs.longs(), StartPosition.earliest())) {
                List<Long> seen = new ArrayList<>();
                reader.poll((r, o) -> seen.add(r), 4);
                assertThat(seen).containsExactly(0L, 1L, 2L, 3L);
                reader.commit();
                reader.poll((r, o) -> seen.add(r), 2);
                // read 4 and 5 but did not commit them: a restart reads them again
            }
            assertThat(journal.committedOffset("consumer")).isNotEqualTo(Journal.NO_OFFSET);
        }
        try (Journal journal = Journal.open(JournalOptions.of(dir))) {
            JournalReader<Long> reader = journal.reader("consumer", Codecs.longs(), StartPosition.earliest());
            assertThat(reader.start().kind()).isEqualTo(StartPosition.Kind.AFTER);
            assertThat(readAll(reader, null)).containsExactly(4L, 5L, 6L, 7L, 8L, 9L);
            assertThatThrownBy(() -> journal.reader("consumer", Codecs.longs(), StartPosition.earliest()))
                .hasMessageContaining("already has an open reader named 'consumer'");
        }
    }

    @Test
    void shouldRefuseASecondWriterOfTheSameDirectory() {
        try (Journal journal = Journal.open(JournalOptions.of(dir));
             Journal other = Journal.open(JournalOptions.of(dir))) {
            journal.appender(Codecs.longs()).append(1L);
            assertThatThrownBy(() -> other.appender(Codecs.longs()))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining("already has a writer")
                .hasMessageContaining(journal.directory().toString());
            assertThat(readAll(other.reader(Codecs.longs(), StartPosition.earliest()), null)).containsExactly(1L);
        }
    }

    @Test
    void shouldNameTheDirectoryWhenItIsAFile() throws Exception {
        Path file = Files.createFile(dir.resolve("not-a-directory"));
        assertThatThrownBy(() -> Journal.open(JournalOptions.of(file)))
            .isInstanceOf(JournalException.class)
            .hasMessageContaining(file.toString());
        assertThatThrownBy(() -> Journal.open(JournalOptions.of(file.resolve("journal"))))
            .isInstanceOf(JournalException.class)
            .hasMessageContaining(file.resolve("journal").toString());
    }

    @Test
    void shouldNameTheDirectoryWhenItIsNotWritable() {
        // /proc refuses new entries even to root, which chmod-based tests cannot count on here
        Path unwritable = Path.of("/proc/self/rivulet-journal");
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")));
        assertThatThrownBy(() -> Journal.open(JournalOptions.of(unwritable)))
            .isInstanceOf(JournalException.class)
            .hasMessageContaining(unwritable.toString());
    }

    @Test
    void shouldRefuseToAppendWhenTheDiskHasLessThanTheMinimumFree() {
        try (Journal journal = Journal.open(JournalOptions.of(dir).minFreeSpace(Long.MAX_VALUE))) {
            assertThatThrownBy(() -> journal.appender(Codecs.longs()))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining(journal.directory().toString())
                .hasMessageContaining("minFreeSpace");
        }
    }

    @Test
    void shouldLeaveNoRecordWhenTheCodecThrowsMidRecord() {
        Codec<Long> failing = new Codec<>() {
            @Override
            public void write(Long record, Bytes<?> out) {
                out.writeLong(record);
                if (record == 13L) {
                    throw new IllegalStateException("unlucky");
                }
            }

            @Override
            public Long read(Bytes<?> in, Long reuse) {
                return in.readLong();
            }
        };
        try (Journal journal = Journal.open(JournalOptions.of(dir))) {
            JournalAppender<Long> appender = journal.appender(failing);
            appender.append(12L);
            assertThatThrownBy(() -> appender.append(13L)).hasMessage("unlucky");
            appender.append(14L);
            assertThat(readAll(journal.reader(Codecs.longs(), StartPosition.earliest()), null)).containsExactly(12L, 14L);
        }
    }

    @Test
    void shouldFailClearlyWhenReadWithTheWrongCodec() {
        try (Journal journal = Journal.open(JournalOptions.of(dir))) {
            journal.appender(Codecs.longs()).append(42L);
            JournalReader<Integer> reader = journal.reader(Codecs.ints(), StartPosition.earliest());
            assertThatThrownBy(() -> reader.poll((r, o) -> { }, 1))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining("left 4 of 8 bytes");
        }
    }

    @Test
    void shouldSyncAppendedRecordsToDisk() {
        try (Journal journal = Journal.open(JournalOptions.of(dir))) {
            JournalAppender<Long> appender = journal.appender(Codecs.longs());
            appender.sync();
            appender.append(1L);
            appender.sync();
            assertThat(readAll(journal.reader(Codecs.longs(), StartPosition.earliest()), null)).containsExactly(1L);
        }
    }

    @Test
    void shouldCloseItsAppendersAndReadersWithIt() {
        Journal journal = Journal.open(JournalOptions.of(dir));
        JournalAppender<Long> appender = journal.appender(Codecs.longs());
        JournalReader<Long> reader = journal.reader(Codecs.longs(), StartPosition.earliest());
        assertThat(Journal.openJournals()).contains(journal.directory());
        journal.close();
        assertThat(Journal.openJournals()).doesNotContain(journal.directory());
        assertThatThrownBy(() -> appender.append(1L)).isInstanceOf(JournalException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> reader.poll((r, o) -> { }, 1)).isInstanceOf(JournalException.class).hasMessageContaining("closed");
        assertThatThrownBy(journal::lastOffset).isInstanceOf(JournalException.class).hasMessageContaining("closed");
    }
}
