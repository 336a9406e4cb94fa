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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Epoch-committed journals: records become visible when their epoch commits, a crashed run's
 * uncommitted records are committed or aborted by the next run's recovery, and readers deliver each
 * committed record once, in journal order, skipping aborted ones.
 */
@ExtendWith(NoOpenJournals.class)
class EpochCommittedJournalTest {
    @TempDir
    Path dir;

    private JournalOptions options() {
        return JournalOptions.of(dir);
    }

    private static List<String> drain(JournalReader<String> reader) {
        List<String> seen = new ArrayList<>();
        reader.pollAvailable((r, o) -> seen.add(r));
        return seen;
    }

    @Test
    void shouldReadPastMoreCommitMarkersThanOnePollSkipsWhenPollingAllAvailable() {
        try (Journal journal = Journal.open(options())) {
            JournalAppender<String> appender = journal.epochAppender(Codecs.strings(), 0);
            JournalReader<String> reader = journal.reader(Codecs.strings(), StartPosition.earliest());
            // An idle stretch: 200 commit markers with no record between them, then one record.
            for (long epoch = 0; epoch < 200; epoch++) {
                journal.commitEpoch(epoch);
            }
            appender.beginEpoch(200);
            appender.append("after-idle");
            journal.commitEpoch(200);

            List<String> seen = new ArrayList<>();
            assertThat(reader.poll((r, o) -> seen.add(r), 1000)).as("one poll stops after its marker budget").isZero();
            assertThat(reader.isCaughtUp()).as("a poll that stopped on its budget is not caught up").isFalse();
            assertThat(reader.pollAvailable((r, o) -> seen.add(r))).isEqualTo(1);
            assertThat(seen).containsExactly("after-idle");
            assertThat(reader.isCaughtUp()).isTrue();
        }
    }

    @Test
    void shouldShowAnEpochsRecordsOnlyWhenTheEpochCommits() {
        try (Journal journal = Journal.open(options())) {
            JournalAppender<String> appender = journal.epochAppender(Codecs.strings(), 0);
            JournalReader<String> reader = journal.reader(Codecs.strings(), StartPosition.earliest());
            appender.append("a");
            appender.append("b");
            assertThat(drain(reader)).isEmpty();
            assertThat(reader.isCaughtUp()).as("nothing committed yet: caught up").isTrue();
            journal.commitEpoch(0);
            assertThat(drain(reader)).containsExactly("a", "b");
            assertThat(journal.isEpochCommitted()).isTrue();
            assertThat(Files.exists(dir.resolve(Journal.EPOCHS_FILE))).isTrue();
        }
    }

    @Test
    void shouldStopAtTheFirstUncommittedRecordAndGoOnWhenItsEpochCommits() {
        try (Journal journal = Journal.open(options())) {
            JournalAppender<String> appender = journal.epochAppender(Codecs.strings(), 0);
            JournalReader<String> reader = journal.reader(Codecs.strings(), StartPosition.earliest());
            appender.append("e0-a");
            appender.beginEpoch(1);
            appender.append("e1-a");
            journal.commitEpoch(0);
            assertThat(drain(reader)).containsExactly("e0-a");
            appender.append("e1-b");
            journal.commitEpoch(1);
            assertThat(drain(reader)).containsExactly("e1-a", "e1-b");
        }
    }

    @Test
    void shouldShowNothingOfARunThatCrashedBeforeItsCommitWhenTheNextRunAbortsIt() {
        try (Journal journal = Journal.open(options())) {
            JournalAppender<String> appender = journal.epochAppender(Codecs.strings(), 0);
            appender.append("lost-1");
            appender.append("lost-2");
            // no commit: the writer "crashes" here
        }
        try (Journal journal = Journal.open(options())) {
            assertThat(drain(journal.reader(Codecs.strings(), StartPosition.earliest())))
                .as("before any recovery, an undecided epoch is not visible").isEmpty();
            journal.recoverEpochs(-1);
            JournalAppender<String> appender = journal.epochAppender(Codecs.strings(), 0);
            appender.append("again-1");
            journal.commitEpoch(0);
            assertThat(drain(journal.reader(Codecs.strings(), StartPosition.earliest()))).containsExactly("again-1");
        }
    }

