package io.rivulet.journal.codec;

import com.sun.management.ThreadMXBean;
import net.openhft.chronicle.bytes.Bytes;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CodecTest {
    enum Side { BUY, SELL }

    record Price(long mantissa, byte exponent) { }

    record Order(long id, int quantity, double limit, float weight, short venue, byte flags, char kind, boolean active,
                 String symbol, byte[] tag, Side side, Price price) { }

    record Outer(Order order, Side side, String note) { }

    record Looping(String name, Looping next) { }

    record WithList(List<String> items) { }

    private static <T> T roundTrip(Codec<T> codec, T value) {
        Bytes<?> bytes = Bytes.allocateElasticDirect(64);
        try {
            codec.write(value, bytes);
            long written = bytes.writePosition();
            T back = codec.read(bytes, null);
            assertThat(bytes.readPosition()).as("codec reads exactly what it wrote").isEqualTo(written);
            return back;
        } finally {
            bytes.releaseLast();
        }
    }

    @Test
    void shouldRoundTripBuiltInValueCodecs() {
        assertThat(roundTrip(Codecs.longs(), Long.MIN_VALUE)).isEqualTo(Long.MIN_VALUE);
        assertThat(roundTrip(Codecs.ints(), -7)).isEqualTo(-7);
        assertThat(roundTrip(Codecs.doubles(), Math.PI)).isEqualTo(Math.PI);
        assertThat(roundTrip(Codecs.doubles(), Double.NaN)).isNaN();
        assertThat(roundTrip(Codecs.strings(), "")).isEmpty();
        assertThat(roundTrip(Codecs.strings(), "grüße, 世界 🎉")).isEqualTo("grüße, 世界 🎉");
        assertThat(roundTrip(Codecs.byteArrays(), new byte[0])).isEmpty();
        assertThat(roundTrip(Codecs.byteArrays(), new byte[] {1, -2, 3})).containsExactly(1, -2, 3);
    }

    @Test
    void shouldRoundTripRecordsWithEveryComponentKindIncludingNestedRecordsAndEnums() {
        Codec<Outer> codec = Codecs.record(Outer.class);
        Order order = new Order(42L, -3, 101.25, 0.5f, (short) 7, (byte) -1, 'Z', true, "EURUSD",
            new byte[] {9, 8, 7}, Side.SELL, new Price(123456789L, (byte) -4));
        Outer back = roundTrip(codec, new Outer(order, Side.BUY, "first"));
        assertThat(back.side()).isEqualTo(Side.BUY);
        assertThat(back.note()).isEqualTo("first");
        assertThat(back.order()).usingRecursiveComparison().isEqualTo(order);
        assertThat(back.order().tag()).containsExactly(9, 8, 7);
    }

    @Test
    void shouldRoundTripNullReferenceComponents() {
        Codec<Outer> codec = Codecs.record(Outer.class);
        Order order = new Order(1L, 0, 0, 0, (short) 0, (byte) 0, '\0', false, null, null, null, null);
        Outer back = roundTrip(codec, new Outer(order, null, null));
        assertThat(back.order()).usingRecursiveComparison().isEqualTo(order);
        assertThat(back.side()).isNull();
        assertThat(back.note()).isNull();
        assertThat(roundTrip(codec, new Outer(null, Side.SELL, "x")).order()).isNull();
    }

    @Test
    void shouldDeriveARecordCodecOncePerClass() {
        assertThat(Codecs.record(Outer.class)).isSameAs(Codecs.record(Outer.class));
        assertThat(((RecordCodec<Outer>) Codecs.record(Outer.class)).type()).isEqualTo(Outer.class);
    }

    @Test
    void shouldNameTheComponentWhoseTypeIsNotSupported() {
        assertThatThrownBy(() -> Codecs.record(WithList.class))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining(WithList.class.getName())
            .hasMessageContaining("'items'")
            .hasMessageContaining("java.util.List<java.lang.String>");
    }

    @Test
    void shouldRefuseARecordThatContainsItself() {
        assertThatThrownBy(() -> Codecs.record(Looping.class))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("contains itself");
    }

    @Test
    void shouldWriteARecordWithoutAllocating() {
        Codec<Order> codec = Codecs.record(Order.class);
        Order order = new Order(42L, 3, 101.25, 0.5f, (short) 7, (byte) 1, 'Z', true, "EURUSD",
            new byte[] {9, 8, 7}, Side.SELL, new Price(123456789L, (byte) -4));
        Bytes<?> bytes = Bytes.allocateElasticDirect(4096);
        try {
            for (int i = 0; i < 200_000; i++) {
                bytes.clear();
                codec.write(order, bytes);
            }
            ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 100_000; i++) {
                bytes.clear();
                codec.write(order, bytes);
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertThat(allocated).as("bytes allocated by 100,000 record writes").isLessThan(100_000L);
        } finally {
            bytes.releaseLast();
        }
    }

    @Test
    void shouldFailOnAnEnumOrdinalThatDoesNotExist() {
        Codec<Outer> codec = Codecs.record(Outer.class);
        Bytes<?> bytes = Bytes.allocateElasticDirect(64);
        try {
            bytes.writeByte((byte) 0);  // order: null
            bytes.writeStopBit(7);      // side: ordinal 7 of a two-constant enum
            bytes.writeUtf8("x");
            assertThatThrownBy(() -> codec.read(bytes, null)).hasMessageContaining("enum ordinal 7");
        } finally {
            bytes.releaseLast();
        }
    }

    @Test
    void shouldRoundTripManyRecordsThroughOneCodecFromSeveralThreads() throws Exception {
        Codec<Price> codec = Codecs.record(Price.class);
        Map<Integer, Boolean> ok = new ConcurrentHashMap<>();
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            int id = t;
            threads[t] = new Thread(() -> {
                boolean fine = true;
                for (int i = 0; i < 10_000; i++) {
                    Price p = new Price(id * 1_000_000L + i, (byte) i);
                    fine &= roundTrip(codec, p).equals(p);
                }
                ok.put(id, fine);
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(ok).hasSize(4).doesNotContainValue(false);
    }
}
