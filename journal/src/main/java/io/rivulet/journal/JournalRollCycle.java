package io.rivulet.journal;

import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.rollcycles.LargeRollCycles;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;

/**
 * How often a journal starts a new cycle file. A cycle is the unit of retention: whole cycle files
 * are deleted, never part of one. The cycle also fixes how an offset splits into cycle and sequence,
 * so a journal keeps the roll cycle it was created with (see {@link JournalOptions#rollCycle}).
 */
public enum JournalRollCycle {
    /** A file per second, up to 4,294,967,295 records each. For tests and demos: many small files. */
    SECONDLY(TestRollCycles.TEST_SECONDLY),
    /** A file per 5 minutes, up to 1,073,741,824 records each (3.5 million/s sustained). */
    FIVE_MINUTELY(RollCycles.FIVE_MINUTELY),
    /** A file per hour, up to 4,294,967,295 records each (1.19 million/s sustained). The default. */
    HOURLY(RollCycles.FAST_HOURLY),
    /** A file per day, up to 4,294,967,295 records each (49,700/s sustained). */
    DAILY(RollCycles.FAST_DAILY),
    /** A file per day, up to 137,438,953,471 records each (1.59 million/s sustained). */
    LARGE_DAILY(LargeRollCycles.LARGE_DAILY);

    private final RollCycle chronicle;

    JournalRollCycle(RollCycle chronicle) {
        this.chronicle = chronicle;
    }

    /**
     * @return the most records one cycle file can hold; appending more fails
     */
    public long maxRecordsPerCycle() {
        return chronicle.maxMessagesPerCycle();
    }

    /**
     * @return the length of a cycle in milliseconds
     */
    public long lengthMs() {
        return chronicle.lengthInMillis();
    }

    RollCycle chronicle() {
        return chronicle;
    }

    static JournalRollCycle of(RollCycle rollCycle) {
        for (JournalRollCycle cycle : values()) {
            if (cycle.chronicle.equals(rollCycle)) {
                return cycle;
            }
        }
        return null;
    }
}
