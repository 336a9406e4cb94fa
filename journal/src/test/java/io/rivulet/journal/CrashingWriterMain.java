package io.rivulet.journal;

import io.rivulet.journal.codec.Codec;
import io.rivulet.journal.codec.Codecs;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.zip.CRC32;

/**
 * The writer of {@link CrashSafetyTest}, run in a child JVM that the test kills with SIGKILL:
 * appends probes from a given sequence number on, as fast as it can, and prints
 * {@code R <offset> <sequence> .} after each append returns (flushed, so the parent sees every
 * record whose append returned).
 */
public final class CrashingWriterMain {
    /** What the writer appends: a sequence number, a payload of varying length, and their checksum. */
    public record Probe(long sequence, byte[] payload, long checksum) {
        static Probe of(long sequence) {
            byte[] payload = new byte[(int) (sequence % 97)];
            for (int i = 0; i < payload.length; i++) {
                payload[i] = (byte) (sequence * 31 + i);
            }
            return new Probe(sequence, payload, checksum(sequence, payload));
        }

        static long checksum(long sequence, byte[] payload) {
            CRC32 crc = new CRC32();
            crc.update(payload);
            return crc.getValue() ^ (sequence * 0x9E3779B97F4A7C15L);
        }

        boolean isIntact() {
            return payload != null && checksum == checksum(sequence, payload);
        }
    }

    static final Codec<Probe> CODEC = Codecs.record(Probe.class);

    private CrashingWriterMain() {
    }

    /**
     * @param args the journal directory and the first sequence number
     */
    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        long sequence = Long.parseLong(args[1]);
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false);
        Journal journal = Journal.open(JournalOptions.of(dir));
        JournalAppender<Probe> appender = journal.appender(CODEC);
        while (true) {
            long offset = appender.append(Probe.of(sequence));
            out.print("R ");
            out.print(offset);
            out.print(' ');
            out.print(sequence);
            out.print(" .\n");
            out.flush();
            sequence++;
        }
    }
}
