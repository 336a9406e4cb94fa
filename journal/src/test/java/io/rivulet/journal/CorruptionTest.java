package io.rivulet.journal;

import io.rivulet.journal.codec.Codecs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A damaged cycle file gives an error naming the file and the offset, never a garbage record.
 */
@ExtendWith(NoOpenJournals.class)
class CorruptionTest {
    private static final long BASE = 0x1122334455667700L;

    @TempDir
    Path dir;

    private List<Long> writeRecords(int count) {
        List<Long> offsets = new ArrayList<>();
        try (Journal journal = Journal.open(JournalOptions.of(dir))) {
            JournalAppender<Long> appender = journal.appender(Codecs.longs());
            for (int i = 0; i < count; i++) {
                offsets.add(appender.append(BASE + i));
            }
        }
        return offsets;
    }

    private static long positionOf(Path file, long value) throws Exception {
        byte[] content = Files.readAllBytes(file);
        ByteBuffer buffer = ByteBuffer.wrap(content).order(ByteOrder.LITTLE_ENDIAN);
        for (int p = 0; p + 8 <= content.length; p += 4) {
            if (buffer.getLong(p) == value) {
                return p;
            }
        }
        throw new AssertionError("value not found in " + file);
    }

    private static void patch(Path file, long position, byte[] bytes) throws Exception {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(position);
            raf.write(bytes);
        }
    }

    @Test
    void shouldNameTheFileAndOffsetOfARecordWhoseBytesChanged() throws Exception {
        List<Long> offsets = writeRecords(100);
        Path file;
        try (Journal journal = Journal.open(JournalOptions.of(dir))) {
            file = journal.cycleFiles().get(0);
        }
        long position = positionOf(file, BASE + 50);
        patch(file, position + 3, new byte[] {(byte) 0xFF});

        try (Journal journal = Journal.open(JournalOptions.of(dir))) {
            JournalReader<Long> reader = journal.reader(Codecs.longs(), StartPosition.earliest());
            List<Long> good = new ArrayList<>();
            assertThatThrownBy(() -> {
                while (reader.poll((r, o) -> good.add(r), 16) > 0) {
                    // read until the damaged record
                }
            }).isInstanceOfSatisfying(JournalCorruptedException.class, e -> {
                assertThat(e.file().toPath().getFileName()).isEqualTo(file.getFileName());
                assertThat(e.offset()).isEqualTo(offsets.get(50));
                assertThat(e.getMessage()).contains(file.getFileName().toString()).contains("checksum mismatch");
            });
            assertThat(good).hasSize(50).allMatch(v -> v >= BASE && v < BASE + 50);
            assertThatThrownBy(() -> reader.poll((r, o) -> good.add(r), 16))
                .as("the reader stays before the damaged record")
                .isInstanceOf(JournalCorruptedException.class);
            assertThat(good).hasSize(50);
        }
    }

    @Test
    void shouldNameTheFileWhenARecordHeaderIsMangled() throws Exception {
        writeRecords(10);
        Path file;
        try (Journal journal = Journal.open(JournalOptions.of(dir))) {
            file = journal.cycleFiles().get(0);
        }
        long position = positionOf(file, BASE + 5);
        // the Chronicle header sits before our 4-byte checksum: shrink the record from 12 to 8 bytes
        patch(file, position - 8, new byte[] {8, 0, 0, 0});
        try (Journal journal = Journal.open(JournalOptions.of(dir))) {
            JournalReader<Long> reader = journal.reader(Codecs.longs(), StartPosition.earliest());
            List<Long> good = new ArrayList<>();
            assertThatThrownBy(() -> {
                while (reader.poll((r, o) -> good.add(r), 16) > 0) {
                    // read until the damaged record
                }
            }).isInstanceOf(JournalCorruptedException.class).hasMessageContaining(file.getFileName().toString());
            assertThat(good).containsExactly(BASE, BASE + 1, BASE + 2, BASE + 3, BASE + 4);
        }
    }
}
