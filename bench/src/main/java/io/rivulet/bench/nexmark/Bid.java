package io.rivulet.bench.nexmark;

import java.util.Objects;

/**
 * A bid for an item on auction.
 *
 * <p>Immutable and thread-safe; string components are never null (the constructor throws
 * {@link NullPointerException}).
 *
 * <p>{@code channel} and {@code url} are not in Beam's model; they come from the Flink NEXMark
 * suite (nexmark/nexmark), which added them for its later queries. Rivulet draws them after all of
 * Beam's fields, so the other components equal Beam's for the same event id.
 *
 * @param auction    id of the {@link Auction} bid on.
 * @param bidder     id of the bidding {@link Person}.
 * @param price      bid price, in cents.
 * @param channel    channel the bid came through, e.g. {@code "Google"} or {@code "channel-42"}.
 * @param url        URL the bid was made from.
 * @param dateTimeMs time of the bid, epoch ms.
 * @param extra      padding up to the configured average size; may be empty.
 */
public record Bid(
    long auction,
    long bidder,
    long price,
    String channel,
    String url,
    long dateTimeMs,
    String extra) implements NexmarkEvent {

    /**
     * Creates the event.
     *
     * @param auction see the record component.
     * @param bidder see the record component.
     * @param price see the record component.
     * @param channel see the record component.
     * @param url see the record component.
     * @param dateTimeMs see the record component.
     * @param extra see the record component.
     * @throws NullPointerException if a string component is null.
     */
    public Bid {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(extra, "extra");
    }

    /**
     * Always {@link EventKind#BID}.
     *
     * @return {@link EventKind#BID}.
     */
    @Override
    public EventKind kind() {
        return EventKind.BID;
    }

    /**
     * This bid with another price, every other component unchanged.
     *
     * @param newPrice the price, in cents.
     * @return a new bid.
     */
    public Bid withPrice(final long newPrice) {
        return new Bid(auction, bidder, newPrice, channel, url, dateTimeMs, extra);
    }
}
