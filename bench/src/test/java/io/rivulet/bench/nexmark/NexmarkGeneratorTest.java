package io.rivulet.bench.nexmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Percentage.withPercentage;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

class NexmarkGeneratorTest {
    private static final long BASE_TIME_MS = 1_436_918_400_000L;

    private static NexmarkGenerator generator(final long numEvents) {
        return new NexmarkGenerator(NexmarkConfig.builder().numEvents(numEvents).build());
    }

    private static List<NexmarkEvent> drain(final NexmarkGenerator.Cursor cursor) {
        final List<NexmarkEvent> events = new ArrayList<>();
        cursor.forEachRemaining(events::add);
        return events;
    }

    // ---- Beam compatibility -------------------------------------------------------------------

    /**
     * Golden values produced by a harness running Apache Beam's NEXMark generator logic
     * ({@code Generator}, {@code GeneratorConfig}, {@code Person/Auction/Bid/Strings/PriceGenerator})
     * on the same configuration: Beam's fields of the first events.
     */
    @Test
    void firstEventsEqualBeams() {
        final NexmarkGenerator generator = generator(100);

        final Person person = (Person) generator.event(0);
        assertThat(person.id()).isEqualTo(1000);
        assertThat(person.name()).isEqualTo("Peter Jones");
        assertThat(person.emailAddress()).isEqualTo("nhd@xcat.com");
        assertThat(person.creditCard()).isEqualTo("7241 7320 9143 4888");
        assertThat(person.city()).isEqualTo("Portland");
        assertThat(person.state()).isEqualTo("WY");
        assertThat(person.dateTimeMs()).isEqualTo(BASE_TIME_MS);
        assertThat(person.extra()).startsWith("WN_HS_bnpkkiwhwana_L^`KZjdgsid`K]MLU[aaOH`ztxbulvlxtkn");

        final Auction auction = (Auction) generator.event(1);
        assertThat(auction.id()).isEqualTo(1000);
        assertThat(auction.itemName()).isEqualTo("wkx mgee");
        assertThat(auction.description()).isEqualTo("eszpqxtdxrvwmmywkmogoahf");
        assertThat(auction.initialBid()).isEqualTo(28873);
        assertThat(auction.reserve()).isEqualTo(29448);
        assertThat(auction.dateTimeMs()).isEqualTo(BASE_TIME_MS);
        assertThat(auction.expiresMs()).isEqualTo(BASE_TIME_MS + 11);
        assertThat(auction.seller()).isEqualTo(1000);
        assertThat(auction.category()).isEqualTo(13);

        final Auction third = (Auction) generator.event(3);
        assertThat(third.id()).isEqualTo(1002);
        assertThat(third.initialBid()).isEqualTo(267);
        assertThat(third.reserve()).isEqualTo(422398);
        assertThat(third.category()).isEqualTo(10);

        final Bid bid = (Bid) generator.event(4);
        assertThat(bid.auction()).isEqualTo(1000);
        assertThat(bid.bidder()).isEqualTo(1001);
        assertThat(bid.price()).isEqualTo(32530001);
        assertThat(bid.dateTimeMs()).isEqualTo(BASE_TIME_MS);
        assertThat(bid.extra())
            .isEqualTo("fdiysaV^]NLVsbolvyqwgticfdrwdyiyofziYMU\\Z`UaTQO][NX\\RM]WPYTOuwogvszlxjrcNOORM");

        final Bid bid49 = (Bid) generator.event(49);
        assertThat(bid49.price()).isEqualTo(545);
        assertThat(bid49.dateTimeMs()).isEqualTo(BASE_TIME_MS + 4);

        final Person second = (Person) generator.event(50);
        assertThat(second.id()).isEqualTo(1001);
        assertThat(second.name()).isEqualTo("Sarah Smith");
        assertThat(second.emailAddress()).isEqualTo("f  y@yumv.com");
        assertThat(second.creditCard()).isEqualTo("0892 2755 1923 0591");
        assertThat(second.city()).isEqualTo("Los Angeles");
        assertThat(second.state()).isEqualTo("ID");
        assertThat(second.dateTimeMs()).isEqualTo(BASE_TIME_MS + 5);
    }

