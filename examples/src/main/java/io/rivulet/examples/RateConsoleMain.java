package io.rivulet.examples;

import io.rivulet.engine.Rivulet;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.Trigger;
import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.source.RateRow;
import io.rivulet.engine.source.Sources;

import java.time.Duration;

/**
 * Spark's first lab: the {@code rate} source printed to the console. Shows the rows
 * {@code (timestampMs, value)} the rate source generates, a batch per second.
 *
 * <p>Arguments: rows per second (default 5), seconds to run (default 10).
 */
public final class RateConsoleMain {
    private RateConsoleMain() {
    }

    /**
     * @param args optional rows per second and seconds
     * @throws InterruptedException if interrupted while waiting
     */
    public static void main(String[] args) throws InterruptedException {
        long rowsPerSecond = args.length > 0 ? Long.parseLong(args[0]) : 5;
        long seconds = args.length > 1 ? Long.parseLong(args[1]) : 10;
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(Sources.rate().rowsPerSecond(rowsPerSecond))
                .writeStream(Sinks.<RateRow>console().truncate(false))
                .queryName("rate-console")
                .trigger(Trigger.continuous(Duration.ofSeconds(1)))
                .start();
            Run.until(query, Duration.ofSeconds(seconds));
        }
    }
}
