package io.rivulet.engine.source;

import io.rivulet.engine.Rivulet;
import io.rivulet.engine.Trigger;
import io.rivulet.engine.sink.Sinks;
import io.rivulet.journal.JournalOptions;
import io.rivulet.journal.codec.Codecs;

import java.nio.file.Path;

/**
 * A child JVM for {@link JournaledSourceKillTest}: a journaled socket source query that runs until it is
 * killed. Arguments: journal directory, port on 127.0.0.1.
 *
 * <p>Epochs last a second: the test sends its second burst right after a commit and must see it
 * journaled before the next commit, so the window between the two has to dwarf a journal poll.
 */
public final class JournaledSocketQueryMain {
    private JournaledSocketQueryMain() {
    }

    /**
     * @param args journal directory, port
     * @throws Exception if the query fails
     */
    public static void main(String[] args) throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            rivulet.readStream(Sources.journaled(Sources.socket("127.0.0.1", Integer.parseInt(args[1])),
                    JournalOptions.of(Path.of(args[0])), Codecs.strings()))
                .writeStream(Sinks.collecting())
                .trigger(Trigger.continuous(1000))
                .start()
                .awaitTermination();
        }
    }
}
