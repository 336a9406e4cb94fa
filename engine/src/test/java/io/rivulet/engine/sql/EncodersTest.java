package io.rivulet.engine.sql;

import io.rivulet.engine.types.ArrayType;
import io.rivulet.engine.types.DataTypes;
import io.rivulet.engine.types.DecimalType;
import io.rivulet.engine.types.StructType;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EncodersTest {
    record Trade(long id, String symbol, double price, int qty, boolean buy, Instant ts) {
    }

    enum Side { BUY, SELL }

    record Leg(String venue, Integer size) {
    }

    record Order(LocalDate day, BigDecimal notional, Side side, List<String> tags, Map<String, Long> limits,
                 Leg leg, List<Leg> legs, int[] fills, byte[] raw, float f, short s, byte b,
                 Timestamp legacyTs, Double maybe) {
    }

    private record Hidden(int x, String y) {
    }

    record WithOptional(Optional<String> note) {
    }

    record WithRawList(@SuppressWarnings("rawtypes") List items) {
    }

    record Node(String name, Node next) {
    }

    record Empty() {
    }

    /** A bean as Spark's Encoders.bean expects it. */
    public static final class Quote {
        private String symbol;
        private double bid;
        private boolean live;
        private Integer level;
        private float spread;
        private List<Leg> legs;

        public String getSymbol() {
            return symbol;
        }

        public void setSymbol(String symbol) {
            this.symbol = symbol;
        }

        public double getBid() {
            return bid;
        }

        public void setBid(double bid) {
            this.bid = bid;
        }

        public boolean isLive() {
            return live;
        }

        public void setLive(boolean live) {
            this.live = live;
        }

        public Integer getLevel() {
            return level;
        }

        public void setLevel(Integer level) {
            this.level = level;
        }

        public float getSpread() {
            return spread;
        }

        public void setSpread(float spread) {
            this.spread = spread;
        }

        public List<Leg> getLegs() {
            return legs;
        }

        public void setLegs(List<Leg> legs) {
            this.legs = legs;
        }

        public String getReadOnly() {
            return "not a property: no setter";
        }
    }

    @Test
    void shouldInferRecordSchemaInComponentOrder() {
        Encoder<Trade> encoder = Encoders.record(Trade.class);

        assertThat(encoder.schema().treeString()).isEqualTo(
            "root\n"
                + " |-- id: long (nullable = false)\n"
                + " |-- symbol: string (nullable = true)\n"
                + " |-- price: double (nullable = false)\n"
                + " |-- qty: integer (nullable = false)\n"
                + " |-- buy: boolean (nullable = false)\n"
                + " |-- ts: timestamp (nullable = true)\n");
        assertThat(encoder.clazz()).isEqualTo(Trade.class);
    }

    @Test
    void shouldRoundTripARecordThroughAReusedRow() {
        Encoder<Trade> encoder = Encoders.record(Trade.class);
        MutableRow row = MutableRow.create(encoder.schema());
        Trade trade = new Trade(7L, "ACME", 101.25, 300, true, Instant.parse("2024-01-02T03:04:05.678901Z"));

        encoder.toRow(trade, row);

        assertThat(row.getLong(0)).isEqualTo(7L);
        assertThat(row.getString(1)).isEqualTo("ACME");
        assertThat(row.getDouble(2)).isEqualTo(101.25);
        assertThat(row.getInt(3)).isEqualTo(300);
        assertThat(row.getBoolean(4)).isTrue();
        assertThat(row.getTimestampMicros(5)).isEqualTo(1704164645678901L);
        assertThat(encoder.fromRow(row)).isEqualTo(trade);

        Trade withNulls = new Trade(8L, null, 1.0, 1, false, null);
        encoder.toRow(withNulls, row);
        assertThat(row.isNullAt(1)).isTrue();
        assertThat(row.isNullAt(5)).isTrue();
        assertThat(encoder.fromRow(row)).isEqualTo(withNulls);
    }

    @Test
    void shouldEncodeEveryJavaTypeNestedRecordsAndCollections() {
        Encoder<Order> encoder = Encoders.record(Order.class);
        Order order = new Order(LocalDate.of(2024, 2, 29), new BigDecimal("12.5"), Side.SELL, List.of("a", "b"),
            Map.of("max", 10L), new Leg("X", 5), List.of(new Leg("Y", null)), new int[] {1, 2}, new byte[] {9},
            1.5f, (short) 2, (byte) 3, Timestamp.from(Instant.parse("2024-01-01T00:00:00.000001Z")), null);

        assertThat(encoder.schema().simpleString()).isEqualTo("struct<day:date,notional:decimal(38,18),side:string,"
            + "tags:array<string>,limits:map<string,bigint>,leg:struct<venue:string,size:int>,"
            + "legs:array<struct<venue:string,size:int>>,fills:array<int>,raw:binary,f:float,s:smallint,"
            + "b:tinyint,legacyTs:timestamp,maybe:double>");
        assertThat(((ArrayType) encoder.schema().apply("fills").dataType()).containsNull())
            .isFalse();
        MutableRow row = encoder.toRow(order);
        assertThat(row.getString(2)).isEqualTo("SELL");
        assertThat(row.getStruct(5)).hasToString("[X,5]");
        assertThat(row.getList(6).get(0)).hasToString("[Y,null]");
        assertThat(row.getDecimal(1)).isEqualTo(new BigDecimal("12.500000000000000000"));

        Order back = encoder.fromRow(row);

        assertThat(back.day()).isEqualTo(order.day());
        assertThat(back.notional()).isEqualByComparingTo(order.notional());
        assertThat(back.side()).isEqualTo(Side.SELL);
        assertThat(back.tags()).containsExactly("a", "b");
        assertThat(back.limits()).containsEntry("max", 10L);
        assertThat(back.leg()).isEqualTo(new Leg("X", 5));
        assertThat(back.legs()).containsExactly(new Leg("Y", null));
        assertThat(back.fills()).containsExactly(1, 2);
        assertThat(back.raw()).containsExactly(9);
        assertThat(back.f()).isEqualTo(1.5f);
        assertThat(back.s()).isEqualTo((short) 2);
        assertThat(back.b()).isEqualTo((byte) 3);
        assertThat(back.legacyTs()).isEqualTo(order.legacyTs());
        assertThat(back.maybe()).isNull();
    }

    @Test
    void shouldEncodeBeansWithPropertiesSortedByNameAsSpark() {
        Encoder<Quote> encoder = Encoders.bean(Quote.class);
        Quote quote = new Quote();
        quote.setSymbol("ACME");
        quote.setBid(9.5);
        quote.setLive(true);
        quote.setSpread(0.25f);
        quote.setLegs(List.of(new Leg("Z", 1)));

        assertThat(encoder.schema().fieldNames()).containsExactly("bid", "legs", "level", "live", "spread", "symbol");
        assertThat(encoder.schema().apply("bid").nullable()).isFalse();
        assertThat(encoder.schema().apply("level").nullable()).isTrue();
        Row row = encoder.toRow(quote);
        assertThat(row).hasToString("[9.5,[[Z,1]],null,true,0.25,ACME]");

        Quote back = encoder.fromRow(row);

        assertThat(back.getSymbol()).isEqualTo("ACME");
        assertThat(back.getBid()).isEqualTo(9.5);
        assertThat(back.isLive()).isTrue();
        assertThat(back.getLevel()).isNull();
        assertThat(back.getSpread()).isEqualTo(0.25f);
        assertThat(back.getLegs()).containsExactly(new Leg("Z", 1));
    }

    @Test
    void shouldEncodePrivateRecordsAndEmptyRecords() {
        Encoder<Hidden> hidden = Encoders.record(Hidden.class);
        assertThat(hidden.fromRow(hidden.toRow(new Hidden(1, "y")))).isEqualTo(new Hidden(1, "y"));

        Encoder<Empty> empty = Encoders.record(Empty.class);
        assertThat(empty.schema().size()).isZero();
        assertThat(empty.fromRow(empty.toRow(new Empty()))).isEqualTo(new Empty());
    }

    @Test
    void shouldFailNamingClassFieldAndTypeForUnsupportedTypes() {
        assertThatThrownBy(() -> Encoders.record(WithOptional.class))
            .isInstanceOf(UnsupportedOperationException.class)
            .hasMessageStartingWith("Cannot encode " + WithOptional.class.getName()
                + ".note: type java.util.Optional<java.lang.String> is not supported; supported: String,");
        assertThatThrownBy(() -> Encoders.record(WithRawList.class))
            .hasMessageContaining(".items: type java.util.List is not supported (a raw List: give its type arguments)");
        assertThatThrownBy(() -> Encoders.record(Node.class))
            .hasMessageContaining(Node.class.getName() + ".next: type " + Node.class.getName() + " refers to itself");
        assertThatThrownBy(() -> Encoders.bean(Trade.class)).hasMessageContaining("it is a record; use Encoders.record");
        assertThatThrownBy(() -> Encoders.record(Quote.class)).hasMessageContaining("it is not one; use Encoders.bean");
        assertThatThrownBy(() -> Encoders.bean(String.class)).hasMessageContaining("as a bean: a bean needs");
    }

    @Test
    void shouldFailNamingTheFieldWhenANullMeetsAPrimitiveComponent() {
        Encoder<Trade> encoder = Encoders.record(Trade.class);
        Row row = Row.of(encoder.schema(), null, "A", 1.0, 1, true, null);

        assertThatThrownBy(() -> encoder.fromRow(row))
            .isInstanceOf(NullPointerException.class)
            .hasMessageContaining("field 'id'");
    }

    @Test
    void shouldEncodeSingleValuesAsOneNullableValueField() {
        Encoder<String> strings = Encoders.STRING();
        assertThat(strings.schema()).isEqualTo(new StructType().add("value", DataTypes.StringType));
        assertThat(strings.fromRow(strings.toRow("hi"))).isEqualTo("hi");
        assertThat(strings.fromRow(Row.of(strings.schema(), (Object) null))).isNull();

        assertThat(Encoders.INT().fromRow(Encoders.INT().toRow(5))).isEqualTo(5);
        assertThat(Encoders.LONG().schema().apply(0).dataType()).isEqualTo(DataTypes.LongType);
        assertThat(Encoders.DECIMAL().schema().apply(0).dataType()).isEqualTo(DecimalType.SYSTEM_DEFAULT);
        Instant t = Instant.parse("2024-01-01T00:00:00Z");
        assertThat(Encoders.INSTANT().fromRow(Encoders.INSTANT().toRow(t))).isEqualTo(t);
        assertThat(Encoders.TIMESTAMP().fromRow(Encoders.TIMESTAMP().toRow(Timestamp.from(t))))
            .isEqualTo(Timestamp.from(t));
        assertThat(Encoders.LOCALDATE().fromRow(Encoders.LOCALDATE().toRow(LocalDate.EPOCH))).isEqualTo(LocalDate.EPOCH);
        assertThat(Encoders.DATE().schema().apply(0).dataType()).isEqualTo(DataTypes.DateType);
        assertThat(Encoders.BOOLEAN().fromRow(Encoders.BOOLEAN().toRow(true))).isTrue();
        assertThat(Encoders.DOUBLE().fromRow(Encoders.DOUBLE().toRow(2.0))).isEqualTo(2.0);
        assertThat(Encoders.FLOAT().fromRow(Encoders.FLOAT().toRow(2.0f))).isEqualTo(2.0f);
        assertThat(Encoders.SHORT().fromRow(Encoders.SHORT().toRow((short) 2))).isEqualTo((short) 2);
        assertThat(Encoders.BYTE().fromRow(Encoders.BYTE().toRow((byte) 2))).isEqualTo((byte) 2);
        assertThat(Encoders.BINARY().fromRow(Encoders.BINARY().toRow(new byte[] {1}))).containsExactly(1);
    }
}
