package io.rivulet.examples;

import io.rivulet.engine.Rivulet;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.source.MemoryStream;
import io.rivulet.engine.source.Sources;
import io.rivulet.operators.Output;

/**
 * The README's ten-line example, compiled and run by a test so it cannot rot. The lines between
 * the {@code tag::} and {@code end::} comments are what the README shows.
 */
public final class QuickStartExample {
    private QuickStartExample() {
    }

    /**
     * Counts the words of two lines and prints the counts to the console.
     *
     * @param args unused
     * @throws InterruptedException if interrupted while waiting
     */
    public static void main(String[] args) throws InterruptedException {
        // tag::quick-start[]
        try (Rivulet rivulet = Rivulet.create()) {
            MemoryStream<String> lines = Sources.memoryStream("lines");
            StreamingQuery query = rivulet.readStream(lines)
                .flatMap((String line, Output<String> out) -> { for (String w : line.split(" ")) out.emit(w); })
                .keyBy(word -> word)
                .count()
                .writeStream(Sinks.console())
                .outputMode("update")    // a running count: each changed (word, count) row
                .start();
            lines.addData("to be or not to be", "that is the question");
            lines.end();                 // a memory stream is unbounded until ended
            query.awaitTermination();    // returns when the input is processed; rethrows a failure
        }
        // end::quick-start[]
    }
}
