package io.rivulet.examples;

import io.rivulet.engine.Rivulet;
import io.rivulet.engine.Stream;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.Trigger;
import io.rivulet.engine.Windows;
import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.source.RateRow;
import io.rivulet.engine.source.Sources;
import io.rivulet.operators.Output;
import io.rivulet.operators.window.WindowAssigner;
import io.rivulet.operators.window.WindowedValue;

import java.time.Duration;

/**
 * Spark's windowed word count: words with event times, counted per 10-second window (tumbling, or
 * sliding every 5 seconds) with a 10-second watermark, in append mode: each window is printed once,
 * when the watermark passes its end.
 *
 * <p>The words come from the rate source (20 lines a second), each line stamped with its rate
 * timestamp as event time. Arguments: {@code tumbling} (default) or {@code sliding}, seconds to run
 * (default 40).
 */
public final class WindowedWordCountMain {
    private static final String[] LINES = {
        "the quick brown fox", "jumps over the lazy dog", "the dog barks", "a fox runs", "streams never end"};

    private WindowedWordCountMain() {
    }

    /** A word and the event time of the line it came from. */
    record Word(String word, long tsMs) {
    }

    /**
     * @param args optional window kind and seconds
     * @throws InterruptedException if interrupted while waiting
     */
    public static void main(String[] args) throws InterruptedException {
        boolean sliding = args.length > 0 && args[0].equals("sliding");
        long seconds = args.length > 1 ? Long.parseLong(args[1]) : 40;
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = windowedCounts(rivulet.readStream(Sources.rate().rowsPerSecond(20)), sliding)
                .writeStream(Sinks.<WindowedValue<String, Long>>console().numRows(30).truncate(false))
                .queryName("windowed-word-count")
                .trigger(Trigger.continuous(Duration.ofSeconds(1)))
                .start();
            System.out.printf("windowed-word-count: %s 10 s windows, watermark 10 s; the first windows close after ~20 s%n",
                sliding ? "sliding (every 5 s)" : "tumbling");
            Run.until(query, Duration.ofSeconds(seconds));
        }
    }

    /**
     * The query: lines to words, a watermark on event time, a count per word and window.
     *
     * @param lines the rate rows that stand for lines
     * @param sliding sliding (10 s every 5 s) instead of tumbling 10 s windows
     * @return (word, window, count) rows
     */
    static Stream<WindowedValue<String, Long>> windowedCounts(Stream<RateRow> lines, boolean sliding) {
        WindowAssigner windows = sliding
            ? Windows.sliding(Duration.ofSeconds(10), Duration.ofSeconds(5))
            : Windows.tumbling(Duration.ofSeconds(10));
        return lines
            .flatMap((RateRow row, Output<Word> out) -> {
                for (String word : LINES[(int) (row.value() % LINES.length)].split(" ")) {
                    out.emit(new Word(word, row.timestampMs()));
                }
            })
            .withWatermark(Word::tsMs, Duration.ofSeconds(10))
            .keyBy(Word::word)
            .window(windows, Word::tsMs)
            .count();
    }
}
