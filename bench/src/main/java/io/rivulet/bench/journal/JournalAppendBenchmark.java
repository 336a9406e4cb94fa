package io.rivulet.bench.journal;

import io.rivulet.journal.Journal;
import io.rivulet.journal.JournalAppender;
import io.rivulet.journal.JournalOptions;
import io.rivulet.journal.JournalPretouch;
import io.rivulet.journal.codec.Codec;
import io.rivulet.journal.codec.Codecs;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Append throughput of small records from one thread: ops/s is records/s. Each trial writes a fresh
 * journal in a temporary directory (deleted afterwards).
 *
 * <ul>
 *   <li>{@link #baselineEncode}: the codec alone, into a reused buffer: the floor of our part.</li>
 *   <li>{@link #baselineChronicleAppend}: Chronicle Queue alone, 16 bytes per document, no framing,
 *       checksum or codec: the floor of the journal.</li>
 *   <li>{@link #appendTick}: a 16-byte {@link Tick} through the derived record codec.</li>
 *   <li>{@link #appendLong}: an 8-byte long (the boxed value is created once, not per op).</li>
 *   <li>{@link #appendTickInEpoch}: {@link #appendTick} through an epoch appender (an exactly-once
 *       journal sink's writer: 8 bytes of epoch tag more per record), in its own journal.</li>
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class JournalAppendBenchmark {
    @Param({"OFF", "BACKGROUND"})
    public JournalPretouch pretouch;

    private final Tick tick = new Tick(42L, 1_234_567L);
    private final Long value = 1_234_567_890_123L;
    private final Codec<Tick> codec = Codecs.record(Tick.class);
    private Path directory;
    private Journal journal;
    private JournalAppender<Tick> ticks;
    private JournalAppender<Long> longs;
    private Path epochDirectory;
    private Journal epochJournal;
    private JournalAppender<Tick> epochTicks;
    private Bytes<?> buffer;
    private Path rawDirectory;
    private SingleChronicleQueue rawQueue;
    private ExcerptAppender rawAppender;
    private long rawSequence;

    @Setup(Level.Trial)
    public void open() throws Exception {
        directory = BenchJournals.newDirectory("append");
        journal = Journal.open(JournalOptions.of(directory).pretouch(pretouch));
        ticks = journal.appender(codec);
        longs = journal.appender(Codecs.longs());
        epochDirectory = BenchJournals.newDirectory("append-epochs");
        epochJournal = Journal.open(JournalOptions.of(epochDirectory).pretouch(pretouch));
        epochTicks = epochJournal.epochAppender(codec, 0);
        buffer = Bytes.allocateElasticDirect(64);
        rawDirectory = BenchJournals.newDirectory("chronicle");
        rawQueue = SingleChronicleQueueBuilder.single(rawDirectory.toFile()).rollCycle(RollCycles.FAST_HOURLY).build();
        rawAppender = rawQueue.createAppender();
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        journal.close();
        epochJournal.close();
        buffer.releaseLast();
        BenchJournals.delete(directory);
        BenchJournals.delete(epochDirectory);
        rawAppender.close();
        rawQueue.close();
        BenchJournals.delete(rawDirectory);
    }

    @Benchmark
    public long baselineChronicleAppend() {
        try (DocumentContext dc = rawAppender.writingDocument()) {
            Bytes<?> bytes = dc.wire().bytes();
            bytes.writeLong(++rawSequence);
            bytes.writeLong(1_234_567L);
        }
        return rawSequence;
    }

    @Benchmark
    public long baselineEncode() {
        buffer.clear();
        codec.write(tick, buffer);
        return buffer.writePosition();
    }

    @Benchmark
    public long appendTick() {
        return ticks.append(tick);
    }

    @Benchmark
    public long appendTickInEpoch() {
        return epochTicks.append(tick);
    }

    @Benchmark
    public long appendLong() {
        return longs.append(value);
    }
}
