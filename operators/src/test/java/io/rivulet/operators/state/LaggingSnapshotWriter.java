package io.rivulet.operators.state;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The writer side of the hand-over tests: a thread that writes an operator's snapshots while the owner
 * (the test's thread) goes on changing the state, each snapshot only once the owner has taken two more,
 * so the owner changes entries the writer has not copied yet (copy-on-write). A snapshot marked not to
 * be written is released (as a skipped or aborted checkpoint: its delta is applied by the next write).
 * Each written snapshot is read back and compared with the model the owner copied at its barrier.
 *
 * @param <X> what a snapshot reads back as
 */
public final class LaggingSnapshotWriter<X> {
    private record Barrier<X>(OperatorSnapshot snapshot, X expected, Function<OperatorSnapshot, X> readBack,
                              boolean write) {
    }

    private final LinkedBlockingQueue<Barrier<X>> barriers = new LinkedBlockingQueue<>();
    private final Barrier<X> end = new Barrier<>(null, null, null, false);
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger checked = new AtomicInteger();
    private final Thread thread = new Thread(this::run, "snapshot-writer");

    /** Starts the writer thread. */
    public LaggingSnapshotWriter() {
        thread.start();
    }

    /**
     * Hands a barrier's snapshot to the writer. Owner thread.
     *
     * @param snapshot the snapshot taken at the barrier
     * @param expected the model as of the barrier (a copy the owner does not change)
     * @param readBack reads a written snapshot back into the model's form (on the writer thread)
     * @param write whether the snapshot is written, or released unwritten
     */
    public void barrier(OperatorSnapshot snapshot, X expected, Function<OperatorSnapshot, X> readBack, boolean write) {
        barriers.add(new Barrier<>(Objects.requireNonNull(snapshot, "snapshot"), expected, readBack, write));
    }

    /**
     * Ends the run: waits for the writer to write what is left and asserts that every written snapshot
     * read back as its model.
     *
     * @return how many snapshots were written and checked
     * @throws InterruptedException if interrupted while waiting
     */
    public int finish() throws InterruptedException {
        barriers.add(end);
        thread.join(TimeUnit.MINUTES.toMillis(2));
        assertThat(thread.isAlive()).as("writer finished").isFalse();
        assertThat(failures).isEmpty();
        return checked.get();
    }

    private void run() {
        ArrayDeque<Barrier<X>> lag = new ArrayDeque<>();
        try {
            for (Barrier<X> next = barriers.take(); ; next = barriers.take()) {
                if (next != end) {
                    lag.add(next);
                }
                while (lag.size() > (next == end ? 0 : 2)) {
                    Barrier<X> b = lag.poll();
                    if (!b.write()) {
                        b.snapshot().release();
                        continue;
                    }
                    X written = b.readBack().apply(b.snapshot());
                    if (!written.equals(b.expected())) {
                        failures.add("expected " + b.expected() + " but the snapshot held " + written);
                    }
                    checked.incrementAndGet();
                }
                if (next == end) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            failures.add(e.toString());
        }
    }
}
