package io.rivulet.journal.internal;

import io.rivulet.journal.JournalException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OffsetFileTest {
    @TempDir
    Path dir;

    @Test
    void shouldReadBackTheLastOffsetWrittenAndTheDefaultWhenMissing() {
        Path file = dir.resolve("r.offset");
        assertThat(OffsetFile.read(file, -1)).isEqualTo(-1);
        OffsetFile.write(file, 0x6b01442200000002L);
        OffsetFile.write(file, 0x6b01442200000003L);
        assertThat(OffsetFile.read(file, -1)).isEqualTo(0x6b01442200000003L);
        assertThat(dir.resolve("r.offset.tmp")).doesNotExist();
    }

    @Test
    void shouldNameADamagedFile() throws Exception {
        Path file = dir.resolve("r.offset");
        OffsetFile.write(file, 42);
        byte[] content = Files.readAllBytes(file);
        content[10] ^= 1;
        Files.write(file, content);
        assertThatThrownBy(() -> OffsetFile.read(file, -1))
            .isInstanceOf(JournalException.class)
            .hasMessageContaining(file.toString())
            .hasMessageContaining("checksum");
        Files.write(file, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> OffsetFile.read(file, -1)).hasMessageContaining("damaged");
    }
}
