package io.rivulet.journal;

import io.rivulet.journal.CrashingWriterMain.Probe;
import io.rivulet.journal.codec.Codec;
import net.openhft.chronicle.bytes.Bytes;

import java.nio.file.Path;

/**
 * The writer of {@link CrashSafetyTest#shouldNeverReadATornRecordAndLetTheNextWriterGoOn}: appends
 * probes {@code 0..count-1}, then dies (halt, as abrupt as SIGKILL) in the middle of writing the
 * next one, after part of its bytes are in the journal.
 */
public final class TornWriterMain {
    private TornWriterMain() {
    }

    /**
     * @param args the journal directory and the number of whole records to write first
     */
    public static void main(String[] args) {
        int count = Integer.parseInt(args[1]);
        Codec<Probe> dying = new Codec<>() {
            @Override
            public void write(Probe record, Bytes<?> out) {
                out.writeLong(record.sequence());
                out.writeStopBit(record.payload().length);
                out.write(record.payload(), 0, record.payload().length / 2);
                Runtime.getRuntime().halt(9);
            }

            @Override
            public Probe read(Bytes<?> in, Probe reuse) {
                throw new UnsupportedOperationException();
            }
        };
        Journal journal = Journal.open(JournalOptions.of(Path.of(args[0])));
        JournalAppender<Probe> appender = journal.appender(CrashingWriterMain.CODEC);
        for (int i = 0; i < count; i++) {
            appender.append(Probe.of(i));
        }
        appender.close();
        journal.appender(dying).append(Probe.of(90));
    }
}
