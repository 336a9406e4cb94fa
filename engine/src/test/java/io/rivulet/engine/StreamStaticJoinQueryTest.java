package io.rivulet.engine;

import io.rivulet.engine.sink.MemorySink;
import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.source.MemoryStream;
import io.rivulet.engine.source.Sources;
import io.rivulet.operators.join.JoinType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Stream-static joins through the public API ({@code stream.join(handle, keyOf, type, fn)}): inner, left
 * outer and left semi in both modes, Spark's rejected shapes, late rows never dropped (Spark's f3), the
 * static side from a collection, CSV (quoted fields, header names), JSON lines and a supplier, and refresh
 * on demand and on an interval (a failed reload keeps the old table, or fails the query if asked).
 */
@ExtendWith(NoLeakedThreads.class)
class StreamStaticJoinQueryTest {
    /** A sale of {@code qty} units of an item. */
    record Sale(String item, int qty, long tsMs) {
    }

    /** A static item row. */
    record Item(String id, String name, int stock) {
    }

    @TempDir
    Path dir;

    private static final List<Item> ITEMS = List.of(new Item("i1", "bolt", 100), new Item("i2", "nut, hex", 50));

    private static String joined(String key, Sale sale, Item item) {
        return key + " " + sale.qty() + " " + (item == null ? null : item.name());
    }

    private static Trigger trigger(boolean microBatch) {
        return microBatch ? Trigger.processingTime(Duration.ofHours(1)) : Trigger.continuous(Duration.ofMillis(5));
    }

