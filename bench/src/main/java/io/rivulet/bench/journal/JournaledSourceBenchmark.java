package io.rivulet.bench.journal;

import io.rivulet.engine.source.JournaledSource;
import io.rivulet.engine.source.Source;
import io.rivulet.engine.source.SourceContext;
import io.rivulet.engine.source.SourceOutput;
import io.rivulet.engine.source.SourceReader;
import io.rivulet.engine.source.Sources;
import io.rivulet.journal.JournalOptions;
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
 * What journaling adds to a source: the source reader's poll of {@value #BATCH} ticks, bare
 * ({@code mode=bare}) or wrapped by {@link JournaledSource} that appends each record and reads it
 * back ({@code readBack}) or emits it after the append ({@code passThrough}). No query runs: the
 * reader is polled directly with an output that hands records to the blackhole, so the difference
 * between modes is the journal's cost per record.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class JournaledSourceBenchmark {
    static final int BATCH = 256;

    @Param({"bare", "readBack", "passThrough"})
    public String mode;

    private Path directory;
    private SourceReader<Tick> reader;
    private Out out;

    /** The reader's output: the blackhole. */
    static final class Out implements SourceOutput<Tick> {
        Blackhole blackhole;

        @Override
        public void emit(Tick record) {
            blackhole.consume(record);
        }

        @Override
        public void emitWatermark(long watermarkMs) {
            blackhole.consume(watermarkMs);
        }
    }

    /** A fixed context: partition 0 of 1, time frozen. */
    static final class Context implements SourceContext {
        @Override
        public int partition() {
            return 0;
        }

        @Override
        public int numPartitions() {
            return 1;
        }

        @Override
        public String queryName() {
            return "bench";
        }

        @Override
        public long nanoTime() {
            return 0;
        }

        @Override
        public long epochMillis() {
            return 0;
        }
    }

    @Setup(Level.Trial)
    public void open(Blackhole blackhole) throws Exception {
        Source<Tick> generator = Sources.generator(Long.MAX_VALUE, i -> new Tick(i, i * 3));
        Source<Tick> source = generator;
        if (!mode.equals("bare")) {
            directory = BenchJournals.newDirectory("journaled");
            source = Sources.journaled(generator, JournalOptions.of(directory), Codecs.record(Tick.class))
                .readBack(mode.equals("readBack"));
        }
        reader = source.open(new Context());
        out = new Out();
        out.blackhole = blackhole;
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        reader.close();
        BenchJournals.delete(directory);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int poll() throws Exception {
        return reader.poll(out, BATCH);
    }
}
