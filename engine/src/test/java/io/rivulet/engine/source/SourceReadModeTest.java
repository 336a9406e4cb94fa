package io.rivulet.engine.source;

import io.rivulet.engine.Rivulet;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.Trigger;
import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.source.SourceContext.ReadMode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link SourceContext#readMode()}: a reader learns the query's trigger kind when it opens. */
class SourceReadModeTest {
    /** An empty source that notes the read mode each of its partitions opened with. */
    private record ModeRecorder(List<ReadMode> modes) implements Source<Long> {
        @Override
        public String description() {
            return "mode-recorder";
        }

        @Override
        public int numPartitions() {
            return 2;
        }

        @Override
        public SourceReader<Long> open(SourceContext context) {
            modes.add(context.readMode());
            return (out, limit) -> SourceReader.END_OF_INPUT;
        }
    }

    @Test
    void shouldTellEachReaderTheReadModeOfItsQuerysTrigger() throws Exception {
        Trigger[] triggers = {Trigger.continuous(Duration.ofMillis(10)), Trigger.processingTime(Duration.ZERO),
            Trigger.once(), Trigger.availableNow()};
        ReadMode[] expected = {ReadMode.CONTINUOUS, ReadMode.MICRO_BATCH, ReadMode.ONCE, ReadMode.AVAILABLE_NOW};
        try (Rivulet rivulet = Rivulet.create()) {
            for (int i = 0; i < triggers.length; i++) {
                List<ReadMode> modes = new CopyOnWriteArrayList<>();
                StreamingQuery query = rivulet.readStream(new ModeRecorder(modes)).writeStream(Sinks.collecting())
                    .queryName("read-mode-" + i).trigger(triggers[i]).start();
                assertThat(query.awaitTermination(30_000)).as("an empty bounded source ends the query").isTrue();
                assertThat(modes).as(triggers[i].toString()).containsExactly(expected[i], expected[i]);
            }
        }
    }

    @Test
    void shouldDefaultToContinuousForAContextThatDoesNotSay() {
        SourceContext bare = new SourceContext() {
            @Override
            public int partition() {
                return 0;
            }

            @Override
            public int numPartitions() {
                return 1;
            }

            @Override
            public String queryName() {
                return "bare";
            }

            @Override
            public long nanoTime() {
                return 0;
            }

            @Override
            public long epochMillis() {
                return 0;
            }
        };
        assertThat(bare.readMode()).isEqualTo(ReadMode.CONTINUOUS);
    }
}
