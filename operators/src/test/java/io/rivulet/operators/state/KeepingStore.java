package io.rivulet.operators.state;

import java.util.BitSet;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A runtime's checkpoint storage in miniature, for tests of {@link KeyGroupWriter#keepKeyGroup}: the
 * durable blocks of one operator partition by key group; each write either completes (it becomes the
 * base of the next) or aborts (the base stays). Records which key groups each write wrote and kept.
 *
 * <p>Not thread-safe.
 */
public final class KeepingStore {
    private final int maxParallelism;
    private final KeyGroupRange range;
    private Map<Integer, byte[]> durable = new TreeMap<>();
    private byte[] durableOperatorState = new byte[0];
    private long baseId = KeyGroupWriter.NO_SNAPSHOT;
    private long nextId;

    /**
     * @param maxParallelism the number of key groups
     * @param range the key groups the operator partition owns
     */
    public KeepingStore(int maxParallelism, KeyGroupRange range) {
        this.maxParallelism = maxParallelism;
        this.range = range;
    }

    /**
     * A store whose durable state is a restored checkpoint: its blocks are the base of the first write.
     *
     * @param checkpointId the restored checkpoint's id
     * @param blocks its key group blocks
     * @return this
     */
    public KeepingStore restoredFrom(long checkpointId, Map<Integer, byte[]> blocks) {
        durable = new TreeMap<>(blocks);
        baseId = checkpointId;
        nextId = checkpointId + 1;
        return this;
    }

    /** @return a writer for the next snapshot, kept against the current base */
    public Write begin() {
        return new Write(nextId++, baseId);
    }

    /** @return the durable key group blocks, by key group */
    public Map<Integer, byte[]> blocks() {
        return durable;
    }

    /** @return the durable operator state */
    public byte[] operatorState() {
        return durableOperatorState;
    }

    /**
     * Restores a fresh operator from the durable blocks of a key group range.
     *
     * @param operator the operator
     * @param into the range its partition owns
     */
    public void restoreInto(CheckpointedOperator operator, KeyGroupRange into) {
        durable.forEach((g, bytes) -> {
            if (into.contains(g)) {
                operator.restoreKeyGroup(g, new SnapshotInput(bytes));
            }
        });
        if (durableOperatorState.length > 0) {
            operator.restoreOperatorState(new SnapshotInput(durableOperatorState));
        }
    }

    /** One write: the key groups written go to buffers, the kept ones are recorded. */
    public final class Write implements KeyGroupWriter {
        private final long id;
        private final long base;
        private final KeyGroupBuffers buffers;
        private final BitSet kept = new BitSet();
        private boolean ended;

        Write(long id, long base) {
            this.id = id;
            this.base = base;
            this.buffers = new KeyGroupBuffers(maxParallelism, range);
        }

        @Override
        public SnapshotOutput forKey(Object key) {
            return forKeyGroup(KeyGroups.keyGroupOf(key, maxParallelism));
        }

        @Override
        public SnapshotOutput forKeyGroup(int keyGroup) {
            assertThat(kept.get(keyGroup)).as("key group %s written after it was kept", keyGroup).isFalse();
            return buffers.forKeyGroup(keyGroup);
        }

        @Override
        public SnapshotOutput operatorState() {
            return buffers.operatorState();
        }

        @Override
        public int maxParallelism() {
            return maxParallelism;
        }

        @Override
        public long snapshotId() {
            return id;
        }

        @Override
        public long baseSnapshotId() {
            return base;
        }

        @Override
        public void keepKeyGroup(int keyGroup) {
            assertThat(base).as("keepKeyGroup without a base").isNotEqualTo(NO_SNAPSHOT);
            assertThat(range.contains(keyGroup)).as("kept key group %s outside %s", keyGroup, range).isTrue();
            assertThat(kept.get(keyGroup)).as("key group %s kept twice", keyGroup).isFalse();
            SnapshotOutput out = buffers.written(keyGroup);
            assertThat(out == null || out.length() == 0).as("key group %s kept after it was written", keyGroup).isTrue();
            assertThat(durable).as("kept key group %s is not in the base", keyGroup).containsKey(keyGroup);
            kept.set(keyGroup);
        }

        /** @return the key groups written (non-empty) */
        public BitSet writtenGroups() {
            BitSet groups = new BitSet();
            for (int g = range.start(); g < range.end(); g++) {
                if (buffers.keyGroupBytes(g) != null) {
                    groups.set(g);
                }
            }
            return groups;
        }

        /** @return the key groups kept */
        public BitSet keptGroups() {
            return (BitSet) kept.clone();
        }

        /** @return the bytes written for a key group, or {@code null} */
        public byte[] bytes(int keyGroup) {
            return buffers.keyGroupBytes(keyGroup);
        }

        /**
         * Makes the write durable: its written blocks and the kept ones of the base become the base.
         *
         * @return this
         */
        public Write complete() {
            end();
            Map<Integer, byte[]> next = new TreeMap<>();
            for (int g = range.start(); g < range.end(); g++) {
                byte[] bytes = buffers.keyGroupBytes(g);
                if (bytes != null) {
                    next.put(g, bytes);
                } else if (kept.get(g)) {
                    next.put(g, durable.get(g));
                }
            }
            durable = next;
            durableOperatorState = buffers.operatorStateBytes();
            baseId = id;
            return this;
        }

        /**
         * Abandons the write: the base stays.
         *
         * @return this
         */
        public Write abort() {
            end();
            return this;
        }

        private void end() {
            assertThat(ended).as("write ended twice").isFalse();
            ended = true;
        }
    }
}