    /** CRC32 of Beam's fields over whole streams, from the same Beam harness. */
    @Test
    void wholeStreamsEqualBeams() {
        assertThat(beamFieldsCrc(new NexmarkGenerator(NexmarkConfig.builder().numEvents(50_000).build())))
            .isEqualTo(0xb08c4729L);

        // Beam's NexmarkConfiguration defaults (100 generators), a sine rate, out-of-order groups
        // and an event id offset.
        final NexmarkConfig config = NexmarkConfig.builder()
            .numEventGenerators(100)
            .firstEventRate(10_000)
            .nextEventRate(1_000)
            .ratePeriodSec(60)
            .outOfOrderGroupSize(7)
            .firstEventId(1234)
            .numEvents(20_000)
            .build();
        final NexmarkGenerator generator = new NexmarkGenerator(config);
        final Bid first = (Bid) generator.event(0);
        assertThat(first.auction()).isEqualTo(1000);
        assertThat(first.bidder()).isEqualTo(1001);
        assertThat(first.price()).isEqualTo(51067696);
        assertThat(generator.event(1).dateTimeMs()).isEqualTo(BASE_TIME_MS + 10);
        assertThat(beamFieldsCrc(generator)).isEqualTo(0x3e4af179L);
    }

    private static long beamFieldsCrc(final NexmarkGenerator generator) {
        final CRC32 crc = new CRC32();
        final NexmarkGenerator.Cursor cursor = generator.cursor();
        while (cursor.hasNext()) {
            final NexmarkEvent event = cursor.next();
            final String line;
            if (event instanceof Person p) {
                line = "P|" + p.id() + '|' + p.name() + '|' + p.emailAddress() + '|' + p.creditCard() + '|' + p.city()
                    + '|' + p.state() + '|' + p.dateTimeMs() + '|' + p.extra() + '\n';
            } else if (event instanceof Auction a) {
                line = "A|" + a.id() + '|' + a.itemName() + '|' + a.description() + '|' + a.initialBid() + '|'
                    + a.reserve() + '|' + a.dateTimeMs() + '|' + a.expiresMs() + '|' + a.seller() + '|'
                    + a.category() + '|' + a.extra() + '\n';
            } else {
                final Bid b = (Bid) event;
                line = "B|" + b.auction() + '|' + b.bidder() + '|' + b.price() + '|' + b.dateTimeMs() + '|' + b.extra()
                    + '\n';
            }
            crc.update(line.getBytes(StandardCharsets.UTF_8));
        }
        return crc.getValue();
    }

    // ---- determinism ----------------------------------------------------------------------------

    @Test
    void sameEventNumberGivesEqualEventWhateverTheOrder() {
        final NexmarkGenerator generator = generator(5_000);
        final List<NexmarkEvent> forward = drain(generator.cursor());
        assertThat(forward).hasSize(5_000);

        for (int n = 4_999; n >= 0; n -= 7) {
            assertThat(generator.event(n)).as("event %d", n).isEqualTo(forward.get(n));
        }
        final NexmarkGenerator other = generator(5_000);
        assertThat(drain(other.cursor())).isEqualTo(forward);
        assertThat(drain(other.cursor(1_234, 1_300))).isEqualTo(forward.subList(1_234, 1_300));
    }

    @Test
    void differentEventNumbersGiveDifferentEvents() {
        final NexmarkGenerator generator = generator(2_000);
        final Set<NexmarkEvent> distinct = new HashSet<>(drain(generator.cursor()));
        assertThat(distinct).hasSize(2_000);
    }

