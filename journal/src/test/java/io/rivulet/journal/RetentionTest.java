package io.rivulet.journal;

import io.rivulet.journal.codec.Codecs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retention deletes whole cycle files that every named reader and the last checkpoint have passed,
 * and nothing still needed. Cycles roll on a hand-advanced clock: one cycle per "second".
 */
@ExtendWith(NoOpenJournals.class)
class RetentionTest {
    private static final int CYCLES = 5;
    private static final int PER_CYCLE = 10;

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(1_700_000_000_000L);

    private JournalOptions options(JournalRetention retention) {
        return JournalOptions.of(dir).rollCycle(JournalRollCycle.SECONDLY).retention(retention).clock(clock);
    }

    /** Appends CYCLES cycles of PER_CYCLE records (values 0..49); returns their offsets. */
    private List<Long> fill(Journal journal) {
        JournalAppender<Long> appender = journal.appender(Codecs.longs());
        List<Long> offsets = new ArrayList<>();
        for (int c = 0; c < CYCLES; c++) {
            for (int i = 0; i < PER_CYCLE; i++) {
                offsets.add(appender.append((long) c * PER_CYCLE + i));
            }
            clock.advanceMs(1000);
        }
        return offsets;
    }

    private static int read(JournalReader<Long> reader, int count) {
        int total = 0;
        while (total < count) {
            int n = reader.poll((r, o) -> { }, count - total);
            if (n <= 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    @Test
    void shouldNeverDeleteACycleANamedReaderStillNeeds() {
        try (Journal journal = Journal.open(options(JournalRetention.DELETE_CONSUMED))) {
            JournalReader<Long> slow = journal.reader("slow", Codecs.longs(), StartPosition.earliest());
            JournalReader<Long> fast = journal.reader("fast", Codecs.longs(), StartPosition.earliest());
            List<Long> offsets = fill(journal);
            List<Path> files = journal.cycleFiles();
            assertThat(files).hasSize(CYCLES).allMatch(Files::exists);
            for (int c = 0; c < CYCLES; c++) {
                assertThat(journal.cycleFile(journal.cycleOf(offsets.get(c * PER_CYCLE)))).isEqualTo(files.get(c));
            }

            assertThat(read(fast, 50)).isEqualTo(50);
            fast.commit();
            assertThat(journal.applyRetention()).as("slow has read nothing").isZero();

            assertThat(read(slow, 25)).isEqualTo(25);
            slow.commit();   // record 24: cycle 2
            assertThat(files.get(0)).doesNotExist();
            assertThat(files.get(1)).doesNotExist();
            assertThat(files.subList(2, CYCLES)).allMatch(Files::exists);
            assertThat(journal.firstOffset()).isEqualTo(offsets.get(20));

            List<Long> rest = new ArrayList<>();
            while (slow.poll((r, o) -> rest.add(r), 100) > 0) {
                // the slow reader still reads everything after its commit
            }
            assertThat(rest).hasSize(25).startsWith(25L).endsWith(49L);
        }
    }

    @Test
    void shouldHoldCyclesForTheCheckpointAndForNamedReadersThatAreClosed() {
        List<Long> offsets;
        try (Journal journal = Journal.open(options(JournalRetention.DELETE_CONSUMED))) {
            offsets = fill(journal);
            try (JournalReader<Long> reader = journal.reader("offline", Codecs.longs(), StartPosition.earliest())) {
                read(reader, 15);
                reader.commit();   // record 14: cycle 1
            }
            assertThat(journal.cycleFiles()).hasSize(CYCLES - 1);
        }
        try (Journal journal = Journal.open(options(JournalRetention.DELETE_CONSUMED))) {
            journal.checkpoint(offsets.get(35));   // cycle 3
            assertThat(journal.applyRetention()).as("the closed reader 'offline' still needs cycle 1").isZero();
            assertThat(journal.cycleFiles()).hasSize(CYCLES - 1);

            assertThat(journal.deleteReader("offline")).isTrue();
            assertThat(journal.applyRetention()).as("now only the checkpoint (cycle 3) holds").isEqualTo(2);
            assertThat(journal.firstOffset()).isEqualTo(offsets.get(30));
            assertThat(journal.checkpointOffset()).isEqualTo(offsets.get(35));
        }
    }

    @Test
    void shouldDeleteNothingWhileNoReaderOrCheckpointHasSaidItIsDone() {
        try (Journal journal = Journal.open(options(JournalRetention.DELETE_CONSUMED))) {
            fill(journal);
            JournalReader<Long> unnamed = journal.reader(Codecs.longs(), StartPosition.earliest());
            read(unnamed, 50);
            assertThat(journal.applyRetention()).isZero();
            assertThat(journal.cycleFiles()).hasSize(CYCLES);
        }
    }

    @Test
    void shouldNeverDeleteTheCycleBeingWrittenNorAnythingUnderKeepAll() {
        try (Journal journal = Journal.open(options(JournalRetention.DELETE_CONSUMED))) {
            List<Long> offsets = fill(journal);
            journal.checkpoint(offsets.get(49) + 1_000);   // past the end: the last cycle still stays
            assertThat(journal.cycleFiles()).hasSize(1);
            assertThat(journal.firstOffset()).isEqualTo(offsets.get(40));
        }
        Path other = dir.resolve("keep-all");
        try (Journal journal = Journal.open(options(JournalRetention.KEEP_ALL).directory(other))) {
            List<Long> offsets = fill(journal);
            JournalReader<Long> reader = journal.reader("r", Codecs.longs(), StartPosition.earliest());
            read(reader, 50);
            reader.commit();
            journal.checkpoint(offsets.get(49));
            assertThat(journal.applyRetention()).isZero();
            assertThat(journal.cycleFiles()).hasSize(CYCLES);
        }
    }
}
