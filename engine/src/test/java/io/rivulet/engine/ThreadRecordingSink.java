package io.rivulet.engine;

import io.rivulet.engine.sink.ForeachWriter;
import io.rivulet.engine.sink.Sink;
import io.rivulet.engine.sink.Sinks;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Counts and sums the {@code Long} rows a query writes and records the names of the threads that wrote them. Thread-safe. */
final class ThreadRecordingSink {
    final Set<String> threads = ConcurrentHashMap.newKeySet();
    final AtomicLong count = new AtomicLong();
    final AtomicLong sum = new AtomicLong();

    /** @return a foreach sink feeding this recorder */
    Sink<Long> sink() {
        return Sinks.foreach(() -> new ForeachWriter<Long>() {
            @Override
            public boolean open(long partitionId, long epochId) {
                return true;
            }

            @Override
            public void process(Long value) {
                threads.add(Thread.currentThread().getName());
                count.incrementAndGet();
                sum.addAndGet(value);
            }

            @Override
            public void close(Throwable errorOrNull) {
            }
        });
    }
}
