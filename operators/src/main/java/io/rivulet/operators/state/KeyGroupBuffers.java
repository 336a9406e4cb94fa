package io.rivulet.operators.state;

import java.util.Arrays;

/**
 * A {@link KeyGroupWriter} into memory: one {@link SnapshotOutput} per key group of a range, created
 * on first use, and one for operator state. The runtime writes a snapshot into one of these and then
 * stores the non-empty key groups; tests use it to snapshot and restore operators by hand
 * ({@link #restoreInto}).
 *
 * <p>Not thread-safe.
 */
public final class KeyGroupBuffers implements KeyGroupWriter {
    private final int maxParallelism;
    private final KeyGroupRange range;
    private final SnapshotOutput[] outputs;
    private final SnapshotOutput operatorState = new SnapshotOutput();

    /**
     * @param maxParallelism the number of key groups
     * @param range the key groups this writer accepts
     */
    public KeyGroupBuffers(int maxParallelism, KeyGroupRange range) {
        this.maxParallelism = KeyGroups.checkMaxParallelism(maxParallelism);
        if (range.end() > maxParallelism) {
            throw new IllegalArgumentException("key group range " + range + " exceeds maxParallelism " + maxParallelism);
        }
        this.range = range;
        this.outputs = new SnapshotOutput[range.size()];
    }

    /**
     * A writer for every key group.
     *
     * @param maxParallelism the number of key groups
     * @return the writer
     */
    public static KeyGroupBuffers all(int maxParallelism) {
        return new KeyGroupBuffers(maxParallelism, new KeyGroupRange(0, maxParallelism));
    }

    @Override
    public SnapshotOutput forKey(Object key) {
        return forKeyGroup(KeyGroups.keyGroupOf(key, maxParallelism));
    }

    @Override
    public SnapshotOutput forKeyGroup(int keyGroup) {
        if (!range.contains(keyGroup)) {
            throw new IllegalStateException("key group " + keyGroup + " is outside this partition's range " + range
                + ": a key reached a partition that does not own it");
        }
        SnapshotOutput out = outputs[keyGroup - range.start()];
        if (out == null) {
            out = new SnapshotOutput(256);
            outputs[keyGroup - range.start()] = out;
        }
        return out;
    }

    @Override
    public SnapshotOutput operatorState() {
        return operatorState;
    }

    @Override
    public int maxParallelism() {
        return maxParallelism;
    }

    /**
     * @return the key groups this writer accepts
     */
    public KeyGroupRange range() {
        return range;
    }

    /**
     * @param keyGroup a key group of the range
     * @return its output as written (bytes {@code [0, length())}), or {@code null} if never used
     */
    public SnapshotOutput written(int keyGroup) {
        return range.contains(keyGroup) ? outputs[keyGroup - range.start()] : null;
    }

    /**
     * @param keyGroup a key group of the range
     * @return its bytes, or {@code null} if nothing was written to it
     */
    public byte[] keyGroupBytes(int keyGroup) {
        SnapshotOutput out = range.contains(keyGroup) ? outputs[keyGroup - range.start()] : null;
        return out == null || out.length() == 0 ? null : out.toByteArray();
    }

    /**
     * @return the operator state's bytes (possibly empty)
     */
    public byte[] operatorStateBytes() {
        return operatorState.toByteArray();
    }

    /**
     * Restores a fresh operator from what this writer holds: every non-empty key group of
     * {@code into}'s range, then the operator state.
     *
     * @param operator a fresh operator
     * @param intoRange the key groups the operator's partition owns
     */
    public void restoreInto(CheckpointedOperator operator, KeyGroupRange intoRange) {
        for (int g = Math.max(range.start(), intoRange.start()); g < Math.min(range.end(), intoRange.end()); g++) {
            byte[] bytes = keyGroupBytes(g);
            if (bytes != null) {
                operator.restoreKeyGroup(g, new SnapshotInput(bytes));
            }
        }
        if (operatorState.length() > 0) {
            operator.restoreOperatorState(new SnapshotInput(operatorStateBytes()));
        }
    }

    /** Empties every output, keeping their capacity. */
    public void reset() {
        for (SnapshotOutput out : outputs) {
            if (out != null) {
                out.reset();
            }
        }
        operatorState.reset();
    }

    @Override
    public String toString() {
        return "KeyGroupBuffers" + range + " of " + maxParallelism + ", used "
            + Arrays.stream(outputs).filter(o -> o != null && o.length() > 0).count();
    }
}
