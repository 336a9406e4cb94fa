package io.rivulet.engine;

import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.source.Sources;
import io.rivulet.journal.JournalOptions;
import io.rivulet.journal.codec.Codecs;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * The query {@link CheckpointKillTest} kills: a bounded journal of {@code key,eventTimeMs} lines,
 * counted per key in 1 s event-time windows over two partitions, written as CSV files exactly once,
 * with a checkpoint every 10 ms epoch. It reads slowly on purpose (a pause every 500 records), so
 * that kills land mid-epoch, mid-snapshot and mid-commit. Exits 0 when the input is done.
 *
 * <p>Arguments: input journal directory, checkpoint directory, output directory, and optionally
 * {@code journal}: the output is then an exactly-once journal of {@code key,windowStartMs,count}
 * lines (the journal sink's default delivery) instead of CSV files.
 */
public final class CheckpointedWindowQueryMain {
    private CheckpointedWindowQueryMain() {
    }

    /** One input line. */
    record Event(String key, long tsMs) {
    }

    /** One output row. */
    record Count(String key, long windowStartMs, long count) {
    }

    public static void main(String[] args) throws Exception {
        Path input = Path.of(args[0]);
        Path checkpoints = Path.of(args[1]);
        Path output = Path.of(args[2]);
        boolean journalOutput = args.length > 3 && args[3].equals("journal");
        long[] read = new long[1];
        try (Rivulet rivulet = Rivulet.create()) {
            var counts = rivulet.readStream(Sources.journal(JournalOptions.of(input), Codecs.strings()).bounded(true))
                .map(line -> {
                    if (++read[0] % 500 == 0) {
                        LockSupport.parkNanos(2_000_000);
                    }
                    int comma = line.indexOf(',');
                    return new Event(line.substring(0, comma), Long.parseLong(line.substring(comma + 1)));
                })
                .withWatermark(Event::tsMs, Duration.ofMillis(200))
                .keyBy(Event::key, 2)
                .window(Windows.tumbling(Duration.ofSeconds(1)), Event::tsMs)
                .count()
                .map(row -> new Count(row.key(), row.window().startMs(), row.value()));
            StreamingQuery query = (journalOutput
                ? counts.map(c -> c.key() + "," + c.windowStartMs() + "," + c.count())
                    .writeStream(Sinks.journal(JournalOptions.of(output), Codecs.strings()))
                : counts.writeStream(Sinks.<Count>files(output).csv()))
                .queryName("killed")
                .trigger(Trigger.continuous(Duration.ofMillis(10)))
                .checkpointLocation(checkpoints)
                .start();
            query.awaitTermination();
        }
        System.exit(0);
    }
}