    private static List<String> run(StaticTableHandle<String, Item> items, JoinType type, boolean microBatch, Sale... sales)
        throws Exception {
        MemoryStream<Sale> input = Sources.memoryStream("sales");
        MemorySink<String> sink = Sinks.memory("joined");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(input).join(items, Sale::item, type, StreamStaticJoinQueryTest::joined)
                .writeStream(sink).trigger(trigger(microBatch)).start();
            input.addData(sales);
            query.processAllAvailable();
            if (microBatch) {
                assertThat(query.lastProgress().stateOperators()).as("a stream-static join holds no state").isEmpty();
            }
            query.stop();
        }
        return sink.rows();
    }

    @ParameterizedTest(name = "microBatch={0}")
    @ValueSource(booleans = {false, true})
    void shouldJoinEachRecordWithItsStaticRowsInnerLeftOuterAndSemi(boolean microBatch) throws Exception {
        StaticTableHandle<String, Item> items = StaticTableHandle.load(StaticSource.of(ITEMS), Item::id);
        Sale[] sales = {new Sale("i1", 3, 0), new Sale("zz", 1, 0), new Sale("i2", 2, 0)};
        assertThat(run(items, JoinType.INNER, microBatch, sales)).containsExactlyInAnyOrder("i1 3 bolt", "i2 2 nut, hex");
        assertThat(run(items, JoinType.LEFT_OUTER, microBatch, sales))
            .containsExactlyInAnyOrder("i1 3 bolt", "zz 1 null", "i2 2 nut, hex");
        assertThat(run(items, JoinType.LEFT_SEMI, microBatch, sales)).containsExactlyInAnyOrder("i1 3 null", "i2 2 null");
    }

    @Test
    void shouldRejectRightAndFullOuterJoinsWithAStaticSideInSparksWords() {
        StaticTableHandle<String, Item> items = StaticTableHandle.load(StaticSource.of(ITEMS), Item::id);
        try (Rivulet rivulet = Rivulet.create()) {
            Stream<Sale> sales = rivulet.readStream(Sources.<Sale>memoryStream("sales"));
            assertThatThrownBy(() -> sales.join(items, Sale::item, JoinType.RIGHT_OUTER, StreamStaticJoinQueryTest::joined))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Right outer join with a streaming DataFrame/Dataset on the left and a static"
                    + " DataFrame/DataSet on the right not supported");
            assertThatThrownBy(() -> sales.join(items, Sale::item, JoinType.FULL_OUTER, StreamStaticJoinQueryTest::joined))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Full outer joins");
        }
    }

    @ParameterizedTest(name = "microBatch={0}")
    @ValueSource(booleans = {false, true})
    void shouldNeverDropALateRecordAsAStatelessJoin(boolean microBatch) throws Exception {
        StaticTableHandle<String, Item> items = StaticTableHandle.load(StaticSource.of(ITEMS), Item::id);
        MemoryStream<Sale> input = Sources.memoryStream("sales");
        MemorySink<String> sink = Sinks.memory("joined");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(input).withWatermark(Sale::tsMs, Duration.ZERO)
                .join(items, Sale::item, JoinType.INNER, StreamStaticJoinQueryTest::joined)
                .writeStream(sink).trigger(trigger(microBatch)).start();
            input.addData(new Sale("i1", 1, 100_000));
            query.processAllAvailable();
            input.addData(new Sale("i2", 2, 1_000));
            query.processAllAvailable();
            if (microBatch) {
                assertThat(query.lastProgress().eventTimeWatermark()).as("the second sale is behind the watermark")
                    .isEqualTo(Instant.ofEpochMilli(100_000));
            }
            query.stop();
        }
        assertThat(sink.rows()).containsExactly("i1 1 bolt", "i2 2 nut, hex");
    }

    @Test
    void shouldUseTheNewTableForEveryRecordAfterAnOnDemandRefreshReturns() throws Exception {
        AtomicReference<List<Item>> rows = new AtomicReference<>(ITEMS);
        StaticTableHandle<String, Item> items = StaticTableHandle.load(StaticSource.fromSupplier("items", rows::get), Item::id);
        MemoryStream<Sale> input = Sources.memoryStream("sales");
        MemorySink<String> sink = Sinks.memory("joined");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(input).join(items, Sale::item, JoinType.LEFT_OUTER,
                StreamStaticJoinQueryTest::joined).writeStream(sink).trigger(trigger(false)).start();
            input.addData(new Sale("i3", 1, 0));
            query.processAllAvailable();
            rows.set(List.of(new Item("i3", "washer", 7)));
            items.refresh();
            input.addData(new Sale("i3", 2, 0), new Sale("i1", 5, 0));
            query.processAllAvailable();
            query.stop();
        }
        assertThat(sink.rows()).containsExactly("i3 1 null", "i3 2 washer", "i1 5 null");
        assertThat(items.refreshes()).isEqualTo(1);
    }

    @Test
    void shouldShowEachStaticTablesRefreshesFailuresRowsAndLoadTimeInProgress() throws Exception {
        AtomicReference<List<Item>> rows = new AtomicReference<>(ITEMS);
        StaticTableHandle<String, Item> items = StaticTableHandle.load(StaticSource.fromSupplier("items", () -> {
            List<Item> now = rows.get();
            if (now == null) {
                throw new IllegalStateException("database down");
            }
            return now;
        }), Item::id);
        Instant loaded = items.lastRefreshTime();
        MemoryStream<Sale> input = Sources.memoryStream("sales");
        try (Rivulet rivulet = Rivulet.create()) {
            // The same handle joined twice shows once.
            StreamingQuery query = rivulet.readStream(input).join(items, Sale::item, JoinType.LEFT_OUTER, (k, sale, item) -> sale)
                .join(items, Sale::item, JoinType.INNER, StreamStaticJoinQueryTest::joined)
                .writeStream(Sinks.<String>memory("joined")).trigger(trigger(true)).start();
            input.addData(new Sale("i1", 1, 0));
            query.processAllAvailable();
            assertThat(query.lastProgress().staticTables()).containsExactly(
                new QueryProgress.StaticTableProgress("items", 0, 0, 0, 0, 2, loaded));
            rows.set(List.of(new Item("i3", "washer", 7)));
            items.refresh();
            rows.set(null);
            assertThatThrownBy(items::refresh).isInstanceOf(IllegalStateException.class);
            input.addData(new Sale("i3", 2, 0));
            query.processAllAvailable();
            QueryProgress.StaticTableProgress table = query.lastProgress().staticTables().get(0);
            assertThat(table.numRefreshes()).isEqualTo(1);
            assertThat(table.numRefreshFailures()).isEqualTo(1);
            assertThat(table.numRows()).as("the refreshed table; the failed refresh kept it").isEqualTo(1);
            assertThat(table.lastRefreshTimestamp()).isEqualTo(items.lastRefreshTime()).isAfterOrEqualTo(loaded);
            input.addData(new Sale("i3", 3, 0));
            query.processAllAvailable();
            assertThat(query.lastProgress().staticTables()).as("interval counts reset, totals kept").containsExactly(
                new QueryProgress.StaticTableProgress("items", 0, 0, 1, 1, 1, items.lastRefreshTime()));
            assertThat(query.lastProgress().toString()).contains("staticTables");
            query.stop();
        }
    }

    @Test
    void shouldKeepThePreviousTableWhenARefreshFailsAndCountIt() {
        AtomicInteger loads = new AtomicInteger();
        StaticTableHandle<String, Item> items = StaticTableHandle.load(StaticSource.fromSupplier("flaky", () -> {
            if (loads.incrementAndGet() > 1) {
                throw new IllegalStateException("database down");
            }
            return ITEMS;
        }), Item::id);
        assertThatThrownBy(items::refresh).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("cannot load the static table from flaky").hasMessageContaining("database down");
        assertThat(items.table().rowCount()).isEqualTo(2);
        assertThat(items.refreshFailures()).isEqualTo(1);
        assertThat(items.lastRefreshFailure()).hasMessageContaining("database down");
    }

    @Test
    void shouldRefreshOnTheIntervalWhileTheQueryRunsAndKeepRunningThroughFailedReloads() throws Exception {
        AtomicInteger loads = new AtomicInteger();
        CountDownLatch failedThenRefreshed = new CountDownLatch(1);
        StaticTableHandle<String, Item> items = StaticTableHandle.load(StaticSource.fromSupplier("items", () -> {
            int n = loads.incrementAndGet();
            if (n == 2) {
                throw new IllegalStateException("file half written");
            }
            if (n == 3) {
                failedThenRefreshed.countDown();
                return List.of(new Item("i1", "bolt v" + n, 1));
            }
            return n == 1 ? ITEMS : List.of(new Item("i1", "bolt v3", 1));
        }), Item::id, Duration.ofMillis(5), false);
        MemoryStream<Sale> input = Sources.memoryStream("sales");
        MemorySink<String> sink = Sinks.memory("joined");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(input).join(items, Sale::item, JoinType.INNER,
                StreamStaticJoinQueryTest::joined).writeStream(sink).queryName("refreshing").trigger(trigger(true)).start();
            assertThat(failedThenRefreshed.await(30, TimeUnit.SECONDS)).isTrue();
            while (items.refreshes() < 1) {
                Thread.onSpinWait();
            }
            input.addData(new Sale("i1", 4, 0));
            query.processAllAvailable();
            assertThat(query.isActive()).isTrue();
            query.stop();
        }
        assertThat(items.refreshFailures()).isEqualTo(1);
        assertThat(sink.rows()).containsExactly("i1 4 bolt v3");
        // The query's refresh thread ended with it.
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("rivulet-refreshing-static-refresh"));
    }

    @Test
    void shouldFailTheQueryOnAFailedIntervalRefreshWhenAsked() throws Exception {
        AtomicInteger loads = new AtomicInteger();
        StaticTableHandle<String, Item> items = StaticTableHandle.load(StaticSource.fromSupplier("items", () -> {
            if (loads.incrementAndGet() > 1) {
                throw new IllegalStateException("items.csv is gone");
            }
            return ITEMS;
        }), Item::id, Duration.ofMillis(5), true);
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(Sources.<Sale>memoryStream("sales"))
                .join(items, Sale::item, JoinType.INNER, StreamStaticJoinQueryTest::joined)
                .writeStream(Sinks.<String>memory("joined")).trigger(trigger(false)).start();
            assertThatThrownBy(query::awaitTermination).isInstanceOf(StreamingQueryException.class)
                .hasMessageContaining("items.csv is gone");
        }
    }

    @Test
    void shouldLoadACsvFileWithQuotedFieldsByColumnNameOrByPosition() throws Exception {
        Path file = dir.resolve("items.csv");
        Files.writeString(file, "id,name,stock\ni1,bolt,100\n\ni2,\"nut, hex \"\"M4\"\"\",50\n");
        StaticTableHandle<String, Item> byName = StaticTableHandle.load(StaticSource.csvWithHeader(file,
            r -> new Item(r.get("id"), r.get("name"), Integer.parseInt(r.get("stock")))), Item::id);
        assertThat(byName.table().rows("i2")).containsExactly(new Item("i2", "nut, hex \"M4\"", 50));
        assertThat(byName.table().rowCount()).isEqualTo(2);
        Path headless = dir.resolve("headless.csv");
        Files.writeString(headless, "i1,\"multi\nline\",3\n");
        StaticTableHandle<String, Item> byPosition = StaticTableHandle.load(StaticSource.csv(headless,
            f -> new Item(f[0], f[1], Integer.parseInt(f[2]))), Item::id);
        assertThat(byPosition.table().rows("i1")).containsExactly(new Item("i1", "multi\nline", 3));
    }

    @Test
    void shouldNameTheFileAndRecordOfABadCsvRow() throws Exception {
        Path file = dir.resolve("bad.csv");
        Files.writeString(file, "id,name,stock\ni1,bolt,100\ni2,nut,many\n");
        assertThatThrownBy(() -> StaticTableHandle.load(StaticSource.csvWithHeader(file,
            r -> new Item(r.get("id"), r.get("name"), Integer.parseInt(r.get("stock")))), Item::id))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("bad.csv record 2").hasMessageContaining("many");
    }

    @Test
    void shouldLoadAJsonLinesFileIntoRecordsOrMaps() throws Exception {
        Path file = dir.resolve("items.jsonl");
        Files.writeString(file, "{\"id\":\"i1\",\"name\":\"bolt\",\"stock\":100}\n\n{\"id\":\"i2\",\"name\":\"nut\",\"stock\":5}\n");
        StaticTableHandle<String, Item> records = StaticTableHandle.load(StaticSource.jsonLines(file, Item.class), Item::id);
        assertThat(records.table().rows("i2")).containsExactly(new Item("i2", "nut", 5));
        StaticTableHandle<Object, Map<String, Object>> maps = StaticTableHandle.load(StaticSource.jsonLines(file),
            m -> m.get("id"));
        assertThat(maps.table().rows("i1")).singleElement().satisfies(m -> assertThat(m).containsEntry("stock", 100));
        Files.writeString(file, "{\"id\":\"i1\"}\n{not json}\n");
        assertThatThrownBy(() -> StaticTableHandle.load(StaticSource.jsonLines(file, Item.class), Item::id))
            .hasMessageContaining("items.jsonl line 2");
    }

    @Test
    void shouldFailToLoadAMissingFileAtOnce() {
        assertThatThrownBy(() -> StaticTableHandle.load(StaticSource.csv(dir.resolve("none.csv"), f -> f[0]), f -> f))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("none.csv");
        assertThatThrownBy(() -> StaticTableHandle.load(StaticSource.of(ITEMS), Item::id, Duration.ZERO, false))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("refreshInterval must be positive");
    }
}
