package io.rivulet.engine.runtime;

import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;

/**
 * The consuming side of one single-producer ring: hands each published slot to a handler, in order, until the
 * handler declines or nothing more is published, then records how far it got in its gating sequence (which frees
 * the slots for the producer).
 *
 * <p>The Disruptor's {@link EventPoller} does the same, but when nothing is published it reads the producer's
 * cursor a second time to tell "claimed, not yet published" ({@code GATING}) from "nothing" ({@code IDLE}). On a
 * single-producer ring that second read differs from the first only on a race (the producer published between the
 * two), so C2 compiles the branch as never taken, and the first race, at any moment of a run, deoptimises the
 * worker's whole compiled duty cycle (docs/benchmarks.md, "Issue 14, session 11"). This poller reads the cursor
 * once and has no such branch; a worker needs no poll state, only the slots.
 *
 * <p>Only for rings created with {@link RingBuffer#createSingleProducer}: there the cursor is the highest published
 * sequence. Not thread-safe; owned by the consuming worker's thread.
 */
final class SingleProducerPoller {
    private final RingBuffer<Slot> ring;
    private final Sequence sequence = new Sequence(RingBuffer.INITIAL_CURSOR_VALUE);

    /**
     * Registers as the ring's consumer: the producer never overwrites a slot this poller has not passed.
     *
     * @param ring a single-producer ring
     */
    SingleProducerPoller(RingBuffer<Slot> ring) {
        this.ring = ring;
        ring.addGatingSequences(sequence);
    }

    /**
     * Hands the published slots after the last one handed, in order, to {@code handler}, until it returns
     * {@code false} (that slot counts as handled) or none is left.
     *
     * @param handler receives each slot, its sequence and whether it is the last published one
     * @throws Exception what the handler throws; the slots handled before it stay handled
     */
    void poll(EventPoller.Handler<Slot> handler) throws Exception {
        long first = sequence.get() + 1;
        long published = ring.getCursor();
        if (first > published) {
            return;
        }
        // An int count, at most the ring's capacity: a plain counted loop for C2.
        int count = (int) (published - first + 1);
        int handled = 0;
        try {
            boolean more;
            do {
                long next = first + handled;
                more = handler.onEvent(ring.get(next), next, handled == count - 1);
                handled++;
            } while (more && handled < count);
        } finally {
            sequence.set(first + handled - 1);
        }
    }
}
