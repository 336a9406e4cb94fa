package io.rivulet.operators.join;

import io.rivulet.operators.join.JoinRowsFixture.Sink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The stream-static join, on Spark's f1/f2 rows (trades joined with a static symbols table). */
class StreamStaticJoinOperatorTest {
    record Trade(String symbol, double price, long qty, long tsMs) {
    }

    record Symbol(String symbol, String company, String sector) {
    }

    private static final List<Symbol> SYMBOLS = List.of(new Symbol("AAPL", "Apple", "Tech"),
        new Symbol("MSFT", "Microsoft", "Tech"), new Symbol("XOM", "Exxon", "Energy"));

    private final Sink<String> out = new Sink<>();

    private static StreamStaticJoinOperator<String, Trade, Symbol, String> operator(JoinType type,
                                                                                    AtomicReference<StaticTable<String, Symbol>> table) {
        return StreamStaticJoinOperator.of(type, Trade::symbol, table,
            (key, trade, symbol) -> key + "," + trade.qty() + "," + (symbol == null ? "null" : symbol.company()));
    }

    @Test
    void shouldEmitOnlyMatchedTradesInAnInnerJoinAsSparkCaseF1() {
        var op = operator(JoinType.INNER, new AtomicReference<>(StaticTable.of(SYMBOLS, Symbol::symbol)));
        op.process(new Trade("AAPL", 100.0, 10, 1_000), out);
        op.process(new Trade("GOOG", 150.0, 3, 2_000), out);
        assertThat(out.drain()).containsExactly("AAPL,10,Apple");
        op.process(new Trade("XOM", 90.0, 7, 5_000), out);
        op.process(new Trade("MSFT", 200.0, 1, 4_000), out);
        op.process(new Trade("TSLA", 250.0, 4, 8_000), out);
        assertThat(out.drain()).containsExactly("XOM,7,Exxon", "MSFT,1,Microsoft");
    }

    @Test
    void shouldEmitUnmatchedTradesWithNullInALeftOuterJoinAsSparkCaseF2() {
        var op = operator(JoinType.LEFT_OUTER, new AtomicReference<>(StaticTable.of(SYMBOLS, Symbol::symbol)));
        op.process(new Trade("AAPL", 100.0, 10, 1_000), out);
        op.process(new Trade("GOOG", 150.0, 3, 2_000), out);
        op.process(new Trade("TSLA", 250.0, 4, 8_000), out);
        assertThat(out.drain()).containsExactly("AAPL,10,Apple", "GOOG,3,null", "TSLA,4,null");
    }

    @Test
    void shouldEmitOneRowPerStaticMatchInTableOrder() {
        var table = StaticTable.<String, Symbol>ofMap(Map.of("AAPL", List.of(new Symbol("AAPL", "Apple", "Tech"),
            new Symbol("AAPL", "Apple Inc", "Hardware"))));
        assertThat(table.rowCount()).isEqualTo(2);
        assertThat(table.keyCount()).isEqualTo(1);
        var op = operator(JoinType.INNER, new AtomicReference<>(table));
        op.process(new Trade("AAPL", 1, 5, 0), out);
        assertThat(out.drain()).containsExactly("AAPL,5,Apple", "AAPL,5,Apple Inc");
    }

    @Test
    void shouldJoinWithTheSwappedTableFromTheNextRecordOn() {
        AtomicReference<StaticTable<String, Symbol>> ref = new AtomicReference<>(StaticTable.empty());
        var op = operator(JoinType.LEFT_OUTER, ref);
        op.process(new Trade("AAPL", 1, 1, 0), out);
        ref.set(StaticTable.of(SYMBOLS, Symbol::symbol));
        op.process(new Trade("AAPL", 1, 2, 0), out);
        assertThat(out.drain()).containsExactly("AAPL,1,null", "AAPL,2,Apple");
    }

    @Test
    void shouldNeverDropALateRecordBecauseItIsStateless() {
        var op = operator(JoinType.INNER, new AtomicReference<>(StaticTable.of(SYMBOLS, Symbol::symbol)));
        op.onWatermark(1_000_000, out);
        op.process(new Trade("AAPL", 1, 1, 0), out);
        assertThat(out.drain()).containsExactly("AAPL,1,Apple");
    }

    @Test
    void shouldMatchNothingForANullKey() {
        var op = StreamStaticJoinOperator.<String, Trade, Symbol, String>of(JoinType.LEFT_OUTER, t -> null,
            new AtomicReference<>(StaticTable.of(SYMBOLS, Symbol::symbol)), (k, t, s) -> k + "," + s);
        op.process(new Trade("AAPL", 1, 1, 0), out);
        assertThat(out.drain()).containsExactly("null,null");
    }

    @ParameterizedTest
    @EnumSource(value = JoinType.class, names = {"RIGHT_OUTER", "FULL_OUTER", "LEFT_SEMI"})
    void shouldRejectJoinTypesThatNeedTheStaticSidesUnmatchedRows(JoinType type) {
        assertThatThrownBy(() -> operator(type, new AtomicReference<>(StaticTable.empty())))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("INNER or LEFT_OUTER");
    }

    @Test
    void shouldRejectAReferenceHoldingNull() {
        assertThatThrownBy(() -> operator(JoinType.INNER, new AtomicReference<>()))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("StaticTable.empty()");
    }
}
