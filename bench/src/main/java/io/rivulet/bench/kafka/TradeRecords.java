package io.rivulet.bench.kafka;

import io.rivulet.bench.workload.Trade;
import io.rivulet.bench.workload.WorkloadSpec;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The W2 trades and results as Kafka records, fixed width, big-endian (what Kafka's {@code IntegerSerializer} and
 * {@code LongSerializer} write, so Kafka Streams' built-in serdes read the key):
 *
 * <pre>
 *   trade   key: symbol (int, 4 bytes)   value: tsMs (long) | price (double) | qty (int)   = 20 bytes
 *           record timestamp = tsMs (Kafka Streams windows by it)
 *   result  key: symbol (int, 4 bytes)   value: windowEndMs (long) | count (long) | sumQty (long) = 24 bytes
 * </pre>
 *
 * <p>{@link #END_SYMBOL} marks the end-of-input records (one per partition, event time past every window) that close
 * the last windows in Kafka Streams, whose {@code suppress} otherwise holds them forever; both engines read them and
 * the checks skip the results they make. Stateless, thread-safe.
 */
public final class TradeRecords {
    /** Bytes of a trade's value. */
    public static final int TRADE_VALUE_LENGTH = 20;
    /** Bytes of a result's value. */
    public static final int RESULT_VALUE_LENGTH = 24;
    /** The symbol of the end-of-input records, outside {@code 0 .. SYMBOLS - 1}. */
    public static final int END_SYMBOL = WorkloadSpec.SYMBOLS;

    /** Boxed symbols {@code 0 .. END_SYMBOL}, so that decoding a key allocates nothing. */
    private static final Integer[] SYMBOL_KEYS = new Integer[END_SYMBOL + 1];

    static {
        for (int i = 0; i < SYMBOL_KEYS.length; i++) {
            SYMBOL_KEYS[i] = i;
        }
    }

    private TradeRecords() {
    }

    /**
     * @param symbol {@code 0 .. END_SYMBOL}
     * @return the shared boxed symbol
     */
    public static Integer symbolKey(int symbol) {
        return SYMBOL_KEYS[symbol];
    }

    /**
     * @param symbol a symbol
     * @return its 4-byte key
     */
    public static byte[] key(int symbol) {
        return ByteBuffer.allocate(4).putInt(symbol).array();
    }

    /**
     * @param trade the trade
     * @return its 20-byte value
     */
    public static byte[] value(Trade trade) {
        return ByteBuffer.allocate(TRADE_VALUE_LENGTH).putLong(trade.tsMs()).putDouble(trade.price())
            .putInt((int) trade.qty()).array();
    }

    /**
     * @param windowEndMs the window's exclusive end, epoch ms
     * @param count trades in the window
     * @param sumQty their quantity
     * @return the 24-byte result value
     */
    public static byte[] result(long windowEndMs, long count, long sumQty) {
        return ByteBuffer.allocate(RESULT_VALUE_LENGTH).putLong(windowEndMs).putLong(count).putLong(sumQty).array();
    }

    /**
     * Decodes a trade value into a new {@link Trade} (symbol from the key; seq and order id unset). Reads the
     * buffer Kafka's fetch holds in place: no intermediate {@code byte[]} per record.
     */
    public static final class TradeDeserializer implements Deserializer<Trade> {
        /** When any trade deserializer first decoded a record since the last {@link #resetFirstRead()}, ns; 0 before. */
        private static final AtomicLong FIRST_READ_NS = new AtomicLong();

        /** Forgets the first read: the next run's first record sets it again. */
        public static void resetFirstRead() {
            FIRST_READ_NS.set(0);
        }

        /** @return {@link System#nanoTime()} of the first record decoded since the last reset, 0 if none */
        public static long firstReadNs() {
            return FIRST_READ_NS.get();
        }

        @Override
        public Trade deserialize(String topic, byte[] data) {
            return deserialize(topic, null, ByteBuffer.wrap(data));
        }

        @Override
        public Trade deserialize(String topic, Headers headers, ByteBuffer data) {
            if (data == null || data.remaining() != TRADE_VALUE_LENGTH) {
                throw new IllegalArgumentException("a trade value is " + TRADE_VALUE_LENGTH + " bytes, got "
                    + (data == null ? "null" : data.remaining()));
            }
            if (FIRST_READ_NS.get() == 0) {
                FIRST_READ_NS.compareAndSet(0, System.nanoTime());
            }
            int at = data.position();
            return new Trade().tsMs(data.getLong(at)).price(data.getDouble(at + 8)).qty(data.getInt(at + 16));
        }
    }

    /** Decodes a 4-byte symbol key into the shared boxed symbol: nothing allocated per record. */
    public static final class SymbolDeserializer implements Deserializer<Integer> {
        @Override
        public Integer deserialize(String topic, byte[] data) {
            return deserialize(topic, null, ByteBuffer.wrap(data));
        }

        @Override
        public Integer deserialize(String topic, Headers headers, ByteBuffer data) {
            if (data == null || data.remaining() != 4) {
                throw new IllegalArgumentException("a symbol key is 4 bytes, got " + (data == null ? "null" : data.remaining()));
            }
            int symbol = data.getInt(data.position());
            if (symbol < 0 || symbol > END_SYMBOL) {
                throw new IllegalArgumentException("symbol must be 0.." + END_SYMBOL + ", got " + symbol);
            }
            return SYMBOL_KEYS[symbol];
        }
    }
}
