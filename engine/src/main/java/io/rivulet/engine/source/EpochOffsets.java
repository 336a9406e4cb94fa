package io.rivulet.engine.source;

import io.rivulet.journal.Journal;

import java.util.Arrays;

/**
 * The journal offset a replayable reader noted at each epoch end, kept until the epoch commits:
 * {@link #onEpochEnd} adds, {@link #committed} takes every epoch up to the committed one and returns
 * the newest offset among them (commits may skip epochs).
 *
 * <p>Not thread-safe; owned by the source task. Grows only while commits lag (a few epochs).
 */
final class EpochOffsets {
    private long[] epochs = new long[16];
    private long[] offsets = new long[16];
    private int head;
    private int size;

    void onEpochEnd(long epochId, long offset) {
        if (offset == Journal.NO_OFFSET) {
            return;
        }
        if (size == epochs.length) {
            grow();
        }
        int slot = (head + size) & (epochs.length - 1);
        epochs[slot] = epochId;
        offsets[slot] = offset;
        size++;
    }

    /**
     * @param committedEpoch the newest committed epoch
     * @return the offset noted for the newest epoch at or below it, or {@link Journal#NO_OFFSET}
     */
    long committed(long committedEpoch) {
        long offset = Journal.NO_OFFSET;
        while (size > 0 && epochs[head] <= committedEpoch) {
            offset = offsets[head];
            head = (head + 1) & (epochs.length - 1);
            size--;
        }
        return offset;
    }

    private void grow() {
        long[] newEpochs = new long[epochs.length * 2];
        long[] newOffsets = new long[offsets.length * 2];
        for (int i = 0; i < size; i++) {
            int slot = (head + i) & (epochs.length - 1);
            newEpochs[i] = epochs[slot];
            newOffsets[i] = offsets[slot];
        }
        epochs = newEpochs;
        offsets = newOffsets;
        head = 0;
    }

    @Override
    public String toString() {
        return "EpochOffsets" + Arrays.toString(Arrays.copyOf(epochs, size));
    }
}
