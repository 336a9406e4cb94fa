package io.rivulet.bench.nexmark;

/** The kind of a {@link NexmarkEvent}; the generator decides it from the event id alone. */
public enum EventKind {
    /** A new person registers: {@link Person}. */
    PERSON,
    /** A person opens a new auction: {@link Auction}. */
    AUCTION,
    /** A person bids in an auction: {@link Bid}. */
    BID
}
