package io.rivulet.engine.runtime;

import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.RingBuffer;
import io.rivulet.bench.jmh.BenchmarkDefaults;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.infra.Control;

import java.util.concurrent.TimeUnit;

/**
 * One ring hop, as the engine's keyed exchange does it, with the engine's own classes: a single-producer Disruptor
 * {@link RingBuffer} of the runtime's pre-allocated {@link Slot}s, the producer claims a slot, fills it and
 * publishes; the consumer thread takes it through the runtime's {@link SingleProducerPoller}, as a
 * {@link PartitionWorker} does (it polls, it never blocks on the ring's wait strategy). In the runtime's package to
 * reach those package-private classes.
 *
 * <p>{@code hop} runs the producer and the consumer on two threads (group {@code hop}: {@code publish} and
 * {@code take}; the {@code take} score is hops per µs). {@code sameThread} is the baseline: publish then take on one
 * thread, the ring's own cost without the cache-line transfer between cores. {@code hopBatched} is the engine's
 * exchange since batched publication: the producer fills {@value #BATCH} slots and publishes them with one store of
 * the cursor, the consumer takes them in one poll (its scores are per record, {@code @OperationsPerInvocation}). All
 * spin when the ring is full or empty, and give up when JMH ends the iteration. Throughput mode; expect 0 B/op.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RingHopBenchmark extends BenchmarkDefaults
{
    /** Records per published batch in {@code hopBatched}: a quarter of the default source duty cycle (256). */
    static final int BATCH = 64;

    /** Takes exactly one slot per poll. Owned by the consumer thread. */
    static final class TakeOne implements EventPoller.Handler<Slot>
    {
        long taken;
        /** Slots taken since the consumer last looked. */
        int count;

        @Override
        public boolean onEvent(final Slot slot, final long sequence, final boolean endOfBatch)
        {
            taken = slot.value;
            count++;
            return false;
        }
    }

    /** Takes every available slot, up to what is still owed. Owned by the consumer thread. */
    static final class TakeUpTo implements EventPoller.Handler<Slot>
    {
        long taken;
        int owed;

        @Override
        public boolean onEvent(final Slot slot, final long sequence, final boolean endOfBatch)
        {
            taken = slot.value;
            return --owed > 0;
        }
    }

    /** The batched consumer's handler. */
    @State(Scope.Thread)
    public static class BatchConsumer
    {
        final TakeUpTo handler = new TakeUpTo();
    }

    /** The ring the two threads of one group share. */
    @State(Scope.Group)
    public static class SharedRing
    {
        @Param({"1024"})
        int capacity;
        RingBuffer<Slot> ring;
        SingleProducerPoller poller;

        @Setup
        public void setUp()
        {
            ring = RingBuffer.createSingleProducer(Slot::new, capacity, new BusySpinWaitStrategy());
            poller = new SingleProducerPoller(ring);
        }
    }

    /** The producer's counter. */
    @State(Scope.Thread)
    public static class Producer
    {
        long next;
    }

    /** The consumer's handler. */
    @State(Scope.Thread)
    public static class Consumer
    {
        final TakeOne handler = new TakeOne();
    }

    /** A ring used by one thread only, for the baseline. */
    @State(Scope.Thread)
    public static class LocalRing
    {
        @Param({"1024"})
        int capacity;
        RingBuffer<Slot> ring;
        SingleProducerPoller poller;
        final TakeOne handler = new TakeOne();
        long next;

        @Setup
        public void setUp()
        {
            ring = RingBuffer.createSingleProducer(Slot::new, capacity, new BusySpinWaitStrategy());
            poller = new SingleProducerPoller(ring);
        }
    }

    /**
     * Producer side of one hop: claim, fill, publish; spins while the ring is full.
     *
     * @param shared   the ring.
     * @param producer the counter.
     * @param control  JMH's iteration control.
     */
    @Benchmark
    @Group("hop")
    @GroupThreads(1)
    public void publish(final SharedRing shared, final Producer producer, final Control control)
    {
        final RingBuffer<Slot> ring = shared.ring;
        while (!ring.hasAvailableCapacity(1))
        {
            if (control.stopMeasurement)
            {
                return;
            }
            Thread.onSpinWait();
        }
        final long sequence = ring.next();
        ring.get(sequence).value = producer.next++;
        ring.publish(sequence);
    }

    /**
     * Consumer side of one hop: polls until it took one slot.
     *
     * @param shared   the ring.
     * @param consumer the handler.
     * @param control  JMH's iteration control.
     * @param bh       consumes the slot's value.
     * @throws Exception never; {@link SingleProducerPoller#poll} declares it.
     */
    @Benchmark
    @Group("hop")
    @GroupThreads(1)
    public void take(final SharedRing shared, final Consumer consumer, final Control control, final Blackhole bh)
        throws Exception
    {
        final SingleProducerPoller poller = shared.poller;
        final TakeOne handler = consumer.handler;
        handler.count = 0;
        poller.poll(handler);
        while (handler.count == 0)
        {
            if (control.stopMeasurement)
            {
                return;
            }
            Thread.onSpinWait();
            poller.poll(handler);
        }
        bh.consume(handler.taken);
    }

    /**
     * Baseline: publish and take one slot on the same thread.
     *
     * @param local the thread's own ring.
     * @param bh    consumes the slot's value.
     * @throws Exception never; {@link SingleProducerPoller#poll} declares it.
     */
    @Benchmark
    public void sameThread(final LocalRing local, final Blackhole bh) throws Exception
    {
        final RingBuffer<Slot> ring = local.ring;
        final long sequence = ring.next();
        ring.get(sequence).value = local.next++;
        ring.publish(sequence);
        local.poller.poll(local.handler);
        bh.consume(local.handler.taken);
    }

    /**
     * Producer side of a batched hop: claims and fills {@value #BATCH} slots, then publishes them at once.
     *
     * @param shared   the ring.
     * @param producer the counter.
     * @param control  JMH's iteration control.
     */
    @Benchmark
    @Group("hopBatched")
    @GroupThreads(1)
    @OperationsPerInvocation(BATCH)
    public void publishBatch(final SharedRing shared, final Producer producer, final Control control)
    {
        final RingBuffer<Slot> ring = shared.ring;
        while (!ring.hasAvailableCapacity(BATCH))
        {
            if (control.stopMeasurement)
            {
                return;
            }
            Thread.onSpinWait();
        }
        final long hi = ring.next(BATCH);
        for (long sequence = hi - BATCH + 1; sequence <= hi; sequence++)
        {
            ring.get(sequence).value = producer.next++;
        }
        ring.publish(hi);
    }

    /**
     * Consumer side of a batched hop: polls until it took {@value #BATCH} slots.
     *
     * @param shared   the ring.
     * @param consumer the handler.
     * @param control  JMH's iteration control.
     * @param bh       consumes the last slot's value.
     * @throws Exception never; {@link SingleProducerPoller#poll} declares it.
     */
    @Benchmark
    @Group("hopBatched")
    @GroupThreads(1)
    @OperationsPerInvocation(BATCH)
    public void takeBatch(final SharedRing shared, final BatchConsumer consumer, final Control control,
        final Blackhole bh) throws Exception
    {
        final SingleProducerPoller poller = shared.poller;
        final TakeUpTo handler = consumer.handler;
        handler.owed = BATCH;
        while (handler.owed > 0)
        {
            final int owed = handler.owed;
            poller.poll(handler);
            if (handler.owed == owed)
            {
                if (control.stopMeasurement)
                {
                    return;
                }
                Thread.onSpinWait();
            }
        }
        bh.consume(handler.taken);
    }
}
