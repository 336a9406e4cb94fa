package io.rivulet.bench.nexmark;

import java.util.Objects;

/**
 * An item put up for auction.
 *
 * <p>Immutable and thread-safe; string components are never null (the constructor throws
 * {@link NullPointerException}).
 *
 * @param id          unique auction id; the generator numbers auctions from
 *                    {@link NexmarkGenerator#FIRST_AUCTION_ID} in order of appearance.
 * @param itemName    item name.
 * @param description item description.
 * @param initialBid  opening price, in cents.
 * @param reserve     reserve price, in cents; at least {@code initialBid}.
 * @param dateTimeMs  opening time, epoch ms.
 * @param expiresMs   closing time, epoch ms; after {@code dateTimeMs}.
 * @param seller      id of the selling {@link Person}.
 * @param category    category id, from {@link NexmarkGenerator#FIRST_CATEGORY_ID}.
 * @param extra       padding up to the configured average size; may be empty.
 */
public record Auction(
    long id,
    String itemName,
    String description,
    long initialBid,
    long reserve,
    long dateTimeMs,
    long expiresMs,
    long seller,
    long category,
    String extra) implements NexmarkEvent {

    /**
     * Creates the event.
     *
     * @param id see the record component.
     * @param itemName see the record component.
     * @param description see the record component.
     * @param initialBid see the record component.
     * @param reserve see the record component.
     * @param dateTimeMs see the record component.
     * @param expiresMs see the record component.
     * @param seller see the record component.
     * @param category see the record component.
     * @param extra see the record component.
     * @throws NullPointerException if a string component is null.
     */
    public Auction {
        Objects.requireNonNull(itemName, "itemName");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(extra, "extra");
    }

    /**
     * Always {@link EventKind#AUCTION}.
     *
     * @return {@link EventKind#AUCTION}.
     */
    @Override
    public EventKind kind() {
        return EventKind.AUCTION;
    }
}
