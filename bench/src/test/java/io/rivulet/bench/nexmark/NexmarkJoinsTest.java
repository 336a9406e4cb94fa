package io.rivulet.bench.nexmark;

import io.rivulet.engine.Rivulet;
import io.rivulet.engine.sink.MemorySink;
import io.rivulet.engine.sink.Sinks;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Q3 and Q8 through the engine (its long-key join, and the hand-written baselines), from two generator partitions per
 * input, against the plain-loop computation; the one-kind event sources against the generator.
 */
class NexmarkJoinsTest {
    private static final long EVENTS = 300_000;

    @Test
    void shouldMatchThePlainLoopForQ3AndQ8AndTheirBaselinesWithTwoSourcePartitions() throws Exception {
        final NexmarkGenerator generator = new NexmarkGenerator(NexmarkConfig.builder().numEvents(EVENTS).build());
        for (final String query : List.of("Q3", "Q8", "Q3-HANDWRITTEN", "Q8-HANDWRITTEN")) {
            final long[] expected = NexmarkMain.direct(query, generator, EVENTS);
            final NexmarkMain.HashSink sink = new NexmarkMain.HashSink();
            try (Rivulet rivulet = Rivulet.create()) {
                NexmarkMain.query(query, rivulet, generator, EVENTS, 2)
                    .writeStream(sink)
                    .start()
                    .awaitTermination();
            }
            assertThat(expected[0]).as("%s has results to compare", query).isPositive();
            assertThat(sink.total()).as(query).containsExactly(expected[0], expected[1]);
        }
    }

    @Test
    void shouldGenerateExactlyTheEventsOfOneKindInEventNumberOrder() throws Exception {
        final long events = 1_237;
        final NexmarkGenerator generator = new NexmarkGenerator(NexmarkConfig.builder().numEvents(events).build());
        for (final EventKind kind : EventKind.values()) {
            final List<NexmarkEvent> expected = new ArrayList<>();
            for (long n = 0; n < events; n++) {
                if (generator.kind(n) == kind) {
                    expected.add(generator.event(n));
                }
            }
            final MemorySink<NexmarkEvent> sink = Sinks.memory("kind");
            try (Rivulet rivulet = Rivulet.create()) {
                rivulet.readStream(NexmarkJoins.<NexmarkEvent>eventsOf(generator, events, kind, 1)).writeStream(sink)
                    .start().awaitTermination();
            }
            assertThat(sink.rows()).as("%s", kind).isNotEmpty().containsExactlyElementsOf(expected);
        }
    }

    @Test
    void shouldJoinAnAuctionThatArrivesBeforeItsSellerWhenTheSellerComes() {
        final NexmarkJoins.Q3 q3 = new NexmarkJoins.Q3();
        final List<Object> out = new ArrayList<>();
        final Auction auction = new Auction(7, "item", "desc", 1, 2, 1_000, 2_000, 42, 10, "");
        final Person seller = new Person(42, "Ann", "a@b", "1", "Boise", "ID", 1_500, "");
        q3.process(42L, auction, out::add);
        assertThat(out).isEmpty();
        q3.process(42L, seller, out::add);
        assertThat(out).containsExactly(new NexmarkJoins.NameCityStateId("Ann", "Boise", "ID", 7));
    }

    @Test
    void shouldPairPersonsAndAuctionsOnlyWithinOneWindowOnceTheWatermarkPassesIt() {
        final NexmarkJoins.Q8 q8 = new NexmarkJoins.Q8(10_000);
        final List<Object> out = new ArrayList<>();
        q8.process(1L, new Person(1, "Bo", "e", "c", "x", "OR", 9_000, ""), out::add);
        q8.process(1L, new Auction(5, "i", "d", 1, 300, 9_500, 20_000, 1, 3, ""), out::add);
        q8.process(1L, new Auction(6, "i", "d", 1, 400, 10_000, 20_000, 1, 3, ""), out::add);
        q8.onWatermark(9_999, out::add);
        assertThat(out).isEmpty();
        q8.onWatermark(10_000, out::add);
        assertThat(out).containsExactly(new NexmarkJoins.IdNameReserve(1, "Bo", 300));
        q8.onEnd(out::add);
        assertThat(out).hasSize(1);
    }
}
