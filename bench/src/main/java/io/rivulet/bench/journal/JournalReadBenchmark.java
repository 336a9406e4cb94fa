package io.rivulet.bench.journal;

import io.rivulet.journal.Journal;
import io.rivulet.journal.JournalAppender;
import io.rivulet.journal.JournalHandler;
import io.rivulet.journal.JournalOptions;
import io.rivulet.journal.JournalReader;
import io.rivulet.journal.StartPosition;
import io.rivulet.journal.codec.Codecs;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Read throughput from one thread over a prefilled journal of {@value #RECORDS} ticks: each
 * invocation polls {@value #BATCH} records (ops/s is records/s); a reader that reaches the end
 * starts again from the earliest record, outside the batch that found the end.
 *
 * <ul>
 *   <li>{@link #baselineHandler}: the handler alone, called {@value #BATCH} times.</li>
 *   <li>{@link #readTicks}: poll, checksum, decode into a new {@link Tick}.</li>
 * </ul>
 *
 * <p>{@code layout}: {@code PLAIN} (a plain appender wrote the journal) or {@code EPOCHS} (an epoch
 * appender wrote it, committing every {@value #EPOCH_RECORDS} records: the reader reads committed,
 * looking ahead for the commit markers): what exactly-once costs a reader of the journal sink.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class JournalReadBenchmark {
    static final int RECORDS = 5_000_000;
    static final int BATCH = 1_000;
    static final int EPOCH_RECORDS = 10_000;

    @Param({"PLAIN", "EPOCHS"})
    public String layout;

    private Path directory;
    private Journal journal;
    private JournalReader<Tick> reader;
    private Consumer handler;

    /** Hands each record to the blackhole; checks the sequence so a wrong read fails the run. */
    static final class Consumer implements JournalHandler<Tick> {
        Blackhole blackhole;
        long expected;

        @Override
        public void onRecord(Tick record, long offset) {
            if (record.sequence() != expected) {
                throw new IllegalStateException("read sequence " + record.sequence() + ", expected " + expected);
            }
            expected = expected + 1 == RECORDS ? 0 : expected + 1;
            blackhole.consume(record);
        }
    }

    @Setup(Level.Trial)
    public void open(Blackhole blackhole) throws Exception {
        directory = BenchJournals.newDirectory("read");
        journal = Journal.open(JournalOptions.of(directory));
        boolean epochs = layout.equals("EPOCHS");
        JournalAppender<Tick> appender = epochs ? journal.epochAppender(Codecs.record(Tick.class), 0)
            : journal.appender(Codecs.record(Tick.class));
        for (long i = 0; i < RECORDS; i++) {
            appender.append(new Tick(i, i * 3));
            if (epochs && (i + 1) % EPOCH_RECORDS == 0) {
                journal.commitEpoch(appender.epoch());
                appender.beginEpoch(appender.epoch() + 1);
            }
        }
        if (epochs) {
            journal.commitEpoch(appender.epoch());
        }
        appender.close();
        reader = journal.reader(Codecs.record(Tick.class), StartPosition.earliest());
        handler = new Consumer();
        handler.blackhole = blackhole;
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        journal.close();
        BenchJournals.delete(directory);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void baselineHandler() {
        for (int i = 0; i < BATCH; i++) {
            handler.blackhole.consume(i);
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int readTicks() {
        int read = reader.poll(handler, BATCH);
        if (read < BATCH) {
            reader.close();
            reader = journal.reader(Codecs.record(Tick.class), StartPosition.earliest());
            read += reader.poll(handler, BATCH - read);
        }
        return read;
    }
}
