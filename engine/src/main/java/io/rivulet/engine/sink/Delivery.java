package io.rivulet.engine.sink;

/**
 * What a sink promises about each record of a query with a checkpoint location, across failures and
 * restarts.
 */
public enum Delivery {
    /**
     * Every record reaches the sink at least once; after a restart, what the failed run wrote since
     * its last checkpoint is written again (console, foreach, a journal sink that appends as it writes).
     */
    AT_LEAST_ONCE,
    /**
     * Every record is visible exactly once: the sink stages an epoch's output and publishes it only
     * when the epoch commits (after its checkpoint is durable), recognises an epoch it already
     * committed, and drops output staged for epochs a restart will produce again.
     */
    EXACTLY_ONCE
}
