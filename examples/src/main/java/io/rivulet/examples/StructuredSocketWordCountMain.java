package io.rivulet.examples;

import io.rivulet.engine.Rivulet;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.sql.Dataset;
import io.rivulet.engine.sql.Row;

import static io.rivulet.engine.sql.functions.col;
import static io.rivulet.engine.sql.functions.explode;
import static io.rivulet.engine.sql.functions.split;

/**
 * Spark's socket word count in the structured shape, line for line as the course's slides write it: run
 * {@code nc -lk 9999} in one terminal, this in another, and type lines into netcat. Each batch prints the whole
 * table of running counts (complete mode). Ctrl-C stops it. The typed version is {@link SocketWordCountMain}.
 *
 * <p>Arguments: host (default localhost), port (default 9999).
 */
public final class StructuredSocketWordCountMain {
    private StructuredSocketWordCountMain() {
    }

    /**
     * @param args optional host and port
     * @throws InterruptedException if interrupted while waiting
     */
    public static void main(String[] args) throws InterruptedException {
        String host = args.length > 0 ? args[0] : "localhost";
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 9999;
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<Row> lines = rivulet.readStream().format("socket")
                .option("host", host)
                .option("port", port)
                .load();
            StreamingQuery query = wordCounts(lines).writeStream()
                .format("console")
                .outputMode("complete")
                .queryName("structured-socket-word-count")
                .start();
            Run.until(query, null);
        }
    }

    /**
     * The query: lines split into words, a running count per word.
     *
     * @param lines a DataFrame of one string column {@code value}, one row per line
     * @return {@code word STRING, count BIGINT}
     */
    public static Dataset<Row> wordCounts(Dataset<Row> lines) {
        Dataset<Row> words = lines.select(explode(split(col("value"), " ")).as("word"));
        return words.groupBy("word").count();
    }
}
