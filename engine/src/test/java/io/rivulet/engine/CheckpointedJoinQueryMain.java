package io.rivulet.engine;

import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.source.Source;
import io.rivulet.engine.source.SourceContext;
import io.rivulet.engine.source.SourceReader;
import io.rivulet.engine.source.Sources;
import io.rivulet.journal.JournalOptions;
import io.rivulet.journal.codec.Codecs;
import io.rivulet.operators.join.JoinType;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * The join query {@link CheckpointKillTest} kills: two bounded journals of {@code id,eventTimeMs} lines
 * (orders and payments), inner-joined on the id over two partitions with a stream-stream join, each pair
 * written once as a CSV row {@code id,orderTimeMs,paymentTimeMs}, exactly once, with a checkpoint every
 * 10 ms epoch. No watermark and no time range: nothing is late and nothing evicted, so the output of any
 * run is fully determined by the input however the two inputs interleave (the join's state, both sides'
 * buffered rows, is what the kills put to the test). Reads slowly on purpose, as
 * {@link CheckpointedWindowQueryMain} does. Exits 0 when both inputs are done.
 *
 * <p>With a fifth argument {@code range}: a left outer join of the orders with the payments made within
 * [order, order + {@value #RANGE_MS} ms], each input with a {@value #DELAY_MS} ms watermark, in micro-batch
 * mode ({@code availableNow}, at most {@value #ROWS_PER_BATCH} rows of each input per batch, so a run
 * makes many batches and checkpoints): both sides' rows are evicted by the watermark and each order never
 * paid within the range comes out once as {@code id,orderTimeMs,-1} when its left row is evicted, so the
 * eviction state (the watermarks, the matched flags, what is left of both sides) is what the kills put to
 * the test. Micro-batch mode, not continuous: a batch's watermark is fixed before it runs, so which rows
 * are late does not depend on how the two inputs interleave, and the output of any run is determined by
 * the input (see {@code CheckpointKillTest.writeRangeJoinInput}).
 *
 * <p>Arguments: orders journal directory, payments journal directory, checkpoint directory, output directory,
 * and optionally {@code range} (above) or {@code long}: the long-key join ({@code keyByLong} on the id's number, {@code o123} → 123)
 * instead of the boxed one, with the same output.
 */
public final class CheckpointedJoinQueryMain {
    private CheckpointedJoinQueryMain() {
    }

    /** One input line of either journal. */
    record Event(String id, long tsMs) {
    }

    /** One output row. */
    record Paid(String id, long orderTsMs, long paymentTsMs) {
    }

    /** The range join's upper bound: a payment at most this many ms after its order matches. */
    static final long RANGE_MS = 50;
    /** The range join's watermark delay on each input. */
    static final long DELAY_MS = 100;
    /** The range join's batch cap per input. */
    static final long ROWS_PER_BATCH = 500;

    public static void main(String[] args) throws Exception {
        if (args.length > 4 && args[4].equals("range")) {
            rangeJoin(args);
            System.exit(0);
        }
        try (Rivulet rivulet = Rivulet.create()) {
            boolean longKeys = args.length > 4 && args[4].equals("long");
            Stream<Paid> paid = longKeys
                ? events(rivulet, Path.of(args[0])).keyByLong("id", CheckpointedJoinQueryMain::idNumber, 2)
                    .join(events(rivulet, Path.of(args[1])).keyByLong("id", CheckpointedJoinQueryMain::idNumber), JoinType.INNER,
                        (id, order, payment) -> new Paid(order.id(), order.tsMs(), payment.tsMs()))
                : events(rivulet, Path.of(args[0])).keyBy(Event::id, 2)
                    .join(events(rivulet, Path.of(args[1])).keyBy(Event::id), JoinType.INNER,
                        (id, order, payment) -> new Paid(id, order.tsMs(), payment.tsMs()));
            StreamingQuery query = paid
                .writeStream(Sinks.<Paid>files(Path.of(args[3])).csv())
                .queryName("killedJoin")
                .trigger(Trigger.continuous(Duration.ofMillis(10)))
                .checkpointLocation(Path.of(args[2]))
                .start();
            query.awaitTermination();
        }
        System.exit(0);
    }

    private static void rangeJoin(String[] args) throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            Duration delay = Duration.ofMillis(DELAY_MS);
            StreamingQuery query = events(rivulet, Path.of(args[0]), ROWS_PER_BATCH).withWatermark(Event::tsMs, delay)
                .keyBy(Event::id, 2)
                .join(events(rivulet, Path.of(args[1]), ROWS_PER_BATCH).withWatermark(Event::tsMs, delay).keyBy(Event::id),
                    JoinOptions.<Event, Event>of(JoinType.LEFT_OUTER).withTimeRange(Duration.ZERO, Duration.ofMillis(RANGE_MS)),
                    (id, order, payment) -> new Paid(id, order.tsMs(), payment == null ? -1 : payment.tsMs()))
                .writeStream(Sinks.<Paid>files(Path.of(args[3])).csv())
                .queryName("killedRangeJoin")
                .trigger(Trigger.availableNow())
                .checkpointLocation(Path.of(args[2]))
                .start();
            query.awaitTermination();
        }
    }

    private static long idNumber(Event event) {
        return Long.parseLong(event.id(), 1, event.id().length(), 10);
    }

    private static Stream<Event> events(Rivulet rivulet, Path journal) {
        return events(rivulet, journal, Long.MAX_VALUE);
    }

    private static Stream<Event> events(Rivulet rivulet, Path journal, long rowsPerBatch) {
        long[] read = new long[1];
        Source<String> source = Sources.journal(JournalOptions.of(journal), Codecs.strings()).bounded(true);
        return rivulet.readStream(rowsPerBatch == Long.MAX_VALUE ? source : new Capped<>(source, rowsPerBatch))
            .map(line -> {
                if (++read[0] % 500 == 0) {
                    LockSupport.parkNanos(2_000_000);
                }
                int comma = line.indexOf(',');
                return new Event(line.substring(0, comma), Long.parseLong(line.substring(comma + 1)));
            });
    }

    /** A source that reads at most {@code rowsPerBatch} rows per micro-batch ({@link Source#maxRecordsPerTrigger()}). */
    private record Capped<T>(Source<T> source, long rowsPerBatch) implements Source<T> {
        @Override
        public String description() {
            return source.description();
        }

        @Override
        public int numPartitions() {
            return source.numPartitions();
        }

        @Override
        public boolean emitsWatermarks() {
            return source.emitsWatermarks();
        }

        @Override
        public SourceReader<T> open(SourceContext context) throws Exception {
            return source.open(context);
        }

        @Override
        public boolean isReplayable() {
            return source.isReplayable();
        }

        @Override
        public long maxRecordsPerTrigger() {
            return rowsPerBatch;
        }
    }
}
