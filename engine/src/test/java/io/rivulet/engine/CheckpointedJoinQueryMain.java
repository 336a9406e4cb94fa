package io.rivulet.engine;

import io.rivulet.engine.sink.Sinks;
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
 * <p>Arguments: orders journal directory, payments journal directory, checkpoint directory, output directory,
 * and optionally {@code long}: the long-key join ({@code keyByLong} on the id's number, {@code o123} → 123)
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

    public static void main(String[] args) throws Exception {
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

    private static long idNumber(Event event) {
        return Long.parseLong(event.id(), 1, event.id().length(), 10);
    }

    private static Stream<Event> events(Rivulet rivulet, Path journal) {
        long[] read = new long[1];
        return rivulet.readStream(Sources.journal(JournalOptions.of(journal), Codecs.strings()).bounded(true))
            .map(line -> {
                if (++read[0] % 500 == 0) {
                    LockSupport.parkNanos(2_000_000);
                }
                int comma = line.indexOf(',');
                return new Event(line.substring(0, comma), Long.parseLong(line.substring(comma + 1)));
            });
    }
}
