package io.rivulet.engine.runtime;

import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.RingBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SingleProducerPollerTest {
    private final RingBuffer<Slot> ring = RingBuffer.createSingleProducer(Slot::new, 8, new BusySpinWaitStrategy());
    private final SingleProducerPoller poller = new SingleProducerPoller(ring);
    private final List<String> handed = new ArrayList<>();

    private void publish(int n) {
        for (int i = 0; i < n; i++) {
            ring.publish(ring.next());
        }
    }

    /** Takes slots until it has taken {@code limit}, then declines the next poll's slots. */
    private EventPoller.Handler<Slot> takingUpTo(int limit) {
        return (slot, sequence, endOfBatch) -> {
            handed.add(sequence + (endOfBatch ? "!" : ""));
            return handed.size() < limit;
        };
    }

    @Test
    void shouldHandPublishedSlotsInOrderUpToTheSlotWhereTheHandlerDeclinesAndGoOnFromTheNext() throws Exception {
        publish(5);
        poller.poll(takingUpTo(3));
        assertThat(handed).containsExactly("0", "1", "2");
        poller.poll(takingUpTo(10));
        assertThat(handed).containsExactly("0", "1", "2", "3", "4!");
    }

    @Test
    void shouldHandNothingOfASlotClaimedButNotYetPublished() throws Exception {
        long claimed = ring.next();
        poller.poll(takingUpTo(10));
        assertThat(handed).isEmpty();
        ring.publish(claimed);
        poller.poll(takingUpTo(10));
        assertThat(handed).containsExactly("0!");
    }

    @Test
    void shouldFreeHandledSlotsForTheProducerOnlyAsFarAsItHandedThem() throws Exception {
        publish(8);
        assertThat(ring.hasAvailableCapacity(1)).as("ring full").isFalse();
        poller.poll(takingUpTo(2));
        assertThat(ring.remainingCapacity()).isEqualTo(2);
    }

    @Test
    void shouldKeepTheSlotsHandledBeforeAHandlerFailureAndHandTheFailedSlotAgain() throws Exception {
        publish(3);
        assertThatThrownBy(() -> poller.poll((slot, sequence, endOfBatch) -> {
            if (sequence == 1) {
                throw new IllegalStateException("bad slot");
            }
            handed.add(Long.toString(sequence));
            return true;
        })).hasMessage("bad slot");
        poller.poll(takingUpTo(10));
        assertThat(handed).containsExactly("0", "1", "2!");
    }
}
