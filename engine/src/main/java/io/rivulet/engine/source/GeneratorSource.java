package io.rivulet.engine.source;

import io.rivulet.engine.internal.Options;
import io.rivulet.operators.state.SnapshotInput;
import io.rivulet.operators.state.SnapshotOutput;

import java.util.Objects;
import java.util.function.LongFunction;

/**
 * Generates records from their index, {@code 0 .. count-1}, as fast as the query takes them.
 * Partition {@code p} of {@code n} generates the indices {@code p, p+n, p+2n, …}, so the records
 * of all partitions together are exactly the indices below {@code count}, each once.
 *
 * <p>Immutable and thread-safe; the function is called concurrently by the partitions' threads.
 *
 * @param <T> record type
 */
public final class GeneratorSource<T> implements Source<T> {
    private final long count;
    private final LongFunction<? extends T> generator;
    private final int partitions;

    GeneratorSource(long count, LongFunction<? extends T> generator, int partitions) {
        if (count < 0) {
            throw new IllegalArgumentException("generator count must be >= 0, got " + count);
        }
        this.count = count;
        this.generator = Objects.requireNonNull(generator, "generator");
        this.partitions = Options.positive("generator numPartitions", partitions);
    }

    /**
     * @param partitions how many partitions (source threads) generate, at least 1
     * @return a copy with that many partitions
     */
    public GeneratorSource<T> numPartitions(int partitions) {
        return new GeneratorSource<>(count, generator, partitions);
    }

    @Override
    public String description() {
        return "generator[count=" + count + ", numPartitions=" + partitions + "]";
    }

    @Override
    public int numPartitions() {
        return partitions;
    }

    @Override
    public SourceReader<T> open(SourceContext context) {
        Reader<T> reader = new Reader<>(generator, count, context.partition(), context.numPartitions());
        SnapshotInput position = context.restoredPosition();
        if (position != null) {
            reader.next = Positions.readStrided(position, context, description());
        }
        return reader;
    }

    /** Replayable: a reader's position is the index of its next record; the generator is a function of it. */
    @Override
    public boolean isReplayable() {
        return true;
    }

    private static final class Reader<T> implements SourceReader<T> {
        private final LongFunction<? extends T> generator;
        private final long count;
        private final int stride;
        private long next;

        Reader(LongFunction<? extends T> generator, long count, int partition, int stride) {
            this.generator = generator;
            this.count = count;
            this.stride = stride;
            this.next = partition;
        }

        @Override
        public int poll(SourceOutput<T> out, int limit) {
            if (next >= count) {
                return END_OF_INPUT;
            }
            int emitted = 0;
            while (emitted < limit && next < count) {
                out.emit(generator.apply(next));
                next += stride;
                emitted++;
            }
            return emitted;
        }

        @Override
        public void writePosition(SnapshotOutput out) {
            Positions.writeStrided(out, next, stride);
        }
    }
}
