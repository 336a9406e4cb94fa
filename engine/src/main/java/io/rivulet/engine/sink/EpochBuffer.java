package io.rivulet.engine.sink;

import io.rivulet.operators.KeyValue;
import io.rivulet.operators.window.WindowedValue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rows of each epoch, kept per writer until the sink commits the epoch.
 *
 * <p>A writer adds to its current part on its own thread and seals the part when it ends the epoch;
 * a writer may already be adding rows of the next epoch while others finish this one. {@link #take}
 * runs in {@link Sink#commit}, after every writer sealed the epoch; the epoch committer's lock
 * orders each seal before the take.
 *
 * @param <T> record type
 */
final class EpochBuffer<T> {
    private final List<T>[] current;
    private final long[] seen;
    private final int keepPerWriter;
    /** Per writer, the epoch's rows by result key; {@code null} when not coalescing. */
    private final LinkedHashMap<Object, T>[] latest;
    private final ConcurrentHashMap<Long, Part<T>[]> sealed = new ConcurrentHashMap<>();

    /** What one writer sealed for one epoch. */
    private record Part<T>(List<T> rows, long seen) {
    }

    /**
     * The rows of one committed epoch.
     *
     * @param rows kept rows, writer by writer, in arrival order within a writer
     * @param count rows the writers received, kept or not
     * @param <T> record type
     */
    record Batch<T>(List<T> rows, long count) {
    }

    /**
     * @param writers number of writers
     * @param keepPerWriter rows kept per writer and epoch (the rest are only counted)
     */
    EpochBuffer(int writers, int keepPerWriter) {
        this(writers, keepPerWriter, false);
    }

    /**
     * @param writers number of writers
     * @param keepPerWriter rows kept per writer and epoch (the rest are only counted)
     * @param coalesce whether each result key keeps only its last row of the epoch (see the class comment)
     */
    @SuppressWarnings("unchecked")
    EpochBuffer(int writers, int keepPerWriter, boolean coalesce) {
        this.current = new List[writers];
        for (int i = 0; i < writers; i++) {
            current[i] = new ArrayList<>();
        }
        this.seen = new long[writers];
        this.keepPerWriter = keepPerWriter;
        this.latest = coalesce ? new LinkedHashMap[writers] : null;
        if (coalesce) {
            for (int i = 0; i < writers; i++) {
                latest[i] = new LinkedHashMap<>();
            }
        }
    }

    /**
     * @param row a result row
     * @return what identifies the row's result key in update mode, or a new object (a row of its own)
     */
    static Object resultKey(Object row) {
        if (row instanceof KeyValue<?, ?> kv) {
            return Arrays.asList(KeyValue.class, kv.key());
        }
        if (row instanceof WindowedValue<?, ?> wv) {
            return Arrays.asList(WindowedValue.class, wv.key(), wv.window());
        }
        return new Object();
    }

    /** Called by writer {@code writer}'s thread. */
    void add(int writer, T record) {
        if (latest != null) {
            // put keeps a key's first position and takes its last value.
            latest[writer].put(resultKey(record), record);
            return;
        }
        seen[writer]++;
        List<T> rows = current[writer];
        if (rows.size() < keepPerWriter) {
            rows.add(record);
        }
    }

    /** Called by writer {@code writer}'s thread when it ends {@code epochId}. */
    @SuppressWarnings("unchecked")
    void seal(int writer, long epochId) {
        if (latest != null && !latest[writer].isEmpty()) {
            for (T row : latest[writer].values()) {
                seen[writer]++;
                if (current[writer].size() < keepPerWriter) {
                    current[writer].add(row);
                }
            }
            latest[writer].clear();
        }
        if (seen[writer] == 0) {
            return;
        }
        sealed.computeIfAbsent(epochId, e -> new Part[current.length])[writer] = new Part<>(current[writer], seen[writer]);
        current[writer] = new ArrayList<>();
        seen[writer] = 0;
    }

    /**
     * @param writer a writer index
     * @return a sink writer that adds to, and seals, that writer's parts
     */
    SinkWriter<T> writer(int writer) {
        return new SinkWriter<>() {
            @Override
            public void write(T record) {
                add(writer, record);
            }

            @Override
            public void endEpoch(long epochId) {
                seal(writer, epochId);
            }
        };
    }

    /**
     * Takes the rows of a committed epoch.
     *
     * @param epochId the epoch
     * @param limit most rows to return
     * @return the epoch's rows and count
     */
    Batch<T> take(long epochId, int limit) {
        Part<T>[] parts = sealed.remove(epochId);
        if (parts == null) {
            return new Batch<>(List.of(), 0);
        }
        List<T> rows = new ArrayList<>();
        long count = 0;
        for (Part<T> part : parts) {
            if (part != null) {
                count += part.seen();
                for (int r = 0; r < part.rows().size() && rows.size() < limit; r++) {
                    rows.add(part.rows().get(r));
                }
            }
        }
        return new Batch<>(rows, count);
    }

    /** Publishes one staged epoch (a sink's commit of it). */
    @FunctionalInterface
    interface Publisher {
        void publish(long epochId) throws Exception;
    }

    /**
     * A previous run's buffer after a restart ({@link Sink#recover}): publishes, in epoch order, the
     * epochs it staged after {@code committedThrough} and up to {@code checkpointedEpoch}; the rest,
     * which the restarted query produces again, are left to be dropped with the buffer.
     *
     * @param committedThrough the newest epoch the sink already published
     * @param checkpointedEpoch the epoch of the checkpoint the query restarts from
     * @param publisher publishes one epoch from this buffer
     * @throws Exception what the publisher throws
     */
    void recover(long committedThrough, long checkpointedEpoch, Publisher publisher) throws Exception {
        List<Long> epochs = new ArrayList<>(sealed.keySet());
        epochs.sort(null);
        for (long epoch : epochs) {
            if (epoch > committedThrough && epoch <= checkpointedEpoch) {
                publisher.publish(epoch);
            }
        }
    }
}