    @Test
    void shouldCommitTheEpochsARecoveryCoversAndAbortTheRest() {
        try (Journal journal = Journal.open(options())) {
            JournalAppender<String> appender = journal.epochAppender(Codecs.strings(), 3);
            appender.append("e3");
            appender.beginEpoch(4);
            appender.append("e4");
            appender.beginEpoch(5);
            appender.append("e5");
        }
        try (Journal journal = Journal.open(options())) {
            // The checkpoint covers epoch 4: the crash came after it, before the sink committed it.
            journal.recoverEpochs(4);
            JournalAppender<String> appender = journal.epochAppender(Codecs.strings(), 5);
            appender.append("e5-rerun");
            journal.commitEpoch(5);
            assertThat(drain(journal.reader(Codecs.strings(), StartPosition.earliest())))
                .containsExactly("e3", "e4", "e5-rerun");
        }
    }

    @Test
    void shouldNotShowARecommittedEpochTwice() {
        try (Journal journal = Journal.open(options())) {
            JournalAppender<String> appender = journal.epochAppender(Codecs.strings(), 0);
            appender.append("e0");
            journal.commitEpoch(0);
            appender.beginEpoch(1);
            appender.append("e1");
        }
        try (Journal journal = Journal.open(options())) {
            journal.recoverEpochs(0);
            journal.commitEpoch(0);
            JournalAppender<String> appender = journal.epochAppender(Codecs.strings(), 1);
            appender.append("e1-rerun");
            journal.commitEpoch(1);
            journal.commitEpoch(1);
            assertThat(drain(journal.reader(Codecs.strings(), StartPosition.earliest()))).containsExactly("e0", "e1-rerun");
        }
    }

    @Test
    void shouldKeepEachWritersOrderWithTwoWritersInterleaving() {
        try (Journal journal = Journal.open(options())) {
            JournalAppender<String> w0 = journal.epochAppender(Codecs.strings(), 0);
            JournalAppender<String> w1 = journal.epochAppender(Codecs.strings(), 0);
            JournalReader<String> reader = journal.reader(Codecs.strings(), StartPosition.earliest());
            w0.append("w0-e0-a");
            w1.append("w1-e0-a");
            w0.append("w0-e0-b");
            w0.beginEpoch(1);
            w0.append("w0-e1-a");
            w1.append("w1-e0-b");
            w1.beginEpoch(1);
            journal.commitEpoch(0);
            // w1-e0-b is committed but comes after w0's first epoch-1 record: it waits for that one.
            assertThat(drain(reader)).containsExactly("w0-e0-a", "w1-e0-a", "w0-e0-b");
            w1.append("w1-e1-a");
            journal.commitEpoch(1);
            assertThat(drain(reader)).containsExactly("w0-e1-a", "w1-e0-b", "w1-e1-a");
        }
    }

    @Test
    void shouldSkipAPartialEpochEvenThoughLaterEpochsFollowIt() {
        try (Journal journal = Journal.open(options())) {
            JournalAppender<String> w0 = journal.epochAppender(Codecs.strings(), 0);
            JournalAppender<String> w1 = journal.epochAppender(Codecs.strings(), 0);
            w0.append("w0-e0");
            w1.append("w1-e0");
            journal.commitEpoch(0);
            w0.beginEpoch(1);
            w1.beginEpoch(1);
            w0.append("partial-w0-e1");
            w1.append("partial-w1-e1");
            // crash mid-epoch 1; epochs 1 and 2 of the next run follow the partial epoch
        }
        try (Journal journal = Journal.open(options())) {
            journal.recoverEpochs(0);
            JournalAppender<String> w0 = journal.epochAppender(Codecs.strings(), 1);
            JournalAppender<String> w1 = journal.epochAppender(Codecs.strings(), 1);
            w1.append("w1-e1");
            w0.append("w0-e1");
            journal.commitEpoch(1);
            w0.beginEpoch(2);
            w0.append("w0-e2");
            journal.commitEpoch(2);
            JournalReader<String> reader = journal.reader(Codecs.strings(), StartPosition.earliest());
            assertThat(drain(reader)).containsExactly("w0-e0", "w1-e0", "w1-e1", "w0-e1", "w0-e2");
            assertThat(reader.isCaughtUp()).isTrue();
        }
    }

