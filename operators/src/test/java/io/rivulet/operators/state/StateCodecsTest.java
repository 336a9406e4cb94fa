package io.rivulet.operators.state;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StateCodecsTest {
    enum Side { BUY, SELL { } }

    record Point(long x, double y) {
    }

    record Book(String symbol, List<Map<Side, Point>> levels, int[] depth) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Book b && symbol.equals(b.symbol) && levels.equals(b.levels) && Arrays.equals(depth, b.depth);
        }

        @Override
        public int hashCode() {
            return Objects.hash(symbol, levels, Arrays.hashCode(depth));
        }
    }

    static class Base {
        long id;
    }

    static final class Holder extends Base {
        String name;
        transient String cache = "not written";
        static int ignored;
        final long[] values;

        Holder() {
            values = new long[2];
        }
    }

    final class Inner {
        long v;
    }

    static final class NoDefaultConstructor {
        final long v;

        NoDefaultConstructor(long v) {
            this.v = v;
        }
    }

    private final StateCodec<Object> dynamic = StateCodecs.dynamic();

    private <T> T roundTrip(StateCodec<T> codec, T value) {
        SnapshotOutput out = new SnapshotOutput();
        codec.write(value, out);
        SnapshotInput in = out.asInput();
        T read = codec.read(in);
        assertThat(in.hasRemaining()).as("read consumed what write wrote").isFalse();
        return read;
    }

    @Test
    void shouldRoundTripEveryScalarType() {
        List<Object> values = Arrays.asList(null, 42L, Long.MIN_VALUE, -7, (short) -3, (byte) 9, 'x', true, false,
            Math.PI, Double.NaN, 1.5f, "héllo", "", Instant.ofEpochSecond(1_700_000_000L, 123_456_789),
            Duration.ofMillis(-1500), Side.BUY, Side.SELL);
        for (Object value : values) {
            assertThat(roundTrip(dynamic, value)).as("%s", value).isEqualTo(value);
        }
        assertThat(roundTrip(dynamic, Side.SELL)).isSameAs(Side.SELL);
    }

    @Test
    void shouldRoundTripArraysWithTheirComponentClass() {
        assertThat((byte[]) roundTrip(dynamic, "abc".getBytes(StandardCharsets.UTF_8))).containsExactly('a', 'b', 'c');
        assertThat((long[]) roundTrip(dynamic, new long[] {1, -2, Long.MAX_VALUE})).containsExactly(1, -2, Long.MAX_VALUE);
        assertThat((int[]) roundTrip(dynamic, new int[] {3, 4})).containsExactly(3, 4);
        assertThat((double[]) roundTrip(dynamic, new double[] {0.5, -1})).containsExactly(0.5, -1);
        assertThat((boolean[]) roundTrip(dynamic, new boolean[] {true, false})).containsExactly(true, false);
        Object strings = roundTrip(dynamic, new String[] {"a", null});
        assertThat(strings).isInstanceOf(String[].class);
        assertThat((String[]) strings).containsExactly("a", null);
        Object nested = roundTrip(dynamic, new Object[] {new long[] {7}, "s", new Point(1, 2)});
        assertThat(nested.getClass()).isEqualTo(Object[].class);
        assertThat((long[]) ((Object[]) nested)[0]).containsExactly(7);
        assertThat(((Object[]) nested)[2]).isEqualTo(new Point(1, 2));
    }

    @Test
    void shouldRoundTripCollectionsAsArrayListLinkedHashSetAndLinkedHashMap() {
        Object list = roundTrip(dynamic, List.of(1L, "two"));
        assertThat(list).isInstanceOf(ArrayList.class).isEqualTo(List.of(1L, "two"));
        Object set = roundTrip(dynamic, new LinkedHashSet<>(List.of("b", "a")));
        assertThat(set).isInstanceOf(LinkedHashSet.class);
        assertThat(new ArrayList<Object>((Set<?>) set)).containsExactly("b", "a");
        TreeMap<String, Long> tree = new TreeMap<>(Map.of("z", 1L, "a", 2L));
        Object map = roundTrip(dynamic, tree);
        assertThat(map).isInstanceOf(LinkedHashMap.class).isEqualTo(tree);
        assertThat(new ArrayList<Object>(((Map<?, ?>) map).keySet())).containsExactly("a", "z");
    }

    @Test
    void shouldRoundTripRecordHoldingListOfMapsOfEnums() {
        Map<Side, Point> level = new LinkedHashMap<>();
        level.put(Side.BUY, new Point(100, 1.5));
        level.put(Side.SELL, new Point(101, 2.5));
        Book book = new Book("ACME", List.of(level, Map.of()), new int[] {1, 2});
        assertThat(roundTrip(dynamic, book)).isEqualTo(book);
        assertThat(roundTrip(StateCodecs.record(Book.class), book)).isEqualTo(book);
    }

    @Test
    void shouldWriteFieldsOfAClassWithANoArgConstructorSkippingTransientAndStatic() {
        Holder holder = new Holder();
        holder.id = 5;
        holder.name = "n";
        holder.values[1] = 9;
        holder.cache = "changed";
        Holder read = (Holder) roundTrip(dynamic, holder);
        assertThat(read.id).isEqualTo(5);
        assertThat(read.name).isEqualTo("n");
        assertThat(read.values).containsExactly(0, 9);
        assertThat(read.cache).isEqualTo("not written");
    }

    @Test
    void shouldWriteAClassNameOnceAndThenASmallId() {
        SnapshotOutput out = new SnapshotOutput();
        dynamic.write(new Point(0, 0), out);
        int first = out.length();
        for (int i = 1; i < 1000; i++) {
            dynamic.write(i % 3 == 0 ? Side.BUY : new Point(i, i), out);
        }
        int perValue = (out.length() - first) / 999;
        assertThat(perValue).as("bytes per later value").isLessThan(Point.class.getName().length());
        SnapshotInput in = out.asInput();
        assertThat(dynamic.read(in)).isEqualTo(new Point(0, 0));
        for (int i = 1; i < 1000; i++) {
            assertThat(dynamic.read(in)).isEqualTo(i % 3 == 0 ? Side.BUY : new Point(i, i));
        }
        assertThat(in.hasRemaining()).isFalse();
    }

    @Test
    void shouldStartANewClassDictionaryAfterReset() {
        SnapshotOutput out = new SnapshotOutput();
        dynamic.write(new Point(1, 1), out);
        out.reset();
        dynamic.write(new Point(2, 2), out);
        assertThat(dynamic.read(out.asInput())).isEqualTo(new Point(2, 2));
    }

    @Test
    void shouldFailOnAClassIdWhenTheBlockIsNotReadFromItsStart() {
        SnapshotOutput out = new SnapshotOutput();
        dynamic.write(new Point(1, 1), out);
        int second = out.length();
        dynamic.write(new Point(2, 2), out);
        SnapshotInput fromMiddle = new SnapshotInput(out.buffer(), second, out.length() - second);
        assertThatThrownBy(() -> dynamic.read(fromMiddle)).isInstanceOf(StateFormatException.class)
            .hasMessageContaining("class id 0");
    }

    @Test
    void shouldRejectALambdaNamingItsClassAndTheFix() {
        Supplier<String> lambda = () -> "x";
        assertThatThrownBy(() -> dynamic.write(lambda, new SnapshotOutput()))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining(lambda.getClass().getName())
            .hasMessageContaining("lambda")
            .hasMessageContaining("record")
            .hasMessageContaining("explicit StateCodec");
    }

    @Test
    void shouldRejectAThreadAndAClassWithoutNoArgConstructor() {
        assertThatThrownBy(() -> dynamic.write(new Thread(), new SnapshotOutput()))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.lang.Thread")
            .hasMessageContaining("JDK class");
        assertThatThrownBy(() -> dynamic.write(new NoDefaultConstructor(1), new SnapshotOutput()))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(NoDefaultConstructor.class.getName())
            .hasMessageContaining("no-arg constructor");
        assertThatThrownBy(() -> dynamic.write(new Inner(), new SnapshotOutput()))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inner class");
        assertThatThrownBy(() -> dynamic.write(new char[1], new SnapshotOutput()))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("arrays of char");
    }

    @Test
    void shouldRejectACycle() {
        List<Object> list = new ArrayList<>();
        list.add(list);
        assertThatThrownBy(() -> dynamic.write(list, new SnapshotOutput()))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cycle");
    }

    @Test
    void shouldFailRestoreNamingAMissingClass() {
        SnapshotOutput out = new SnapshotOutput();
        dynamic.write(new Point(1, 2), out);
        byte[] bytes = out.toByteArray();
        String name = Point.class.getName();
        byte[] renamed = new String(bytes, StandardCharsets.ISO_8859_1)
            .replace(name, name.substring(0, name.length() - 5) + "Gone$").getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> dynamic.read(new SnapshotInput(renamed)))
            .isInstanceOf(StateFormatException.class).hasMessageContaining("Gone$").hasMessageContaining("not on the classpath");
    }

    @Test
    void shouldFailOnAnUnknownTag() {
        assertThatThrownBy(() -> dynamic.read(new SnapshotInput(new byte[] {99})))
            .isInstanceOf(StateFormatException.class).hasMessageContaining("tag 99");
    }

    @Test
    void shouldCopyMutableValuesDeeplyAndReturnImmutablesAsTheyAre() {
        long[] counts = {1, 2};
        long[] copy = (long[]) dynamic.copy(counts);
        counts[0] = 100;
        assertThat(copy).containsExactly(1, 2);

        long[] inner = {5};
        Object[] outer = {inner, "s", List.of(new long[] {6})};
        Object[] outerCopy = (Object[]) dynamic.copy(outer);
        inner[0] = 50;
        outer[1] = "changed";
        assertThat((long[]) outerCopy[0]).containsExactly(5);
        assertThat(outerCopy[1]).isEqualTo("s");
        assertThat(outerCopy[2]).isNotSameAs(outer[2]);

        String s = "immutable";
        Point p = new Point(1, 2);
        assertThat(dynamic.copy(s)).isSameAs(s);
        assertThat(dynamic.copy(p)).isSameAs(p);
        assertThat(dynamic.copy(Side.SELL)).isSameAs(Side.SELL);
        assertThat(dynamic.copy(42L)).isSameAs(42L);

        Map<String, long[]> map = new HashMap<>();
        map.put("k", new long[] {1});
        @SuppressWarnings("unchecked")
        Map<String, long[]> mapCopy = (Map<String, long[]>) dynamic.copy(map);
        map.get("k")[0] = 9;
        assertThat(mapCopy.get("k")).containsExactly(1);

        Book book = new Book("A", List.of(), new int[] {1});
        Book bookCopy = (Book) dynamic.copy(book);
        book.depth()[0] = 2;
        assertThat(bookCopy.depth()).containsExactly(1);
    }

    @Test
    void shouldDescribeEachCodec() {
        assertThat(dynamic.describe()).isEqualTo("dynamic");
        assertThat(StateCodecs.record(Point.class).describe()).isEqualTo("record(" + Point.class.getName() + ")");
        assertThat(StateCodecs.enumOf(Side.class).describe()).isEqualTo("enum(" + Side.class.getName() + ")");
        assertThat(StateCodecs.nullable(StateCodecs.longs()).describe()).isEqualTo("nullable(long)");
        assertThat(StateCodecs.listOf(StateCodecs.strings()).describe()).isEqualTo("list(string)");
        assertThat(StateCodecs.longArrays().describe()).isEqualTo("long[]");
        assertThat(StateCodecs.doubleArrays().describe()).isEqualTo("double[]");
    }

    @Test
    void shouldRoundTripTypedHelpers() {
        assertThat(roundTrip(StateCodecs.record(Point.class), new Point(3, 4))).isEqualTo(new Point(3, 4));
        assertThat(roundTrip(StateCodecs.enumOf(Side.class), Side.SELL)).isSameAs(Side.SELL);
        StateCodec<Long> nullableLongs = StateCodecs.nullable(StateCodecs.longs());
        assertThat(roundTrip(nullableLongs, null)).isNull();
        assertThat(roundTrip(nullableLongs, 7L)).isEqualTo(7L);
        assertThat(roundTrip(StateCodecs.listOf(StateCodecs.strings()), List.of("a", "b"))).containsExactly("a", "b");
        assertThat(roundTrip(StateCodecs.longArrays(), new long[] {1, 2})).containsExactly(1, 2);
        assertThat(roundTrip(StateCodecs.doubleArrays(), new double[] {1.5})).containsExactly(1.5);
        long[] original = {1};
        long[] copied = StateCodecs.longArrays().copy(original);
        original[0] = 2;
        assertThat(copied).containsExactly(1);
        assertThatThrownBy(() -> StateCodecs.enumOf(Side.class).read(new SnapshotInput(out("HOLD"))))
            .isInstanceOf(StateFormatException.class).hasMessageContaining("HOLD");
    }

    @Test
    void shouldRejectARecordCodecOfANonRecordClass() {
        @SuppressWarnings({"unchecked", "rawtypes"})
        Class<Record> notRecord = (Class) String.class;
        assertThatThrownBy(() -> StateCodecs.record(notRecord))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.lang.String is not a record");
    }

    private static byte[] out(String s) {
        return new SnapshotOutput().writeString(s).toByteArray();
    }
}
