package io.rivulet.operators.state;

import java.util.Arrays;
import java.util.HashMap;
import java.util.TreeSet;

/**
 * The timers of one {@link KeyedStateBackend}: event-time and processing-time timers per key.
 *
 * <p>A timer is (key, timestamp, domain); registering the same one twice keeps one, which fires once.
 * Timers fire in timestamp order; timers of equal timestamp fire in the order they were first
 * registered (a registration sequence that snapshots keep, so a restored operator fires them in the
 * same order). Event-time timers fire when the watermark passed to {@link #advanceWatermark} is
 * {@code >=} their timestamp; processing-time timers when the time passed to
 * {@link #advanceProcessingTime} is. A timer registered by a callback at a time already reached fires
 * in the same advance. Before each callback the timer's key becomes the backend's current key.
 *
 * <p>Timers are state: kept per key group (of the timer's key), copy-on-write like the other state, and
 * written in each key group's snapshot. Not thread-safe; owned by the partition worker.
 *
 * @param <K> key type
 */
public final class KeyedTimers<K> {
    /**
     * Receives fired timers. The backend's current key is the timer's key.
     */
    @FunctionalInterface
    public interface Handler {
        /**
         * @param timestampMs the timer's timestamp
         * @param domain its time domain
         */
        void onTimer(long timestampMs, TimeDomain domain);
    }

    /** A timer; equal by key, timestamp and domain. */
    static final class Timer implements Comparable<Timer> {
        final Object key;
        final long timestampMs;
        final TimeDomain domain;
        final long sequence;
        final int groupIndex;
        private final long uid;

        Timer(Object key, long timestampMs, TimeDomain domain, long sequence, int groupIndex, long uid) {
            this.key = key;
            this.timestampMs = timestampMs;
            this.domain = domain;
            this.sequence = sequence;
            this.groupIndex = groupIndex;
            this.uid = uid;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Timer t && t.timestampMs == timestampMs && t.domain == domain && t.key.equals(key);
        }

        @Override
        public int hashCode() {
            return (key.hashCode() * 31 + Long.hashCode(timestampMs)) * 31 + domain.ordinal();
        }

        @Override
        public int compareTo(Timer o) {
            int c = Long.compare(timestampMs, o.timestampMs);
            if (c != 0) {
                return c;
            }
            c = Long.compare(sequence, o.sequence);
            return c != 0 ? c : Long.compare(uid, o.uid);
        }
    }

    private final KeyedStateBackend<K> backend;
    private final TreeSet<Timer> eventTime = new TreeSet<>();
    private final TreeSet<Timer> processingTime = new TreeSet<>();
    private final HashMap<Timer, Timer>[] live;
    private final boolean[] shared;
    private long nextSequence;
    private long nextUid;
    private int size;

    @SuppressWarnings("unchecked")
    KeyedTimers(KeyedStateBackend<K> backend) {
        this.backend = backend;
        this.live = new HashMap[backend.groupCount()];
        this.shared = new boolean[backend.groupCount()];
    }

    /**
     * Registers a timer for the current key. Registering an existing timer does nothing.
     *
     * @param domain its time domain
     * @param timestampMs when it fires, epoch milliseconds
     */
    public void register(TimeDomain domain, long timestampMs) {
        int i = backend.currentGroup();
        Timer timer = new Timer(backend.currentKeyObject(), timestampMs, domain, nextSequence, i, nextUid);
        HashMap<Timer, Timer> group = live[i];
        if (group != null && group.containsKey(timer)) {
            return;
        }
        nextSequence++;
        nextUid++;
        writable(i).put(timer, timer);
        queue(domain).add(timer);
        size++;
    }

    /**
     * Deletes a timer of the current key, if registered.
     *
     * @param domain its time domain
     * @param timestampMs its timestamp
     */
    public void delete(TimeDomain domain, long timestampMs) {
        int i = backend.currentGroup();
        HashMap<Timer, Timer> group = live[i];
        if (group == null) {
            return;
        }
        Timer existing = group.get(new Timer(backend.currentKeyObject(), timestampMs, domain, 0, i, 0));
        if (existing != null) {
            writable(i).remove(existing);
            queue(domain).remove(existing);
            size--;
        }
    }

