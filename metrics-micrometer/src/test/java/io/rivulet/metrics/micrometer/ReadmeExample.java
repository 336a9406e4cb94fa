package io.rivulet.metrics.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rivulet.engine.Rivulet;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.source.MemoryStream;
import io.rivulet.engine.source.Sources;

/**
 * The README's metrics snippet, compiled and run by {@code RivuletMetricsTest}: the code between the
 * {@code tag::} and {@code end::} comments is what the README shows.
 */
final class ReadmeExample {
    private ReadmeExample() {
    }

    /**
     * Runs the snippet, which prints the rows its query read as the {@code rivulet.input.rows} counter says.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    static void run() throws InterruptedException {
        // tag::micrometer[]
        MeterRegistry registry = new SimpleMeterRegistry();   // or Prometheus, JMX, ... any MeterRegistry
        try (Rivulet rivulet = Rivulet.create();
             RivuletMetrics metrics = RivuletMetrics.bind(rivulet, registry)) {
            MemoryStream<String> words = Sources.memoryStream("words");
            StreamingQuery query = rivulet.readStream(words)
                .keyBy(word -> word)
                .count()
                .writeStream(Sinks.collecting())
                .outputMode("update")
                .queryName("word-counts")
                .start();
            words.addData("to", "be", "or", "not", "to", "be");
            query.processAllAvailable();
            System.out.println("rows in: " + registry.get("rivulet.input.rows").tag("query", "word-counts")
                .functionCounter().count());   // rows in: 6.0
        }   // closing the binder removes its meters
        // end::micrometer[]
    }
}
