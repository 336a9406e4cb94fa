package io.rivulet.engine.runtime;

import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import io.rivulet.engine.RestartStrategy;
import io.rivulet.engine.internal.QueryOptions;
import io.rivulet.operators.OutputMode;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemNanoClock;

/** Runtime pieces for driving tasks by hand on the test thread: a query that is never started, rings the test publishes into. */
final class Fixtures {
    private Fixtures() {
    }

    /** @return a query that was never launched: its tasks can be built and driven by hand */
    static QueryRuntime unstartedQuery() {
        QueryOptions options = new QueryOptions("test", OutputMode.APPEND, QueryOptions.Execution.CONTINUOUS, 100_000_000L,
            true, false, 0, NoOpIdleStrategy::new, 1, 1024, 1, 128, true, 30_000_000_000L, null, 10,
            RestartStrategy.none(),
            SystemNanoClock.INSTANCE, SystemEpochClock.INSTANCE);
        return new QueryRuntime(options, null, null);
    }

    static TaskContext context(QueryRuntime query, String role) {
        return new TaskContext(query, "rivulet-test-" + role, new NoOpIdleStrategy());
    }

    /**
     * One input of a worker: the ring the test publishes into as its single producer, and the worker's
     * poller. Its slots belong to one side of the stage, as the planner's rings do.
     */
    static final class Input {
        final RingBuffer<Slot> ring;
        final SingleProducerPoller poller;

        /** An input of a one-input stage, or of the left side of a two-input stage. */
        Input() {
            this(Slot.LEFT);
        }

        /**
         * @param side {@link Slot#LEFT} or {@link Slot#RIGHT}: the side the ring feeds
         */
        Input(int side) {
            ring = RingBuffer.createSingleProducer(() -> {
                Slot slot = new Slot();
                slot.input = side;
                return slot;
            }, 1024, new BusySpinWaitStrategy());
            poller = new SingleProducerPoller(ring);
        }

        Input record(String key, Object record) {
            return publish(Slot.RECORD, key, record, 0);
        }

        /** A record of a {@code long}-keyed stage: the exchange writes the key unboxed and no object key. */
        Input longRecord(long key, Object record) {
            publish(Slot.RECORD, null, record, 0);
            ring.get(ring.getCursor()).longKey = key;
            return this;
        }

        Input watermark(long watermarkMs) {
            return publish(Slot.WATERMARK, null, null, watermarkMs);
        }

        Input barrier(long epochId) {
            return publish(Slot.BARRIER, null, null, epochId);
        }

        Input end() {
            return publish(Slot.END, null, null, Slot.END_FLUSH);
        }

        private Input publish(int kind, Object key, Object record, long value) {
            if (!ring.hasAvailableCapacity(1)) {
                throw new IllegalStateException("test ring full: drive the worker before publishing more");
            }
            long sequence = ring.next();
            Slot slot = ring.get(sequence);
            slot.kind = kind;
            slot.key = key;
            slot.record = record;
            slot.value = value;
            ring.publish(sequence);
            return this;
        }
    }
}
