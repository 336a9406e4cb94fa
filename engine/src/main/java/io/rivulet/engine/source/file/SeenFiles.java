package io.rivulet.engine.source.file;

import io.rivulet.operators.state.SnapshotInput;
import io.rivulet.operators.state.SnapshotOutput;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The files a file source has taken, by key (the path, or the file name with {@code fileNameOnly}),
 * with their modification time and the epoch that took them: Spark's {@code SeenFilesMap} and the
 * content of its {@code FileStreamSourceLog}, kept in the source's checkpointed position.
 *
 * <p>A file is new when its key is not here and its modification time is at or above the purge
 * threshold. {@link #purge()} forgets the files older than the newest one seen minus
 * {@code maxFileAge} and raises the threshold to that age, so forgotten files stay ignored (Spark's
 * compaction of its log). Before the first purge the threshold is 0: the first listing takes every
 * file, however old (as in Spark). The set holds at most the files whose modification time lies
 * within {@code maxFileAge} of the newest, which bounds the position written into every checkpoint.
 *
 * <p>Not thread-safe; owned by the source task.
 */
final class SeenFiles {
    /** The epoch of a file taken in the epoch still open. */
    static final long OPEN_EPOCH = -1;

    private final long maxAgeMs;
    private final Map<String, long[]> entries = new HashMap<>();
    private long latestMs = Long.MIN_VALUE;
    private long purgedBelowMs;

    /**
     * @param maxAgeMs {@code maxFileAge} in milliseconds, {@link Long#MAX_VALUE} to keep every file
     */
    SeenFiles(long maxAgeMs) {
        this.maxAgeMs = maxAgeMs;
    }

    boolean isNew(String key, long modifiedMs) {
        return modifiedMs >= purgedBelowMs && !entries.containsKey(key);
    }

    void add(String key, long modifiedMs) {
        entries.put(key, new long[] {modifiedMs, OPEN_EPOCH});
        latestMs = Math.max(latestMs, modifiedMs);
    }

    /** Files taken while epoch {@code epochId} was open now belong to it. */
    void closeEpoch(long epochId) {
        for (long[] entry : entries.values()) {
            if (entry[1] == OPEN_EPOCH) {
                entry[1] = epochId;
            }
        }
    }

    /** @return how many files were forgotten */
    int purge() {
        if (maxAgeMs == Long.MAX_VALUE || latestMs == Long.MIN_VALUE) {
            return 0;
        }
        purgedBelowMs = Math.max(purgedBelowMs, latestMs - maxAgeMs);
        int purged = 0;
        for (Iterator<long[]> it = entries.values().iterator(); it.hasNext(); ) {
            if (it.next()[0] < purgedBelowMs) {
                it.remove();
                purged++;
            }
        }
        return purged;
    }

    int size() {
        return entries.size();
    }

    /** @return the epoch that took {@code key}, {@link #OPEN_EPOCH} while it is open, or -2 if not seen */
    long epochOf(String key) {
        long[] entry = entries.get(key);
        return entry == null ? -2 : entry[1];
    }

    long purgedBelowMs() {
        return purgedBelowMs;
    }

    void write(SnapshotOutput out) {
        out.writeLong(latestMs).writeLong(purgedBelowMs).writeVarInt(entries.size());
        for (Map.Entry<String, long[]> e : entries.entrySet()) {
            out.writeString(e.getKey()).writeLong(e.getValue()[0]).writeLong(e.getValue()[1]);
        }
    }

    void read(SnapshotInput in) {
        latestMs = in.readLong();
        purgedBelowMs = in.readLong();
        int count = in.readVarInt();
        for (int i = 0; i < count; i++) {
            entries.put(in.readString(), new long[] {in.readLong(), in.readLong()});
        }
    }
}
