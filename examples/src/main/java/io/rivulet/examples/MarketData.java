package io.rivulet.examples;

import java.util.SplittableRandom;

/**
 * A generated market-data feed: trade {@code n} is a pure function of {@code n}, so every run sees
 * the same trades. Symbols are drawn with a skew (a few are traded far more than others), prices
 * drift around a per-symbol base.
 */
public final class MarketData {
    /** The symbols traded. */
    static final String[] SYMBOLS = {
        "AAPL", "MSFT", "NVDA", "AMZN", "GOOG", "META", "TSLA", "AVGO", "JPM", "V",
        "XOM", "UNH", "MA", "HD", "PG", "COST", "NFLX", "AMD", "CRM", "ORCL"};
    private static final double[] BASE_PRICE = {
        228, 415, 140, 205, 176, 590, 350, 230, 245, 310, 110, 510, 520, 410, 168, 910, 880, 120, 330, 175};

    private MarketData() {
    }

    /**
     * One trade.
     *
     * @param seq position in the feed
     * @param timestampMs event time, epoch ms
     * @param symbol the instrument
     * @param price the price
     * @param quantity shares traded, 1..1000
     */
    public record Trade(long seq, long timestampMs, String symbol, double price, long quantity) {
        /**
         * @return price times quantity
         */
        public double notional() {
            return price * quantity;
        }
    }

    /**
     * Trade {@code n} of the feed.
     *
     * @param n position in the feed
     * @param timestampMs its event time
     * @return the trade
     */
    public static Trade trade(long n, long timestampMs) {
        SplittableRandom random = new SplittableRandom(n * 0x9E3779B97F4A7C15L);
        // Squaring a uniform draw skews towards the first symbols.
        double u = random.nextDouble();
        int symbol = (int) (u * u * SYMBOLS.length);
        double drift = Math.sin(n / 200_000.0 + symbol) * 0.02;
        double price = BASE_PRICE[symbol] * (1 + drift + (random.nextDouble() - 0.5) * 0.002);
        long quantity = 1 + random.nextInt(1000);
        return new Trade(n, timestampMs, SYMBOLS[symbol], Math.round(price * 100) / 100.0, quantity);
    }
}
