package io.rivulet.bench.nexmark;

/**
 * One NEXMark event: a {@link Person}, an {@link Auction} or a {@link Bid}.
 *
 * <p>Sealed so that consumers can switch over the three kinds exhaustively with
 * {@code instanceof} patterns, or cheaply on {@link #kind()}. All implementations are immutable
 * records and therefore thread-safe.
 */
public sealed interface NexmarkEvent permits Person, Auction, Bid {
    /**
     * Which of the three kinds this event is.
     *
     * @return the kind, never null.
     */
    EventKind kind();

    /**
     * Event time of this event.
     *
     * @return epoch ms.
     */
    long dateTimeMs();
}
