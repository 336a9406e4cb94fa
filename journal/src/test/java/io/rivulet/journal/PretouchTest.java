package io.rivulet.journal;

import io.rivulet.journal.codec.Codecs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(NoOpenJournals.class)
class PretouchTest {
    @TempDir
    Path dir;

    private static List<Long> readAll(Journal journal) {
        List<Long> records = new ArrayList<>();
        JournalReader<Long> reader = journal.reader(Codecs.longs(), StartPosition.earliest());
        while (reader.poll((r, o) -> records.add(r), 1000) > 0) {
            // to the end
        }
        reader.close();
        return records;
    }

    @Test
    void shouldTouchAheadInBoundedStepsWhenTheOwnerAsksAndChangeNoRecord() {
        JournalOptions options = JournalOptions.of(dir).pretouch(JournalPretouch.OWNER).pretouchAheadLength(4L << 20);
        try (Journal journal = Journal.open(options)) {
            JournalAppender<Long> appender = journal.appender(Codecs.longs());
            assertThat(appender.pretouch()).as("nothing to touch before the first append").isZero();
            for (long i = 0; i < 1000; i++) {
                appender.append(i);
            }
            int total = 0;
            int pages;
            int calls = 0;
            while ((pages = appender.pretouch()) > 0) {
                assertThat(pages).isLessThanOrEqualTo(256);
                total += pages;
                calls++;
            }
            assertThat(total).as("4 MiB ahead in 4 KiB pages").isBetween(1000, 1024);
            assertThat(calls).isGreaterThanOrEqualTo(4);
            for (long i = 1000; i < 200_000; i++) {
                appender.append(i);
                if (i % 10_000 == 0) {
                    appender.pretouch();
                }
            }
            List<Long> records = readAll(journal);
            assertThat(records).hasSize(200_000);
            for (int i = 0; i < records.size(); i++) {
                assertThat(records.get(i)).isEqualTo(i);
            }
        }
    }

    @Test
    void shouldRunOneBackgroundPretouchThreadPerJournalAndStopItOnClose() throws Exception {
        JournalOptions options = JournalOptions.of(dir).pretouch(JournalPretouch.BACKGROUND);
        try (Journal journal = Journal.open(options)) {
            JournalAppender<Long> appender = journal.appender(Codecs.longs());
            assertThat(appender.pretouch()).as("the owner does nothing in background mode").isZero();
            for (long i = 0; i < 100_000; i++) {
                appender.append(i);
            }
            Thread.sleep(20);
            for (long i = 100_000; i < 200_000; i++) {
                appender.append(i);
            }
            assertThat(pretouchThreads()).hasSize(1);
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (journal.pretouchedPages() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(journal.pretouchedPages()).as("the thread touched pages ahead of the writer").isPositive();
            assertThat(readAll(journal)).hasSize(200_000).startsWith(0L, 1L).endsWith(199_999L);
        }
        assertThat(pretouchThreads()).isEmpty();
    }

    private static List<Thread> pretouchThreads() {
        return Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().startsWith("rivulet-journal-pretouch") && t.isAlive())
            .toList();
    }
}
