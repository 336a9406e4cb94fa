package io.rivulet.examples;

import io.rivulet.engine.Rivulet;
import io.rivulet.engine.StaticSource;
import io.rivulet.engine.StaticTableHandle;
import io.rivulet.engine.Stream;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.Trigger;
import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.source.Sources;
import io.rivulet.operators.KeyValue;
import io.rivulet.operators.function.AggregateFunction;
import io.rivulet.operators.join.JoinType;
import io.rivulet.operators.keyed.EmitPolicy;

import java.net.URL;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The seeds' real-time inventory tracker: a stream of transactions (item, units sold, units bought)
 * joined with a static item file (item, name, price, location, stock on hand when the file was written)
 * to keep each item's updated stock: the file's stock plus everything bought minus everything sold since.
 *
 * <p>The item file is {@code inventory-items.csv} on the class path (read by column name, RFC 4180 quoting),
 * reloaded every 10 s while the query runs ({@link StaticTableHandle}): a new price or location shows from
 * the next transaction on. Transactions of an item not in the file are dropped (an inner join).
 * Prints the changed items once per second (update mode). Arguments: seconds to run (default 10),
 * transactions per second (default 1 000).
 */
public final class InventoryTrackerMain {
    private InventoryTrackerMain() {
    }

    /** One row of the item file. */
    public record Item(String id, String name, double price, String location, long stock) {
    }

    /** One transaction: units of an item sold and bought. */
    public record Transaction(String item, long sold, long bought) {
    }

    /** An item's stock now, with what the file says of it. */
    public record Stock(String item, String name, String location, long onHand, double value) {
        @Override
        public String toString() {
            return String.format("%-4s %-28s %-8s %7d units  %10.2f", item, name, location, onHand, value);
        }
    }

    /**
     * @param args optional seconds and transactions per second
     * @throws InterruptedException if interrupted while waiting
     */
    public static void main(String[] args) throws InterruptedException {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 10;
        long perSecond = args.length > 1 ? Long.parseLong(args[1]) : 1_000;
        StaticTableHandle<String, Item> items = StaticTableHandle.load(itemFile(), Item::id, Duration.ofSeconds(10), false);
        try (Rivulet rivulet = Rivulet.create()) {
            Stream<Transaction> transactions = rivulet.readStream(Sources.rate().rowsPerSecond(perSecond))
                .map(row -> transaction(row.value()));
            StreamingQuery query = inventory(transactions, items)
                .map(KeyValue::value)
                .writeStream(Sinks.<Stock>console().numRows(12).truncate(false))
                .outputMode("update")
                .queryName("inventory")
                .trigger(Trigger.processingTime(Duration.ofSeconds(1)))
                .start();
            Run.until(query, Duration.ofSeconds(seconds));
        }
    }

    /**
     * @return the item file on the class path, read by column name
     */
    static StaticSource<Item> itemFile() {
        URL file = Objects.requireNonNull(InventoryTrackerMain.class.getResource("/inventory-items.csv"),
            "inventory-items.csv is not on the class path");
        return StaticSource.csvWithHeader(file, InventoryTrackerMain::item);
    }

    private static Item item(Map<String, String> row) {
        return new Item(row.get("item"), row.get("name"), Double.parseDouble(row.get("price")), row.get("location"),
            Long.parseLong(row.get("stock")));
    }

    /** A generated transaction: items i01..i12 (i11 and i12 are not in the file), mostly sales. */
    static Transaction transaction(long n) {
        long h = n * 0x9E3779B97F4A7C15L;
        String item = String.format("i%02d", 1 + Math.floorMod(h >>> 7, 12));
        long units = 1 + Math.floorMod(h >>> 23, 20);
        return Math.floorMod(h >>> 40, 5) == 0 ? new Transaction(item, 0, units * 3) : new Transaction(item, units, 0);
    }

    /**
     * The tracker: each transaction joined with its item (stream-static inner join), then the running stock
     * per item.
     *
     * @param transactions the transactions
     * @param items the item file
     * @return each item's stock, after every transaction (continuous) or once per batch (micro-batch)
     */
    static Stream<KeyValue<String, Stock>> inventory(Stream<Transaction> transactions, StaticTableHandle<String, Item> items) {
        return transactions
            .join(items, Transaction::item, JoinType.INNER, (id, tx, item) -> new Moved(item, tx.bought() - tx.sold()))
            .keyBy("item", moved -> moved.item().id())
            .aggregate(new StockLevel(), EmitPolicy.EVERY_RECORD);
    }

    /** A transaction's change to an item's stock. */
    record Moved(Item item, long delta) {
    }

    /** The file's stock plus every change since; the latest item row names and prices it. */
    static final class StockLevel implements AggregateFunction<Moved, StockLevel.Level, Stock> {
        /** The running level of one item. */
        static final class Level {
            Item item;
            long delta;
        }

        @Override
        public Level createAccumulator() {
            return new Level();
        }

        @Override
        public Level add(Level level, Moved moved) {
            level.item = moved.item();
            level.delta += moved.delta();
            return level;
        }

        @Override
        public Level merge(Level a, Level b) {
            a.delta += b.delta;
            a.item = b.item == null ? a.item : b.item;
            return a;
        }

        @Override
        public Stock result(Level level) {
            long onHand = level.item.stock() + level.delta;
            return new Stock(level.item.id(), level.item.name(), level.item.location(), onHand,
                Math.round(onHand * level.item.price() * 100) / 100.0);
        }
    }
}
