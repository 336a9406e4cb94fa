package io.rivulet.bench.nexmark;

import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The stateless NEXMark queries 0 to 2 as plain functions over events, in the shapes of
 * {@link java.util.function}, for the engine's typed API to wrap. Semantics follow Beam's
 * {@code Query0}, {@code Query1} and {@code Query2} and their reference models.
 *
 * <ul>
 *   <li>Q0, pass-through: every event unchanged ({@link #query0()}). Beam's Q0 additionally
 *       round-trips each event through its coder to measure serialisation; a Rivulet pipeline does
 *       that wherever its own serialisation happens.</li>
 *   <li>Q1, currency conversion: each bid with its price converted from dollars to euros,
 *       {@code price * 89 / 100} in integer cents ({@link #IS_BID}, {@link #AS_BID},
 *       {@link #query1()}).</li>
 *   <li>Q2, selection: {@code (auction, price)} of the bids whose auction id is a multiple of
 *       {@code auctionSkip}, default 123 ({@link #IS_BID}, {@link #AS_BID},
 *       {@link #query2Filter(long)}, {@link #query2Project()}).</li>
 * </ul>
 *
 * <p>All functions are stateless and thread-safe.
 */
public final class NexmarkQueries {
    /** Keeps bids only: the first stage of Q1 and Q2. */
    public static final Predicate<NexmarkEvent> IS_BID = event -> event instanceof Bid;

    /** Narrows an event that passed {@link #IS_BID}; throws {@link ClassCastException} otherwise. */
    public static final Function<NexmarkEvent, Bid> AS_BID = event -> (Bid) event;

    private static final UnaryOperator<NexmarkEvent> QUERY0 = NexmarkQueries::query0;
    private static final UnaryOperator<Bid> QUERY1 = NexmarkQueries::query1;
    private static final Function<Bid, AuctionPrice> QUERY2_PROJECT = NexmarkQueries::query2Project;

    private NexmarkQueries() {
    }

    /**
     * Q0 on one event.
     *
     * @param event any event.
     * @return {@code event} itself.
     */
    public static NexmarkEvent query0(final NexmarkEvent event) {
        return event;
    }

    /**
     * Q0 as a function.
     *
     * @return the identity on events.
     */
    public static UnaryOperator<NexmarkEvent> query0() {
        return QUERY0;
    }

    /**
     * Beam's {@code DOLTOEUR}: dollars to euros at a fixed 0.89, truncating to whole cents.
     *
     * @param dollarCents a price in dollar cents, at most {@code Long.MAX_VALUE / 89}.
     * @return {@code dollarCents * 89 / 100}, in euro cents.
     */
    public static long dollarsToEuros(final long dollarCents) {
        return dollarCents * 89 / 100;
    }

    /**
     * Q1 on one bid.
     *
     * @param bid the bid.
     * @return a bid equal to {@code bid} except for its price, converted by
     *         {@link #dollarsToEuros(long)}.
     */
    public static Bid query1(final Bid bid) {
        return bid.withPrice(dollarsToEuros(bid.price()));
    }

    /**
     * Q1 as a function on bids; compose after {@link #IS_BID} and {@link #AS_BID}.
     *
     * @return the conversion.
     */
    public static UnaryOperator<Bid> query1() {
        return QUERY1;
    }

    /**
     * Q2's selection.
     *
     * @param auctionSkip at least 1; {@link NexmarkConfig#auctionSkip()}, default 123.
     * @return a predicate true for bids whose auction id is a multiple of {@code auctionSkip}.
     */
    public static Predicate<Bid> query2Filter(final long auctionSkip) {
        if (auctionSkip < 1) {
            throw new IllegalArgumentException("auctionSkip must be >= 1, was " + auctionSkip);
        }
        return bid -> bid.auction() % auctionSkip == 0;
    }

    /**
     * Q2's projection on one bid.
     *
     * @param bid the bid.
     * @return its auction id and price.
     */
    public static AuctionPrice query2Project(final Bid bid) {
        return new AuctionPrice(bid.auction(), bid.price());
    }

    /**
     * Q2's projection as a function; apply after {@link #query2Filter(long)}.
     *
     * @return the projection.
     */
    public static Function<Bid, AuctionPrice> query2Project() {
        return QUERY2_PROJECT;
    }
}