    @Test
    void shouldAbortWhatIsUncommittedWhenTheJournalEnds() {
        try (Journal journal = Journal.open(options())) {
            JournalAppender<String> appender = journal.epochAppender(Codecs.strings(), 0);
            appender.append("committed");
            journal.commitEpoch(0);
            appender.beginEpoch(1);
            appender.append("never");
            appender.endJournal();
            JournalReader<String> reader = journal.reader(Codecs.strings(), StartPosition.earliest());
            assertThat(drain(reader)).containsExactly("committed");
            assertThat(reader.poll((r, o) -> { }, 10)).isEqualTo(JournalReader.END_OF_JOURNAL);
        }
    }

    @Test
    void shouldKeepPlainRecordsBeforeTheSwitchVisibleAndCommitAPlainAppendersRecordsAtOnce() {
        try (Journal journal = Journal.open(options())) {
            try (JournalAppender<String> plain = journal.appender(Codecs.strings())) {
                plain.append("plain-1");
                plain.append("plain-2");
            }
            JournalReader<String> early = journal.reader(Codecs.strings(), StartPosition.earliest());
            assertThat(drain(early)).containsExactly("plain-1", "plain-2");
            JournalAppender<String> epochs = journal.epochAppender(Codecs.strings(), 0);
            epochs.append("e0");
            try (JournalAppender<String> plain = journal.appender(Codecs.strings())) {
                plain.append("immediate");
            }
            assertThat(drain(early)).as("a reader opened before the switch learns it from the marker").isEmpty();
            journal.commitEpoch(0);
            assertThat(drain(early)).containsExactly("e0", "immediate");
        }
        try (Journal journal = Journal.open(options())) {
            assertThat(drain(journal.reader(Codecs.strings(), StartPosition.earliest())))
                .containsExactly("plain-1", "plain-2", "e0", "immediate");
        }
    }

    @Test
    void shouldRefuseToSwitchWhileAPlainAppenderIsOpen() {
        try (Journal journal = Journal.open(options())) {
            JournalAppender<String> plain = journal.appender(Codecs.strings());
            plain.append("x");
            assertThatThrownBy(() -> journal.epochAppender(Codecs.strings(), 0))
                .isInstanceOf(JournalException.class).hasMessageContaining("open plain appender");
            assertThatThrownBy(() -> journal.commitEpoch(0))
                .isInstanceOf(JournalException.class).hasMessageContaining("not epoch-committed");
        }
    }

    @Test
    void shouldResumeANamedReaderAfterItsCommittedRecordOnlyWithCommittedRecords() {
        try (Journal journal = Journal.open(options())) {
            JournalAppender<String> appender = journal.epochAppender(Codecs.strings(), 0);
            appender.append("a");
            appender.append("b");
            journal.commitEpoch(0);
            appender.beginEpoch(1);
            appender.append("c");
            try (JournalReader<String> named = journal.reader("downstream", Codecs.strings(), StartPosition.earliest())) {
                List<String> seen = new ArrayList<>();
                named.poll((r, o) -> seen.add(r), 1);
                named.commit();
                assertThat(seen).containsExactly("a");
            }
            journal.commitEpoch(1);
            try (JournalReader<String> named = journal.reader("downstream", Codecs.strings(), StartPosition.earliest())) {
                assertThat(drain(named)).containsExactly("b", "c");
            }
        }
    }

    @Test
    void shouldSeeTheSwitchFromAnotherJournalInstanceOpenedBefore() {
        try (Journal readerSide = Journal.open(options());
             Journal writerSide = Journal.open(options())) {
            assertThat(readerSide.isEpochCommitted()).isFalse();
            JournalAppender<String> appender = writerSide.epochAppender(Codecs.strings(), 0);
            appender.append("a");
            writerSide.commitEpoch(0);
            JournalReader<String> latecomer = readerSide.reader(Codecs.strings(), StartPosition.earliest());
            assertThat(drain(latecomer)).containsExactly("a");
            assertThat(readerSide.isEpochCommitted()).isTrue();
        }
    }
}
