package io.rivulet.engine;

import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.sink.ForeachWriter;
import io.rivulet.engine.source.Sources;
import io.rivulet.operators.KeyedOperator;
import io.rivulet.operators.Output;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fast source feeding a slow sink: the source must be held back by the full ring (bounded
 * memory: never more records in flight than the rings hold), and nothing may be lost.
 */
@ExtendWith(NoLeakedThreads.class)
class BackpressureTest {
    static final int RING = 256;
    static final long RECORDS = 50_000;

    @Test
    void shouldStallFastSourceBehindSlowSinkWithBoundedInFlightAndNoLoss() throws Exception {
        AtomicLong generated = new AtomicLong();
        AtomicLong written = new AtomicLong();
        AtomicLong maxInFlight = new AtomicLong();
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(Sources.generator(RECORDS, i -> {
                    generated.incrementAndGet();
                    return i;
                }))
                .keyBy(i -> i % 7, 1)
                .process("pass-through", () -> (KeyedOperator<Long, Long, Long>) (k, v, out) -> out.emit(v))
                .writeStream(Sinks.foreach(() -> rowWriter(value -> {
                    long inFlight = generated.get() - written.incrementAndGet();
                    maxInFlight.accumulateAndGet(inFlight, Math::max);
                    if (value % 64 == 0) {
                        LockSupport.parkNanos(20_000); // a slow sink: ~20 µs every 64 rows
                    }
                })))
                .ringCapacity(RING)
                .fuseKeyedStages(false)
                .start();
            query.awaitTermination();
        }
        assertThat(written.get()).isEqualTo(RECORDS);
        // In flight: at most one ring, plus the record being generated.
        assertThat(maxInFlight.get()).isLessThanOrEqualTo(RING + 1).isGreaterThan(RING / 2);
    }

    @Test
    void shouldPublishBatchedRecordsWhenOneSourceCycleOverflowsTheRing() throws Exception {
        // Each input record fans out to 100: one source cycle claims ~25,600 slots of a 256-slot ring, so
        // the exchange must publish its unpublished batch before it waits for capacity, or it deadlocks.
        long inputs = 2_000;
        int fanOut = 100;
        AtomicLong written = new AtomicLong();
        AtomicLong sum = new AtomicLong();
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(Sources.generator(inputs, i -> i))
                .flatMap((Long i, Output<Long> out) -> {
                    for (int j = 0; j < fanOut; j++) {
                        out.emit(i * fanOut + j);
                    }
                })
                .keyBy(i -> i % 3, 2)
                .process("pass-through", () -> (KeyedOperator<Long, Long, Long>) (k, v, out) -> out.emit(v))
                .writeStream(Sinks.foreach(() -> rowWriter(value -> {
                    written.incrementAndGet();
                    sum.addAndGet(value);
                })))
                .ringCapacity(RING)
                .start();
            query.awaitTermination(60_000);
            assertThat(query.isActive()).as("query finished (no deadlock on a full ring)").isFalse();
        }
        long n = inputs * fanOut;
        assertThat(written.get()).isEqualTo(n);
        assertThat(sum.get()).isEqualTo(n * (n - 1) / 2);
    }

    /** A foreach writer that hands every row to {@code onRow}, on the writer's thread. */
    private static ForeachWriter<Long> rowWriter(LongConsumer onRow) {
        return new ForeachWriter<>() {
            @Override
            public boolean open(long partitionId, long epochId) {
                return true;
            }

            @Override
            public void process(Long value) {
                onRow.accept(value);
            }

            @Override
            public void close(Throwable errorOrNull) {
            }
        };
    }
}
