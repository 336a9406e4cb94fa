package io.rivulet.examples;

import io.rivulet.engine.Rivulet;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.sql.Dataset;
import io.rivulet.engine.sql.Row;

import java.time.Duration;

import static io.rivulet.engine.sql.functions.col;
import static io.rivulet.engine.sql.functions.explode;
import static io.rivulet.engine.sql.functions.expr;
import static io.rivulet.engine.sql.functions.split;
import static io.rivulet.engine.sql.functions.window;

/**
 * Spark's windowed word count in the structured shape: words with event times, counted per 10-second window
 * (tumbling, or sliding every 5 seconds) with a 10-second watermark, in append mode: each window is printed once,
 * when the watermark passes its end. The typed version is {@link WindowedWordCountMain}.
 *
 * <p>The lines come from the {@code rate} source (20 rows a second), row {@code value} choosing one of five lines and
 * its {@code timestamp} the event time. Arguments: {@code tumbling} (default) or {@code sliding}, seconds to run
 * (default 40).
 */
public final class StructuredWindowedWordCountMain {
    private StructuredWindowedWordCountMain() {
    }

    /**
     * @param args optional window kind and seconds
     * @throws InterruptedException if interrupted while waiting
     */
    public static void main(String[] args) throws InterruptedException {
        boolean sliding = args.length > 0 && args[0].equals("sliding");
        long seconds = args.length > 1 ? Long.parseLong(args[1]) : 40;
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<Row> rate = rivulet.readStream().format("rate").option("rowsPerSecond", 20).load();
            StreamingQuery query = windowedCounts(rate, sliding).writeStream()
                .format("console").option("numRows", 30).option("truncate", false)
                .outputMode("append")
                .queryName("structured-windowed-word-count")
                .start();
            System.out.printf("structured-windowed-word-count: %s 10 s windows, watermark 10 s; the first windows close"
                + " after ~20 s%n", sliding ? "sliding (every 5 s)" : "tumbling");
            Run.until(query, Duration.ofSeconds(seconds));
        }
    }

    /**
     * The query: rate rows to lines, lines to words, a watermark on event time, a count per window and word.
     *
     * @param rate the rate source's rows ({@code timestamp TIMESTAMP, value BIGINT})
     * @param sliding sliding (10 s every 5 s) instead of tumbling 10 s windows
     * @return {@code window STRUCT<start, end>, word STRING, count BIGINT}
     */
    public static Dataset<Row> windowedCounts(Dataset<Row> rate, boolean sliding) {
        Dataset<Row> lines = rate.select(col("timestamp"), expr("CASE value % 5 WHEN 0 THEN 'the quick brown fox'"
            + " WHEN 1 THEN 'jumps over the lazy dog' WHEN 2 THEN 'the dog barks' WHEN 3 THEN 'a fox runs'"
            + " ELSE 'streams never end' END").as("line"));
        Dataset<Row> words = lines.select(col("timestamp"), explode(split(col("line"), " ")).as("word"));
        return words.withWatermark("timestamp", "10 seconds")
            .groupBy(sliding ? window(col("timestamp"), "10 seconds", "5 seconds") : window(col("timestamp"), "10 seconds"),
                col("word"))
            .count();
    }
}
