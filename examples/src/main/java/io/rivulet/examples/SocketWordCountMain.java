package io.rivulet.examples;

import io.rivulet.engine.Rivulet;
import io.rivulet.engine.Stream;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.Trigger;
import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.source.Sources;
import io.rivulet.operators.KeyValue;
import io.rivulet.operators.Output;
import io.rivulet.operators.OutputMode;
import io.rivulet.operators.keyed.EmitPolicy;

import java.time.Duration;

/**
 * Spark's socket word count: run {@code nc -lk 9999} in one terminal, this in another, and type
 * lines into netcat. Each second the words whose counts changed are printed with their running
 * counts. Ctrl-C stops it.
 *
 * <p>Arguments: host (default localhost), port (default 9999).
 */
public final class SocketWordCountMain {
    private SocketWordCountMain() {
    }

    /**
     * @param args optional host and port
     * @throws InterruptedException if interrupted while waiting
     */
    public static void main(String[] args) throws InterruptedException {
        String host = args.length > 0 ? args[0] : "localhost";
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 9999;
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = wordCounts(rivulet, host, port)
                .writeStream(Sinks.console())
                .outputMode(OutputMode.UPDATE)
                .queryName("socket-word-count")
                .trigger(Trigger.continuous(Duration.ofSeconds(1)))
                .start();
            Run.until(query, null);
        }
    }

    /**
     * The word count over a socket's lines, emitting each changed word once per epoch.
     *
     * @param rivulet the engine
     * @param host server host
     * @param port server port
     * @return the stream of (word, count)
     */
    public static Stream<KeyValue<String, Long>> wordCounts(Rivulet rivulet, String host, int port) {
        return rivulet.readStream(Sources.socket(host, port))
            .flatMap((String line, Output<String> out) -> {
                for (String word : line.split("\\s+")) {
                    if (!word.isEmpty()) {
                        out.emit(word);
                    }
                }
            })
            .keyBy(word -> word)
            .count(EmitPolicy.ON_EPOCH);
    }
}
