package io.rivulet.engine.runtime;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One watermark alignment group of a query ({@link io.rivulet.engine.WatermarkStrategy#withAlignment}):
 * one slot per member (an aligned {@code withWatermark} in a source task) holding that member's last
 * published watermark, each on its own cache lines. Lock-free: a member writes only its own slot
 * (release store, only when its watermark changed) and reads the others' to compute the minimum, once
 * per poll of its source, never per record.
 *
 * <p>A slot holds {@link #NO_WATERMARK} until its member's first watermark (it does not count in the
 * minimum) and {@link #LEFT} once its member's input ended (it never holds the group back). Members join
 * while the query is planned, on the planning thread; the slots are fixed before the tasks' threads start
 * (whose start publishes them). One group per query run.
 */
final class WatermarkAlignmentGroup {
    /** A member with no watermark yet: not counted. */
    static final long NO_WATERMARK = Long.MIN_VALUE;
    /** A member whose input ended: out of the group. */
    static final long LEFT = Long.MAX_VALUE;
    /** Longs between two slots: 128 bytes, so members' stores do not share a cache line (nor its prefetched pair). */
    private static final int STRIDE = 16;

    private final String name;
    private int members;
    /** Grows while planning (single-threaded); fixed once the tasks start. */
    private AtomicLongArray slots = new AtomicLongArray(0);

    WatermarkAlignmentGroup(String name) {
        this.name = name;
    }

    /**
     * Adds a member, while planning.
     *
     * @param maxDriftMs how far ahead of the group's minimum the member may read, ms
     * @return the member
     */
    Member join(long maxDriftMs) {
        int index = members++;
        AtomicLongArray grown = new AtomicLongArray(members * STRIDE);
        for (int i = 0; i < members; i++) {
            grown.set(i * STRIDE, i < index ? slots.get(i * STRIDE) : NO_WATERMARK);
        }
        slots = grown;
        return new Member(this, index * STRIDE, maxDriftMs);
    }

    /**
     * @return the smallest watermark of the members that have one and have not left, or {@link #LEFT} when none
     */
    long minimum() {
        AtomicLongArray all = slots;
        int end = members * STRIDE;
        long min = LEFT;
        for (int i = 0; i < end; i += STRIDE) {
            long watermark = all.getAcquire(i);
            if (watermark != NO_WATERMARK && watermark < min) {
                min = watermark;
            }
        }
        return min;
    }

    /** @return the group's name */
    String name() {
        return name;
    }

    /** @return how many members joined */
    int members() {
        return members;
    }

    @Override
    public String toString() {
        return "alignment group " + name + " (" + members + " members)";
    }

    /**
     * One member's view: publishes its watermark and tells whether it is too far ahead. Owned by the
     * member's source task thread.
     */
    static final class Member {
        private final WatermarkAlignmentGroup group;
        private final int slot;
        private final long maxDriftMs;
        private long published = NO_WATERMARK;

        Member(WatermarkAlignmentGroup group, int slot, long maxDriftMs) {
            this.group = group;
            this.slot = slot;
            this.maxDriftMs = maxDriftMs;
        }

        /**
         * Publishes {@code watermarkMs} and tells whether it is more than the drift ahead of the group's
         * minimum (this member's included, so the slowest member never waits).
         *
         * @param watermarkMs the member's current watermark, or {@link #NO_WATERMARK}
         * @return whether the member should stop reading for now
         */
        boolean publishAndCheckAhead(long watermarkMs) {
            publish(watermarkMs);
            if (watermarkMs == NO_WATERMARK) {
                return false;
            }
            long min = group.minimum();
            return watermarkMs > min && watermarkMs - min > maxDriftMs;
        }

        /**
         * Publishes {@code watermarkMs}: a release store, only when it changed.
         *
         * @param watermarkMs the member's current watermark, or {@link #NO_WATERMARK}
         */
        void publish(long watermarkMs) {
            if (watermarkMs != published) {
                published = watermarkMs;
                group.slots.setRelease(slot, watermarkMs);
            }
        }

        /** The member's input ended: it leaves the group and holds nobody back. */
        void leave() {
            published = LEFT;
            group.slots.setRelease(slot, LEFT);
        }

        /** @return the group */
        WatermarkAlignmentGroup group() {
            return group;
        }
    }
}