    @Test
    void cursorSeeksAndResumes() {
        final NexmarkGenerator generator = generator(1_000);
        final NexmarkGenerator.Cursor cursor = generator.cursor();
        for (int i = 0; i < 10; i++) {
            cursor.next();
        }
        assertThat(cursor.nextEventNumber()).isEqualTo(10);
        final NexmarkEvent tenth = cursor.next();
        cursor.seek(10);
        assertThat(cursor.next()).isEqualTo(tenth);
        cursor.seek(1_000);
        assertThat(cursor.hasNext()).isFalse();
        assertThatThrownBy(cursor::next).isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(() -> cursor.seek(1_001)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("eventNumber");
    }

    @Test
    void concurrentRandomAccessMatchesSequentialGeneration() throws Exception {
        final NexmarkGenerator generator = generator(20_000);
        final List<NexmarkEvent> expected = drain(generator.cursor());
        final ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            final List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                final int offset = t;
                results.add(pool.submit(() -> {
                    for (int n = offset; n < 20_000; n += 4) {
                        if (!generator.event(n).equals(expected.get(n))) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (final Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void handlerReceivesTheSameEventsAsTheIterator() {
        final NexmarkGenerator generator = generator(500);
        final List<NexmarkEvent> expected = drain(generator.cursor());
        final List<NexmarkEvent> received = new ArrayList<>();
        final List<Long> numbers = new ArrayList<>();
        final NexmarkEventHandler handler = new NexmarkEventHandler() {
            @Override
            public void onPerson(final long eventNumber, final Person person) {
                numbers.add(eventNumber);
                received.add(person);
            }

            @Override
            public void onAuction(final long eventNumber, final Auction auction) {
                numbers.add(eventNumber);
                received.add(auction);
            }

            @Override
            public void onBid(final long eventNumber, final Bid bid) {
                numbers.add(eventNumber);
                received.add(bid);
            }
        };
        final NexmarkGenerator.Cursor cursor = generator.cursor();
        while (cursor.poll(handler)) {
            // drain
        }
        assertThat(cursor.poll(handler)).isFalse();
        assertThat(received).isEqualTo(expected);
        assertThat(numbers).hasSize(500).first().isEqualTo(0L);
        assertThat(numbers.get(499)).isEqualTo(499L);

        final List<NexmarkEvent> single = new ArrayList<>();
        generator.event(7, new NexmarkEventHandler() {
            @Override
            public void onPerson(final long eventNumber, final Person person) {
                throw new AssertionError("event 7 is a bid");
            }

            @Override
            public void onAuction(final long eventNumber, final Auction auction) {
                throw new AssertionError("event 7 is a bid");
            }

            @Override
            public void onBid(final long eventNumber, final Bid bid) {
                single.add(bid);
            }
        });
        assertThat(single).containsExactly(expected.get(7));
    }

    // ---- proportions and ids ----------------------------------------------------------------------

    @Test
    void proportionsArePersonAuctionBid1To3To46() {
        final NexmarkGenerator generator = generator(50_000);
        final NexmarkGenerator.Cursor cursor = generator.cursor();
        int persons = 0;
        int auctions = 0;
        int bids = 0;
        while (cursor.hasNext()) {
            final long n = cursor.nextEventNumber();
            final NexmarkEvent event = cursor.next();
            assertThat(generator.kind(n)).isEqualTo(event.kind());
            final long offset = n % 50;
            if (event instanceof Person) {
                assertThat(offset).isZero();
                persons++;
            } else if (event instanceof Auction) {
                assertThat(offset).isBetween(1L, 3L);
                auctions++;
            } else {
                assertThat(offset).isBetween(4L, 49L);
                bids++;
            }
        }
        assertThat(persons).isEqualTo(1_000);
        assertThat(auctions).isEqualTo(3_000);
        assertThat(bids).isEqualTo(46_000);
    }

    @Test
    void personAndAuctionIdsAreConsecutiveFromTheirFirstIds() {
        final NexmarkGenerator.Cursor cursor = generator(20_000).cursor();
        long nextPerson = NexmarkGenerator.FIRST_PERSON_ID;
        long nextAuction = NexmarkGenerator.FIRST_AUCTION_ID;
        while (cursor.hasNext()) {
            final NexmarkEvent event = cursor.next();
            if (event instanceof Person p) {
                assertThat(p.id()).isEqualTo(nextPerson++);
            } else if (event instanceof Auction a) {
                assertThat(a.id()).isEqualTo(nextAuction++);
            }
        }
        assertThat(nextPerson).isEqualTo(1000 + 400);
        assertThat(nextAuction).isEqualTo(1000 + 1200);
    }

    /**
     * Beam's referential rules: a reference points at an existing person or auction, or at most
     * {@code PERSON_ID_LEAD} / {@code AUCTION_ID_LEAD} ids ahead; a random one is among the
     * {@code numActivePeople} latest people or {@code numInFlightAuctions} latest auctions.
     */
    @Test
    void referencesStayWithinActiveWindowsAndLeads() {
        final NexmarkConfig config = NexmarkConfig.builder().numEvents(300_000).build();
        final NexmarkGenerator.Cursor cursor = new NexmarkGenerator(config).cursor();
        long lastPerson = -1;
        long lastAuction = -1;
        long bids = 0;
        long bidsOnExistingAuctions = 0;
        long bidsByExistingPeople = 0;
        long auctions = 0;
        long auctionsByExistingPeople = 0;
        final Set<Long> hotAuctions = new HashSet<>();
        while (cursor.hasNext()) {
            final NexmarkEvent event = cursor.next();
            if (event instanceof Person p) {
                lastPerson = p.id();
            } else if (event instanceof Auction a) {
                lastAuction = a.id();
                auctions++;
                assertThat(a.seller())
                    .isBetween(Math.max(1000, lastPerson + 1 - config.numActivePeople()),
                        lastPerson + NexmarkGenerator.PERSON_ID_LEAD);
                if (a.seller() <= lastPerson) {
                    auctionsByExistingPeople++;
                }
            } else {
                final Bid b = (Bid) event;
                bids++;
                assertThat(lastAuction).isGreaterThanOrEqualTo(1000);
                assertThat(b.auction())
                    .isBetween(Math.max(1000, lastAuction - config.numInFlightAuctions()),
                        lastAuction + NexmarkGenerator.AUCTION_ID_LEAD);
                assertThat(b.bidder())
                    .isBetween(Math.max(1000, lastPerson + 1 - config.numActivePeople()),
                        lastPerson + NexmarkGenerator.PERSON_ID_LEAD);
                if (b.auction() <= lastAuction) {
                    bidsOnExistingAuctions++;
                }
                if (b.bidder() <= lastPerson) {
                    bidsByExistingPeople++;
                }
                if ((b.auction() - 1000) % NexmarkGenerator.HOT_BATCH_SIZE == 0) {
                    hotAuctions.add(b.auction());
                }
            }
        }
        // Hot references always exist; only some random ones run ahead.
        assertThat((double) bidsOnExistingAuctions / bids).isGreaterThan(0.9);
        assertThat((double) bidsByExistingPeople / bids).isGreaterThan(0.97);
        assertThat((double) auctionsByExistingPeople / auctions).isGreaterThan(0.97);
        assertThat(hotAuctions).hasSizeGreaterThan(50);
    }

    @Test
    void hotRatiosSkewReferences() {
        final NexmarkConfig config = NexmarkConfig.builder().numEvents(100_000).build();
        final NexmarkGenerator.Cursor cursor = new NexmarkGenerator(config).cursor();
        long bids = 0;
        long hotAuctionBids = 0;
        long hotBidderBids = 0;
        long auctions = 0;
        long hotSellerAuctions = 0;
        long lastPerson = -1;
        long lastAuction = -1;
        while (cursor.hasNext()) {
            final NexmarkEvent event = cursor.next();
            if (event instanceof Person p) {
                lastPerson = p.id() - 1000;
            } else if (event instanceof Auction a) {
                lastAuction = a.id() - 1000;
                auctions++;
                if (a.seller() - 1000 == lastPerson / 100 * 100) {
                    hotSellerAuctions++;
                }
            } else {
                final Bid b = (Bid) event;
                bids++;
                if (b.auction() - 1000 == lastAuction / 100 * 100) {
                    hotAuctionBids++;
                }
                if (b.bidder() - 1000 == lastPerson / 100 * 100 + 1) {
                    hotBidderBids++;
                }
            }
        }
        // P(hot) = 1 - 1/ratio, plus the rare random pick of the same id.
        assertThat((double) hotAuctionBids / bids).isBetween(0.49, 0.53);
        assertThat((double) hotBidderBids / bids).isBetween(0.74, 0.77);
        assertThat((double) hotSellerAuctions / auctions).isBetween(0.73, 0.78);
    }

    @Test
    void fieldsStayInTheirDomains() {
        final NexmarkGenerator.Cursor cursor = generator(50_000).cursor();
        while (cursor.hasNext()) {
            final NexmarkEvent event = cursor.next();
            if (event instanceof Person p) {
                assertThat(p.creditCard()).matches("\\d{4} \\d{4} \\d{4} \\d{4}");
                assertThat(p.emailAddress()).contains("@").endsWith(".com");
                assertThat(p.state()).isIn("AZ", "CA", "ID", "OR", "WA", "WY");
                assertThat(p.name()).contains(" ");
            } else if (event instanceof Auction a) {
                assertThat(a.category()).isBetween(10L, 14L);
                assertThat(a.initialBid()).isBetween(100L, 100_000_000L);
                assertThat(a.reserve()).isGreaterThan(a.initialBid());
                assertThat(a.expiresMs()).isGreaterThan(a.dateTimeMs());
                assertThat(a.itemName()).isNotEmpty().doesNotStartWith(" ").doesNotEndWith(" ");
            } else {
                final Bid b = (Bid) event;
                assertThat(b.price()).isBetween(100L, 100_000_000L);
                assertThat(b.channel()).matches("Google|Facebook|Baidu|Apple|channel-\\d{1,4}");
                assertThat(b.url()).startsWith("https://www.nexmark.com/").contains("/item.htm?query=1");
            }
        }
    }

    @Test
    void channelsFollowFlinkNexmarkDistribution() {
        final NexmarkGenerator.Cursor cursor = generator(100_000).cursor();
        long bids = 0;
        long hot = 0;
        final Set<String> urlsOfChannel42 = new HashSet<>();
        while (cursor.hasNext()) {
            if (cursor.next() instanceof Bid b) {
                bids++;
                if (!b.channel().startsWith("channel-")) {
                    hot++;
                }
                if (b.channel().equals("channel-42")) {
                    urlsOfChannel42.add(b.url());
                }
            }
        }
        assertThat((double) hot / bids).isBetween(0.48, 0.52);
        // One URL per channel, the same in every run.
        assertThat(urlsOfChannel42).hasSizeLessThanOrEqualTo(1);
        assertThat(EventText.channelUrl(42)).isEqualTo(EventText.channelUrl(42));
        assertThat(EventText.channelUrl(42)).isNotEqualTo(EventText.channelUrl(43));
    }

    @Test
    void averageSizesMatchConfiguredByteSizes() {
        final NexmarkGenerator.Cursor cursor = generator(200_000).cursor();
        long personBytes = 0;
        long persons = 0;
        long auctionBytes = 0;
        long auctions = 0;
        long bidBytes = 0;
        long bids = 0;
        while (cursor.hasNext()) {
            final NexmarkEvent event = cursor.next();
            if (event instanceof Person p) {
                persons++;
                personBytes += 8 + p.name().length() + p.emailAddress().length() + p.creditCard().length()
                    + p.city().length() + p.state().length() + p.extra().length();
            } else if (event instanceof Auction a) {
                auctions++;
                auctionBytes += 8 + a.itemName().length() + a.description().length() + 40 + a.extra().length();
            } else {
                final Bid b = (Bid) event;
                bids++;
                bidBytes += 32 + b.extra().length();
            }
        }
        assertThat((double) personBytes / persons).isCloseTo(200.0, withPercentage(1));
        assertThat((double) auctionBytes / auctions).isCloseTo(500.0, withPercentage(1));
        assertThat((double) bidBytes / bids).isCloseTo(100.0, withPercentage(1));
    }

    // ---- timestamps -------------------------------------------------------------------------------

    @Test
    void timestampsFollowTheInterEventDelay() {
        final NexmarkGenerator generator = generator(100_000);
        assertThat(generator.interEventDelayUs(0)).isEqualTo(100);
        assertThat(generator.timestampMs(0)).isEqualTo(BASE_TIME_MS);
        assertThat(generator.timestampMs(9)).isEqualTo(BASE_TIME_MS);
        assertThat(generator.timestampMs(10)).isEqualTo(BASE_TIME_MS + 1);
        assertThat(generator.timestampMs(99_999)).isEqualTo(BASE_TIME_MS + 9_999);

        final NexmarkGenerator.Cursor cursor = generator.cursor();
        long previous = Long.MIN_VALUE;
        while (cursor.hasNext()) {
            final long n = cursor.nextEventNumber();
            final NexmarkEvent event = cursor.next();
            assertThat(event.dateTimeMs()).isEqualTo(generator.timestampMs(n))
                .isEqualTo(BASE_TIME_MS + n * 100 / 1000)
                .isGreaterThanOrEqualTo(previous);
            assertThat(generator.watermarkMs(n)).isLessThanOrEqualTo(event.dateTimeMs());
            previous = event.dateTimeMs();
        }
    }

    @Test
    void numEventGeneratorsStretchesEachTimeline() {
        final NexmarkGenerator beamDefault = new NexmarkGenerator(
            NexmarkConfig.builder().numEventGenerators(100).build());
        assertThat(beamDefault.interEventDelayUs(0)).isEqualTo(10_000);
        assertThat(beamDefault.timestampMs(1)).isEqualTo(BASE_TIME_MS + 10);
    }

    @Test
    void squareRateAlternatesBetweenRates() {
        final NexmarkGenerator generator = new NexmarkGenerator(NexmarkConfig.builder()
            .rateShape(NexmarkConfig.RateShape.SQUARE)
            .firstEventRate(10_000)
            .nextEventRate(1_000)
            .ratePeriodSec(20)
            .numEvents(1_000_000)
            .build());
        // 10 s at 100 us per event, then 10 s at 1000 us per event, then again.
        assertThat(generator.interEventDelayUs(0)).isEqualTo(100);
        assertThat(generator.timestampMs(100_000)).isEqualTo(BASE_TIME_MS + 10_000);
        assertThat(generator.interEventDelayUs(100_000)).isEqualTo(1_000);
        assertThat(generator.timestampMs(100_001)).isEqualTo(BASE_TIME_MS + 10_001);
        assertThat(generator.timestampMs(110_000)).isEqualTo(BASE_TIME_MS + 20_000);
        assertThat(generator.interEventDelayUs(110_000)).isEqualTo(100);
        assertThat(generator.timestampMs(210_000)).isEqualTo(BASE_TIME_MS + 30_000);
    }

    @Test
    void sineRateAveragesTheTwoRatesAndStaysMonotone() {
        final NexmarkGenerator generator = new NexmarkGenerator(NexmarkConfig.builder()
            .rateShape(NexmarkConfig.RateShape.SINE)
            .firstEventRate(10_000)
            .nextEventRate(1_000)
            .ratePeriodSec(600)
            .numEvents(10_000_000)
            .build());
        // Starts at the first rate, reaches the next rate half way through the period.
        assertThat(generator.interEventDelayUs(0)).isEqualTo(100);
        // Mean rate over a whole period: (10,000 + 1,000) / 2 per second, for 600 s.
        assertThat(generator.timestampMs(3_300_000) - BASE_TIME_MS).isBetween(594_000L, 606_000L);
        long previous = Long.MIN_VALUE;
        long minDelayUs = Long.MAX_VALUE;
        long maxDelayUs = 0;
        for (long n = 0; n < 4_000_000; n += 97) {
            final long t = generator.timestampMs(n);
            assertThat(t).isGreaterThanOrEqualTo(previous);
            previous = t;
            minDelayUs = Math.min(minDelayUs, generator.interEventDelayUs(n));
            maxDelayUs = Math.max(maxDelayUs, generator.interEventDelayUs(n));
        }
        assertThat(minDelayUs).isEqualTo(100);
        assertThat(maxDelayUs).isEqualTo(1_000);
    }

    @Test
    void outOfOrderGroupsShuffleEventsWithinGroupsAboveTheWatermark() {
        final NexmarkGenerator inOrder = generator(10_000);
        final NexmarkGenerator shuffled = new NexmarkGenerator(
            NexmarkConfig.builder().numEvents(10_000).outOfOrderGroupSize(100).build());
        final Set<Long> ids = new HashSet<>();
        boolean sawOutOfOrder = false;
        long previous = Long.MIN_VALUE;
        final NexmarkGenerator.Cursor cursor = shuffled.cursor();
        while (cursor.hasNext()) {
            final long n = cursor.nextEventNumber();
            final NexmarkEvent event = cursor.next();
            final long adjusted = shuffled.adjustedEventNumber(n);
            assertThat(adjusted / 100).isEqualTo(n / 100);
            assertThat(ids.add(adjusted)).as("adjusted %d repeats", adjusted).isTrue();
            // The same event as in order, just emitted at another position.
            assertThat(event).isEqualTo(inOrder.event(adjusted));
            assertThat(event.dateTimeMs()).isGreaterThanOrEqualTo(shuffled.watermarkMs(n));
            sawOutOfOrder |= event.dateTimeMs() < previous;
            previous = event.dateTimeMs();
        }
        assertThat(ids).hasSize(10_000);
        assertThat(sawOutOfOrder).isTrue();
    }

    @Test
    void emitTimestampsAreMonotoneEvenOutOfOrder() {
        final NexmarkGenerator shuffled = new NexmarkGenerator(
            NexmarkConfig.builder().numEvents(10_000).outOfOrderGroupSize(64).build());
        long previous = Long.MIN_VALUE;
        for (long n = 0; n < 10_000; n++) {
            final long emitMs = shuffled.emitTimestampMs(n);
            assertThat(emitMs).isEqualTo(BASE_TIME_MS + n / 10).isGreaterThanOrEqualTo(previous);
            previous = emitMs;
        }
    }

    // ---- ranges and splits ------------------------------------------------------------------------

    @Test
    void splitPartsCoverDisjointIdsOnParallelTimelines() {
        final NexmarkConfig config = NexmarkConfig.builder().numEventGenerators(4).numEvents(10_002).build();
        final List<NexmarkConfig> parts = config.split(4);
        assertThat(parts).hasSize(4);
        assertThat(parts).extracting(NexmarkConfig::maxEvents).containsExactly(2_500L, 2_500L, 2_500L, 2_502L);
        assertThat(parts).extracting(NexmarkConfig::firstEventId).containsExactly(0L, 2_500L, 5_000L, 7_500L);

        final Set<Long> personIds = new HashSet<>();
        for (final NexmarkConfig part : parts) {
            final NexmarkGenerator generator = new NexmarkGenerator(part);
            assertThat(generator.timestampMs(0)).isEqualTo(BASE_TIME_MS);
            assertThat(generator.interEventDelayUs(0)).isEqualTo(400);
            final NexmarkGenerator.Cursor cursor = generator.cursor();
            while (cursor.hasNext()) {
                if (cursor.next() instanceof Person p) {
                    assertThat(personIds.add(p.id())).isTrue();
                }
            }
        }
        assertThat(personIds).hasSize(201);
    }

    @Test
    void rejectsEventNumbersOutsideTheRange() {
        final NexmarkGenerator generator = generator(100);
        assertThatThrownBy(() -> generator.event(100)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("eventNumber");
        assertThatThrownBy(() -> generator.event(-1)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("eventNumber");
        assertThatThrownBy(() -> generator.timestampMs(100)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> generator.cursor(5, 101)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("toEventNumber");
        assertThat(generator.watermarkMs(100)).isEqualTo(BASE_TIME_MS + 10);
    }

    @Test
    void firstEventNumberOffsetsTheTimeline() {
        final NexmarkGenerator generator = new NexmarkGenerator(
            NexmarkConfig.builder().firstEventNumber(1_000).numEvents(50).build());
        final NexmarkGenerator.Cursor cursor = generator.cursor();
        assertThat(cursor.nextEventNumber()).isEqualTo(1_000);
        assertThat(generator.endEventNumber()).isEqualTo(1_050);
        final NexmarkEvent first = cursor.next();
        assertThat(first).isInstanceOf(Person.class);
        assertThat(((Person) first).id()).isEqualTo(1_020);
        assertThat(first.dateTimeMs()).isEqualTo(BASE_TIME_MS + 100);
        assertThat(drain(cursor)).hasSize(49);
    }
}
