package io.rivulet.examples;

import io.rivulet.operators.function.AggregateFunction;

/**
 * Running statistics of one symbol: trades, volume, VWAP, last, low and high price. A mutable
 * accumulator updated in place: no allocation per trade.
 */
public final class SymbolStats {
    long trades;
    long volume;
    double notional;
    double last;
    double low = Double.POSITIVE_INFINITY;
    double high = Double.NEGATIVE_INFINITY;

    /**
     * What the console shows per symbol.
     *
     * @param trades trades so far
     * @param volume shares traded so far
     * @param vwap volume-weighted average price
     * @param last last price
     * @param low lowest price
     * @param high highest price
     */
    public record Row(long trades, long volume, double vwap, double last, double low, double high) {
    }

    /**
     * The aggregate over trades.
     *
     * @return a function that folds trades into {@link SymbolStats}
     */
    public static AggregateFunction<MarketData.Trade, SymbolStats, Row> aggregate() {
        return new AggregateFunction<>() {
            @Override
            public SymbolStats createAccumulator() {
                return new SymbolStats();
            }

            @Override
            public SymbolStats add(SymbolStats s, MarketData.Trade t) {
                s.trades++;
                s.volume += t.quantity();
                s.notional += t.notional();
                s.last = t.price();
                s.low = Math.min(s.low, t.price());
                s.high = Math.max(s.high, t.price());
                return s;
            }

            @Override
            public SymbolStats merge(SymbolStats a, SymbolStats b) {
                a.trades += b.trades;
                a.volume += b.volume;
                a.notional += b.notional;
                a.last = b.last;
                a.low = Math.min(a.low, b.low);
                a.high = Math.max(a.high, b.high);
                return a;
            }

            @Override
            public Row result(SymbolStats s) {
                return new Row(s.trades, s.volume, Math.round(s.notional / s.volume * 100) / 100.0, s.last, s.low, s.high);
            }
        };
    }
}
