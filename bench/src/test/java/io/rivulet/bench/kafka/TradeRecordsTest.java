package io.rivulet.bench.kafka;

import io.rivulet.bench.workload.Trade;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TradeRecordsTest {
    @Test
    void shouldDecodeTradeValueFromTheFetchBufferInPlace() {
        Trade trade = new Trade().tsMs(1_700_000_000_123L).price(101.25).qty(777);
        byte[] value = TradeRecords.value(trade);
        ByteBuffer fetch = ByteBuffer.allocate(40);
        fetch.position(11).put(value);
        ByteBuffer slice = fetch.position(11).limit(11 + value.length);

        Trade decoded = new TradeRecords.TradeDeserializer().deserialize("t", null, slice);

        assertEquals(1_700_000_000_123L, decoded.tsMs());
        assertEquals(101.25, decoded.price());
        assertEquals(777, decoded.qty());
    }

    @Test
    void shouldDecodeSymbolKeyToTheSharedBoxedSymbol() {
        Integer symbol = new TradeRecords.SymbolDeserializer().deserialize("t", TradeRecords.key(999));

        assertSame(TradeRecords.symbolKey(999), symbol);
    }

    @Test
    void shouldRefuseSymbolOutsideTheWorkload() {
        assertThrows(IllegalArgumentException.class,
            () -> new TradeRecords.SymbolDeserializer().deserialize("t", TradeRecords.key(TradeRecords.END_SYMBOL + 1)));
    }

    @Test
    void shouldRefuseTradeValueOfWrongLength() {
        assertThrows(IllegalArgumentException.class, () -> new TradeRecords.TradeDeserializer().deserialize("t", new byte[19]));
    }
}
