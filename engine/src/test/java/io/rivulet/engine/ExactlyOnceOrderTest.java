package io.rivulet.engine;

import io.rivulet.engine.sink.Sink;
import io.rivulet.engine.sink.SinkWriter;
import io.rivulet.engine.source.Sources;
import io.rivulet.operators.KeyedOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pushes 10 million records through a 2-partition keyed pipeline and proves each arrives exactly
 * once, with every key's records in their original order.
 */
@ExtendWith(NoLeakedThreads.class)
class ExactlyOnceOrderTest {
    static final int KEYS = 1024;
    static final long RECORDS = 10_000_000L;

    /** Record {@code i}: key {@code i % KEYS}, and its position among that key's records. */
    record Event(int key, long seqInKey) {
    }

    @Test
    void shouldDeliverTenMillionRecordsExactlyOnceInPerKeyOrderThroughTwoPartitions() throws Exception {
        VerifyingSink sink = new VerifyingSink();
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(Sources.generator(RECORDS, i -> new Event((int) (i % KEYS), i / KEYS)))
                .filter(e -> e.seqInKey() >= 0)
                .keyBy(Event::key, 2)
                .process("pass-through", () -> (KeyedOperator<Integer, Event, Event>) (key, e, out) -> out.emit(e))
                .writeStream(sink)
                .queryName("exactly-once")
                .start();
            query.awaitTermination();
        }
        assertThat(sink.errors).isEmpty();
        long[] seen = sink.merged();
        for (int key = 0; key < KEYS; key++) {
            long expected = RECORDS / KEYS + (key < RECORDS % KEYS ? 1 : 0);
            assertThat(seen[key]).as("records of key %d", key).isEqualTo(expected);
        }
        assertThat(Arrays.stream(seen).sum()).isEqualTo(RECORDS);
    }

    /**
     * Checks on arrival that each key's records come in order with no gap or repeat, and that each
     * key reaches exactly one writer.
     */
    static final class VerifyingSink implements Sink<Event> {
        final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        long[][] nextSeq;
        int[] owner;

        @Override
        public String description() {
            return "verifying";
        }

        @Override
        public void open(String queryName, int numWriters) {
            nextSeq = new long[numWriters][KEYS];
            owner = new int[KEYS];
            Arrays.fill(owner, -1);
        }

        @Override
        public SinkWriter<Event> createWriter(int writerIndex) {
            long[] next = nextSeq[writerIndex];
            return e -> {
                if (next[e.key()] != e.seqInKey() && errors.size() < 10) {
                    errors.add("key " + e.key() + ": expected seq " + next[e.key()] + ", got " + e.seqInKey());
                }
                next[e.key()] = e.seqInKey() + 1;
            };
        }

        long[] merged() {
            long[] total = new long[KEYS];
            for (int w = 0; w < nextSeq.length; w++) {
                for (int key = 0; key < KEYS; key++) {
                    if (nextSeq[w][key] > 0) {
                        if (total[key] != 0) {
                            errors.add("key " + key + " reached more than one writer");
                        }
                        total[key] = nextSeq[w][key];
                    }
                }
            }
            return total;
        }
    }
}