    /**
     * Fires, in order, every event-time timer whose timestamp is {@code <= watermarkMs}.
     *
     * @param watermarkMs the new watermark
     * @param handler receives each timer, with its key current
     * @return timers fired
     */
    public int advanceWatermark(long watermarkMs, Handler handler) {
        return fire(eventTime, TimeDomain.EVENT_TIME, watermarkMs, handler);
    }

    /**
     * Fires, in order, every processing-time timer whose timestamp is {@code <= nowMs}, after setting
     * the backend's processing time.
     *
     * @param nowMs the processing time passed to the operator
     * @param handler receives each timer, with its key current
     * @return timers fired
     */
    public int advanceProcessingTime(long nowMs, Handler handler) {
        backend.setProcessingTimeMs(nowMs);
        return fire(processingTime, TimeDomain.PROCESSING_TIME, nowMs, handler);
    }

    @SuppressWarnings("unchecked")
    private int fire(TreeSet<Timer> queue, TimeDomain domain, long upToMs, Handler handler) {
        int fired = 0;
        while (!queue.isEmpty()) {
            Timer timer = queue.first();
            if (timer.timestampMs > upToMs) {
                break;
            }
            queue.pollFirst();
            writable(timer.groupIndex).remove(timer);
            size--;
            backend.setCurrentKey((K) timer.key);
            handler.onTimer(timer.timestampMs, domain);
            fired++;
        }
        return fired;
    }

    /**
     * @param domain a time domain
     * @return the earliest timer's timestamp in it, or {@code Long.MAX_VALUE} if none
     */
    public long nextTimestampMs(TimeDomain domain) {
        TreeSet<Timer> queue = queue(domain);
        return queue.isEmpty() ? Long.MAX_VALUE : queue.first().timestampMs;
    }

    /**
     * @return timers registered
     */
    public int size() {
        return size;
    }

    private TreeSet<Timer> queue(TimeDomain domain) {
        return domain == TimeDomain.EVENT_TIME ? eventTime : processingTime;
    }

    private HashMap<Timer, Timer> writable(int i) {
        HashMap<Timer, Timer> group = live[i];
        if (group == null || shared[i]) {
            group = group == null ? new HashMap<>() : new HashMap<>(group);
            live[i] = group;
            shared[i] = false;
        }
        return group;
    }

    // ---- snapshot ----

    Object[] freeze() {
        Object[] frozen = live.clone();
        Arrays.fill(shared, true);
        return frozen;
    }

    static boolean isEmpty(Object frozen) {
        return frozen == null || ((HashMap<?, ?>) frozen).isEmpty();
    }

    @SuppressWarnings("unchecked")
    void write(Object frozen, SnapshotOutput out) {
        if (isEmpty(frozen)) {
            out.writeVarInt(0);
            return;
        }
        HashMap<Timer, Timer> group = (HashMap<Timer, Timer>) frozen;
        out.writeVarInt(group.size());
        StateCodec<K> keyCodec = backend.keyCodec();
        // HashMap.forEach is a read-only walk: safe on a frozen map.
        group.forEach((t, same) -> {
            keyCodec.write((K) t.key, out);
            out.writeLong(t.timestampMs).writeByte(t.domain.ordinal()).writeLong(t.sequence);
        });
    }

    void restore(int i, SnapshotInput in) {
        int count = in.readVarInt();
        int group = backend.groupOfIndex(i);
        for (int j = 0; j < count; j++) {
            K key = backend.keyCodec().read(in);
            KeyGroups.checkRestoredKey(key, group, backend.maxParallelism());
            long timestampMs = in.readLong();
            byte d = in.readByte();
            if (d < 0 || d > 1) {
                throw new StateFormatException("timer of key " + key + ": unknown time domain " + d);
            }
            long sequence = in.readLong();
            Timer timer = new Timer(key, timestampMs, TimeDomain.values()[d], sequence, i, nextUid++);
            if (writable(i).putIfAbsent(timer, timer) == null) {
                queue(timer.domain).add(timer);
                size++;
                nextSequence = Math.max(nextSequence, sequence + 1);
            }
        }
    }
}
