package io.rivulet.engine.source;

import io.rivulet.operators.state.SnapshotInput;
import io.rivulet.operators.state.SnapshotOutput;

import java.time.Duration;

/**
 * A {@link SourceContext} whose clocks move only when the test advances them, so a reader can be
 * driven single-threaded without sleeping.
 *
 * <p>Not thread-safe; owned by the test thread.
 */
final class ManualSourceContext implements SourceContext {
    private final int partition;
    private final int numPartitions;
    private long nanoTime;
    private long epochMillis;
    private SnapshotInput restoredPosition;
    private boolean checkpointing;

    ManualSourceContext(int partition, int numPartitions, long startNs, long startMs) {
        this.partition = partition;
        this.numPartitions = numPartitions;
        this.nanoTime = startNs;
        this.epochMillis = startMs;
    }

    static ManualSourceContext single() {
        return new ManualSourceContext(0, 1, 1_000_000_000L, 1_700_000_000_000L);
    }

    /** The next reader opened with this context resumes after {@code position} and retains for checkpoints. */
    ManualSourceContext restoring(SnapshotOutput position) {
        this.restoredPosition = position == null ? null : position.asInput();
        this.checkpointing = true;
        return this;
    }

    /** Readers opened with this context are asked for positions. */
    ManualSourceContext withCheckpoints() {
        this.checkpointing = true;
        return this;
    }

    /** Moves both clocks forward by {@code step}. */
    void advance(Duration step) {
        advanceNs(step.toNanos());
    }

    /** Moves both clocks forward by {@code stepNs}; the wall clock keeps whole milliseconds. */
    void advanceNs(long stepNs) {
        long msBefore = nanoTime / 1_000_000L;
        nanoTime += stepNs;
        epochMillis += nanoTime / 1_000_000L - msBefore;
    }

    @Override
    public int partition() {
        return partition;
    }

    @Override
    public int numPartitions() {
        return numPartitions;
    }

    @Override
    public String queryName() {
        return "manual";
    }

    @Override
    public long nanoTime() {
        return nanoTime;
    }

    @Override
    public long epochMillis() {
        return epochMillis;
    }

    @Override
    public SnapshotInput restoredPosition() {
        return restoredPosition;
    }

    @Override
    public boolean checkpointing() {
        return checkpointing;
    }
}
