package io.rivulet.journal.internal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.algo.XxHash;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class FramingTest {
    @Test
    void shouldComputeTheReferenceXxHash64OfTheEmptyInput() {
        Bytes<?> bytes = Bytes.allocateElasticDirect(16);
        try {
            assertThat(Framing.xxHash64(bytes, 0, 0)).isEqualTo(0xEF46DB3751D8E999L);
        } finally {
            bytes.releaseLast();
        }
    }

    @Test
    void shouldAgreeWithChronicleXxHashOnEveryLengthFromZeroTo200() {
        Random random = new Random(7);
        for (int length = 0; length <= 200; length++) {
            byte[] data = new byte[length];
            random.nextBytes(data);
            Bytes<?> bytes = Bytes.allocateElasticDirect(256);
            try {
                bytes.writeLong(0L);           // the payload need not start at 0
                bytes.write(data);
                bytes.readPosition(8);
                long expected = new XxHash(0).applyAsLong(bytes, length);
                assertThat(Framing.xxHash64(bytes, 8, length)).as("length %d", length).isEqualTo(expected);
            } finally {
                bytes.releaseLast();
            }
        }
    }

    @Test
    void shouldChangeTheChecksumWhenAnyByteChanges() {
        byte[] data = "a record of some length, checked byte by byte".getBytes(StandardCharsets.UTF_8);
        Bytes<?> bytes = Bytes.allocateElasticDirect(64);
        try {
            bytes.write(data);
            int original = Framing.checksum(bytes, 0, data.length);
            for (int i = 0; i < data.length; i++) {
                byte b = bytes.readByte(i);
                bytes.writeByte(i, (byte) (b ^ 0x10));
                assertThat(Framing.checksum(bytes, 0, data.length)).as("byte %d flipped", i).isNotEqualTo(original);
                bytes.writeByte(i, b);
            }
        } finally {
            bytes.releaseLast();
        }
    }
}
