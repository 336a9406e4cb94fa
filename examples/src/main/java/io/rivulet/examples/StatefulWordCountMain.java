package io.rivulet.examples;

import io.rivulet.engine.DStream;
import io.rivulet.engine.Rivulet;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.source.Sources;
import io.rivulet.operators.KeyValue;
import io.rivulet.operators.OutputMode;

import java.time.Duration;

/**
 * The course's stateful running word count with Spark's DStream API, a batch per second:
 * {@code bin/example StatefulWordCount [updateStateByKey|mapWithState] [seconds] [host port]}.
 *
 * <p>Without host and port the lines come from a built-in generator (the rate source, one line of
 * three words per row, 5 rows a second); with them, from a socket: run {@code nc -lk 9999} first and
 * type lines. {@code updateStateByKey} prints every word's count each batch; {@code mapWithState}
 * prints the count of each word of the batch. Stops after {@code seconds} (default 10; 0: until
 * Ctrl-C).
 */
public final class StatefulWordCountMain {
    private static final String[] WORDS = {"to", "be", "or", "not", "that", "is", "the", "question"};

    private StatefulWordCountMain() {
    }

    /**
     * @param args optional mode, seconds, host and port
     * @throws InterruptedException if interrupted while waiting
     */
    public static void main(String[] args) throws InterruptedException {
        String mode = args.length > 0 ? args[0] : "updateStateByKey";
        long seconds = args.length > 1 ? Long.parseLong(args[1]) : 10;
        if (!mode.equals("updateStateByKey") && !mode.equals("mapWithState")) {
            throw new IllegalArgumentException("mode must be updateStateByKey or mapWithState, got " + mode);
        }
        try (Rivulet rivulet = Rivulet.create()) {
            DStream<String> lines = (args.length > 3
                ? rivulet.readStream(Sources.socket(args[2], Integer.parseInt(args[3])))
                : rivulet.readStream(Sources.rate().rowsPerSecond(5)).map(row -> line(row.value())))
                .batches(Duration.ofSeconds(1));
            DStream<KeyValue<String, Integer>> counts = mode.equals("mapWithState")
                ? StatefulWordCount.withMapWithState(lines)
                : StatefulWordCount.withUpdateStateByKey(lines);
            StreamingQuery query = counts.writeStream(Sinks.console())
                .outputMode(OutputMode.UPDATE)
                .queryName("stateful-word-count-" + mode)
                .start();
            Run.until(query, seconds > 0 ? Duration.ofSeconds(seconds) : null);
        }
    }

    /** The generator's line number {@code n}: three words of a fixed vocabulary. */
    static String line(long n) {
        return WORDS[(int) (n % WORDS.length)] + " " + WORDS[(int) ((n * 3 + 1) % WORDS.length)] + " "
            + WORDS[(int) ((n * 5 + 2) % WORDS.length)];
    }
}
