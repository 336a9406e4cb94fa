package io.rivulet.journal;

import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The build runs every JVM with the flags Chronicle Queue needs on Java 17+ and with analytics off:
 * without them this test cannot open a queue.
 */
class ChronicleEnvironmentTest {
    @Test
    void shouldRunWithAnalyticsDisabled() {
        assertThat(System.getProperty("chronicle.analytics.disable")).isEqualTo("true");
    }

    @Test
    void shouldAppendAndReadBackThroughChronicleQueue(@TempDir Path dir) {
        try (ChronicleQueue queue = SingleChronicleQueueBuilder.single(dir.toFile()).build()) {
            ExcerptAppender appender = queue.createAppender();
            for (long i = 0; i < 1000; i++) {
                long value = i;
                appender.writeBytes(b -> b.writeLong(value));
            }
            ExcerptTailer tailer = queue.createTailer();
            long[] sum = {0};
            int read = 0;
            while (tailer.readBytes(b -> sum[0] += b.readLong())) {
                read++;
            }
            assertThat(read).isEqualTo(1000);
            assertThat(sum[0]).isEqualTo(999L * 1000 / 2);
        }
    }
}
