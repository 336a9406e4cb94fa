package io.rivulet.journal;

import org.agrona.concurrent.EpochClock;

/** A hand-advanced clock, so tests roll cycles without sleeping. */
final class ManualClock implements EpochClock {
    private volatile long timeMs;

    ManualClock(long timeMs) {
        this.timeMs = timeMs;
    }

    @Override
    public long time() {
        return timeMs;
    }

    void advanceMs(long ms) {
        timeMs += ms;
    }
}
