package io.rivulet.bench.nexmark;

/**
 * Typed callback receiving generated events, one method per {@link EventKind}, so that consumers
 * need neither casts nor a type switch.
 *
 * <p>Called on the generating thread; implementations need be thread-safe only if shared between
 * threads that generate concurrently.
 */
public interface NexmarkEventHandler {
    /**
     * Receives a generated person.
     *
     * @param eventNumber the event number that produced it.
     * @param person      the person, never null.
     */
    void onPerson(long eventNumber, Person person);

    /**
     * Receives a generated auction.
     *
     * @param eventNumber the event number that produced it.
     * @param auction     the auction, never null.
     */
    void onAuction(long eventNumber, Auction auction);

    /**
     * Receives a generated bid.
     *
     * @param eventNumber the event number that produced it.
     * @param bid         the bid, never null.
     */
    void onBid(long eventNumber, Bid bid);
}
