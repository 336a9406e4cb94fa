package io.rivulet.bench.nexmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class NexmarkQueriesTest {
    private static final Bid BID = new Bid(1107, 2001, 1000, "Apple", "https://x", 42L, "pad");

    private static List<NexmarkEvent> sample(final long numEvents) {
        final List<NexmarkEvent> events = new ArrayList<>();
        new NexmarkGenerator(NexmarkConfig.builder().numEvents(numEvents).build()).cursor()
            .forEachRemaining(events::add);
        return events;
    }

    @Test
    void query0PassesEveryEventThrough() {
        final List<NexmarkEvent> events = sample(200);
        assertThat(events.stream().map(NexmarkQueries.query0()).collect(Collectors.toList())).isEqualTo(events);
        assertThat(NexmarkQueries.query0(BID)).isSameAs(BID);
    }

    @Test
    void query1ConvertsDollarsToEurosWithIntegerCents() {
        assertThat(NexmarkQueries.dollarsToEuros(1000)).isEqualTo(890);
        assertThat(NexmarkQueries.dollarsToEuros(99)).isEqualTo(88);
        assertThat(NexmarkQueries.dollarsToEuros(100)).isEqualTo(89);
        assertThat(NexmarkQueries.dollarsToEuros(1)).isZero();
        assertThat(NexmarkQueries.dollarsToEuros(100_000_000)).isEqualTo(89_000_000);

        final Bid euros = NexmarkQueries.query1(BID);
        assertThat(euros).isEqualTo(new Bid(1107, 2001, 890, "Apple", "https://x", 42L, "pad"));
    }

    @Test
    void query1OnASampleKeepsOnlyBidsAndConvertsEachPrice() {
        final List<NexmarkEvent> events = sample(1_000);
        final List<Bid> bids = events.stream().filter(NexmarkQueries.IS_BID).map(NexmarkQueries.AS_BID)
            .collect(Collectors.toList());
        final List<Bid> out = bids.stream().map(NexmarkQueries.query1()).collect(Collectors.toList());
        assertThat(out).hasSize(920);
        for (int i = 0; i < out.size(); i++) {
            final Bid in = bids.get(i);
            final Bid converted = out.get(i);
            assertThat(converted.price()).isEqualTo(in.price() * 89 / 100);
            assertThat(converted.withPrice(in.price())).isEqualTo(in);
        }
        // Beam's first bid (event 4) costs 32,530,001 dollar cents.
        assertThat(out.get(0).price()).isEqualTo(28_951_700L);
    }

    @Test
    void query2SelectsBidsOnEveryAuctionSkipthAuction() {
        final Predicate<Bid> filter = NexmarkQueries.query2Filter(123);
        assertThat(filter.test(BID)).isTrue(); // 1107 = 9 * 123
        assertThat(filter.test(new Bid(1108, 1, 1, "c", "u", 0, ""))).isFalse();
        assertThat(NexmarkQueries.query2Project(BID)).isEqualTo(new AuctionPrice(1107, 1000));

        final List<NexmarkEvent> events = sample(100_000);
        final List<AuctionPrice> out = events.stream()
            .filter(NexmarkQueries.IS_BID).map(NexmarkQueries.AS_BID)
            .filter(filter).map(NexmarkQueries.query2Project())
            .collect(Collectors.toList());
        long expected = 0;
        for (final NexmarkEvent event : events) {
            if (event instanceof Bid b && b.auction() % 123 == 0) {
                expected++;
            }
        }
        assertThat(out).isNotEmpty().hasSize((int) expected);
        assertThat(out).allSatisfy(ap -> assertThat(ap.auction() % 123).isZero());
        // Multiples of 123 among the ~6,000 auctions: 1107 .. 6888; most receive bids.
        assertThat(out.stream().map(AuctionPrice::auction).distinct().count()).isGreaterThan(30);
    }

    @Test
    void query2RejectsNonPositiveSkip() {
        assertThatThrownBy(() -> NexmarkQueries.query2Filter(0)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("auctionSkip");
    }
}
