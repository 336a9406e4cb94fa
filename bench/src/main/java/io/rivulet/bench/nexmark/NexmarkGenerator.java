package io.rivulet.bench.nexmark;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Deterministic NEXMark event generator following Apache Beam's {@code Generator}: the event for an
 * event number is a pure function of the number and the {@link NexmarkConfig}, so a stream replays
 * exactly and any event can be generated on its own, in any order, on any thread.
 *
 * <h2>Numbering</h2>
 * <ul>
 *   <li>The <em>event number</em> {@code n} is the position on this generator's timeline; the
 *       configured range is {@code [firstEventNumber, firstEventNumber + maxEvents)}.</li>
 *   <li>The <em>adjusted event number</em> {@code a} shuffles {@code n} within groups of
 *       {@code outOfOrderGroupSize}: {@code a = (n / g) * g + (n * 953) % g}; with the default
 *       {@code g = 1}, {@code a = n}.</li>
 *   <li>The <em>event id</em> {@code firstEventId + a} seeds a random generator identical to
 *       {@code new java.util.Random(eventId)} and decides the kind: of every 50 consecutive ids
 *       the first is a {@link Person}, the next 3 are {@link Auction}s and the last 46 are
 *       {@link Bid}s.</li>
 *   <li>The event time is {@code baseTimeMs + a * interEventDelayUs / 1000} (piecewise when the
 *       rate varies), so in-order streams have non-decreasing timestamps.</li>
 * </ul>
 *
 * <h2>Ids</h2>
 * People and auctions are numbered consecutively from {@link #FIRST_PERSON_ID} and
 * {@link #FIRST_AUCTION_ID}. Auctions and bids pick a "hot" seller, bidder or auction (the first,
 * or for bidders the second, of the latest batch of {@link #HOT_BATCH_SIZE}) with probability
 * {@code 1 - 1/hotRatio}; otherwise a random one among the {@code numActivePeople} latest people or
 * {@code numInFlightAuctions} latest auctions, plus up to {@link #PERSON_ID_LEAD} /
 * {@link #AUCTION_ID_LEAD} ids not generated yet (as in Beam, so that some references precede their
 * targets). A hot bidder may likewise be one id ahead.
 *
 * <p>Instances are immutable and thread-safe; a {@link Cursor} is not.
 */
public final class NexmarkGenerator {
    /** Id of the first person. */
    public static final long FIRST_PERSON_ID = 1000L;
    /** Id of the first auction. */
    public static final long FIRST_AUCTION_ID = 1000L;
    /** Id of the first category. */
    public static final long FIRST_CATEGORY_ID = 10L;
    /** Number of categories, kept small so that queries find results on small streams. */
    public static final int NUM_CATEGORIES = 5;

    /** People per {@link #PROPORTION_DENOMINATOR} events. */
    public static final int PERSON_PROPORTION = 1;
    /** Auctions per {@link #PROPORTION_DENOMINATOR} events. */
    public static final int AUCTION_PROPORTION = 3;
    /** Bids per {@link #PROPORTION_DENOMINATOR} events. */
    public static final int BID_PROPORTION = 46;
    /** Length of the repeating person/auction/bid pattern of event ids. */
    public static final int PROPORTION_DENOMINATOR = PERSON_PROPORTION + AUCTION_PROPORTION + BID_PROPORTION;

    /** A random seller or bidder may be up to this many people ahead of the last one generated. */
    public static final int PERSON_ID_LEAD = 10;
    /** A random auction may be up to this many auctions ahead of the last one generated. */
    public static final int AUCTION_ID_LEAD = 10;
    /** Hot sellers, bidders and auctions are chosen from batches of this many ids. */
    public static final int HOT_BATCH_SIZE = 100;

    private final NexmarkConfig config;
    private final long firstEventId;
    private final long endEventNumber;
    private final long groupSize;
    private final long baseTimeMs;
    private final long[] delaysUs;
    private final long[] stepFirstEvent;
    private final long[] stepStartMs;
    private final long eventsPerEpoch;
    private final long epochPeriodMs;
    private final long auctionHorizonEvents;
    private final int avgPersonByteSize;
    private final int avgAuctionByteSize;
    private final int avgBidByteSize;
    private final int hotAuctionRatio;
    private final int hotSellersRatio;
    private final int hotBiddersRatio;
    private final int numActivePeople;
    private final int numInFlightAuctions;

    /**
     * Creates a generator; cheap, holds no per-event state.
     *
     * @param config the parameters, not null.
     */
    public NexmarkGenerator(final NexmarkConfig config) {
        if (config == null) {
            throw new IllegalArgumentException("config must not be null");
        }
        this.config = config;
        firstEventId = config.firstEventId();
        endEventNumber = config.firstEventNumber() + config.maxEvents();
        groupSize = config.outOfOrderGroupSize();
        baseTimeMs = config.baseTimeMs();
        delaysUs = config.interEventDelaysUsUnsafe();
        stepFirstEvent = new long[delaysUs.length];
        stepStartMs = new long[delaysUs.length];
        long events = 0;
        long periodMs = 0;
        if (delaysUs.length > 1) {
            final long stepUs = config.stepLengthSec() * 1_000_000L;
            for (int i = 0; i < delaysUs.length; i++) {
                final long stepEvents = stepUs / delaysUs[i];
                stepFirstEvent[i] = events;
                stepStartMs[i] = periodMs;
                events += stepEvents;
                periodMs += stepEvents * delaysUs[i] / 1000L;
            }
        }
        eventsPerEpoch = events;
        epochPeriodMs = periodMs;
        auctionHorizonEvents = (long) config.numInFlightAuctions() * PROPORTION_DENOMINATOR / AUCTION_PROPORTION;
        avgPersonByteSize = config.avgPersonByteSize();
        avgAuctionByteSize = config.avgAuctionByteSize();
        avgBidByteSize = config.avgBidByteSize();
        hotAuctionRatio = config.hotAuctionRatio();
        hotSellersRatio = config.hotSellersRatio();
        hotBiddersRatio = config.hotBiddersRatio();
        numActivePeople = config.numActivePeople();
        numInFlightAuctions = config.numInFlightAuctions();
    }

    /**
     * The parameters of this generator.
     *
     * @return the configuration.
     */
    public NexmarkConfig config() {
        return config;
    }

    /**
     * First event number of the configured range.
     *
     * @return {@code config().firstEventNumber()}.
     */
    public long firstEventNumber() {
        return config.firstEventNumber();
    }

    /**
     * One past the last event number of the configured range; events can be generated for every
     * number in {@code [0, endEventNumber())}.
     *
     * @return {@code firstEventNumber() + config().maxEvents()}.
     */
    public long endEventNumber() {
        return endEventNumber;
    }

    /**
     * The event number after the out-of-order shuffle; it sets the event id and the event time.
     *
     * @param eventNumber at least 0.
     * @return the adjusted event number, in the same group of {@code outOfOrderGroupSize}.
     */
    public long adjustedEventNumber(final long eventNumber) {
        if (groupSize == 1) {
            return eventNumber;
        }
        final long offset = eventNumber % groupSize;
        return eventNumber - offset + offset * NexmarkConfig.OUT_OF_ORDER_MULTIPLIER % groupSize;
    }

    /**
     * The event id of an event number: the random seed of the event and the key of its kind.
     *
     * @param eventNumber at least 0.
     * @return {@code firstEventId + adjustedEventNumber(eventNumber)}.
     */
    public long eventId(final long eventNumber) {
        return firstEventId + adjustedEventNumber(eventNumber);
    }

    /**
     * The kind of the event with this number, without generating it.
     *
     * @param eventNumber at least 0.
     * @return the kind.
     */
    public EventKind kind(final long eventNumber) {
        return kindOfEventId(eventId(eventNumber));
    }

    /**
     * The kind of the event with this event id: by its offset in the repeating pattern of 50.
     *
     * @param eventId at least 0.
     * @return the kind.
     */
    public static EventKind kindOfEventId(final long eventId) {
        final long offset = eventId % PROPORTION_DENOMINATOR;
        if (offset < PERSON_PROPORTION) {
            return EventKind.PERSON;
        }
        return offset < PERSON_PROPORTION + AUCTION_PROPORTION ? EventKind.AUCTION : EventKind.BID;
    }

    /**
     * Event time carried by the event with this number ({@link NexmarkEvent#dateTimeMs()}); with
     * out-of-order groups it jitters within the group.
     *
     * @param eventNumber in {@code [0, endEventNumber())}.
     * @return epoch ms.
     */
    public long timestampMs(final long eventNumber) {
        checkEventNumber(eventNumber);
        return timelineMs(adjustedEventNumber(eventNumber));
    }

    /**
     * Time on the un-shuffled timeline at which the event with this number is due: non-decreasing
     * in the event number, for pacing emission against a clock
     * ({@code wallclockStart + emitTimestampMs(n) - baseTimeMs}).
     *
     * @param eventNumber in {@code [0, endEventNumber())}.
     * @return epoch ms.
     */
    public long emitTimestampMs(final long eventNumber) {
        checkEventNumber(eventNumber);
        return timelineMs(eventNumber);
    }

    /**
     * A watermark after emitting every event before {@code nextEventNumber}: no event numbered
     * {@code nextEventNumber} or later has an earlier {@link #timestampMs(long)}.
     *
     * @param nextEventNumber in {@code [0, endEventNumber()]}.
     * @return epoch ms.
     */
    public long watermarkMs(final long nextEventNumber) {
        if (nextEventNumber < 0 || nextEventNumber > endEventNumber) {
            throw new IllegalArgumentException("nextEventNumber must be in [0, " + endEventNumber + "], was "
                + nextEventNumber);
        }
        return timelineMs(nextEventNumber / groupSize * groupSize);
    }

    /**
     * Delay between the event with this number and the next on the timeline.
     *
     * @param eventNumber in {@code [0, endEventNumber())}.
     * @return microseconds.
     */
    public long interEventDelayUs(final long eventNumber) {
        checkEventNumber(eventNumber);
        return delaysUs.length == 1 ? delaysUs[0] : delaysUs[step(eventNumber % eventsPerEpoch)];
    }

    /**
     * Generates the event with this number. Thread-safe; allocates the event and its strings.
     *
     * @param eventNumber in {@code [0, endEventNumber())}.
     * @return a {@link Person}, {@link Auction} or {@link Bid}; equal for equal numbers.
     */
    public NexmarkEvent event(final long eventNumber) {
        return generate(eventNumber, new SeededRandom());
    }

    /**
     * Generates the event with this number and passes it to the matching method of
     * {@code handler}. Thread-safe.
     *
     * @param eventNumber in {@code [0, endEventNumber())}.
     * @param handler     receives the event on this thread.
     */
    public void event(final long eventNumber, final NexmarkEventHandler handler) {
        dispatch(eventNumber, generate(eventNumber, new SeededRandom()), handler);
    }

    /**
     * A cursor over the configured range {@code [firstEventNumber(), endEventNumber())}.
     *
     * @return a new cursor, positioned at the first event.
     */
    public Cursor cursor() {
        return new Cursor(config.firstEventNumber(), endEventNumber);
    }

    /**
     * A cursor over {@code [fromEventNumber, toEventNumber)}.
     *
     * @param fromEventNumber first event number, at least 0.
     * @param toEventNumber   one past the last, between {@code fromEventNumber} and
     *                        {@link #endEventNumber()}.
     * @return a new cursor, positioned at {@code fromEventNumber}.
     */
    public Cursor cursor(final long fromEventNumber, final long toEventNumber) {
        if (fromEventNumber < 0 || toEventNumber < fromEventNumber || toEventNumber > endEventNumber) {
            throw new IllegalArgumentException("range must satisfy 0 <= fromEventNumber <= toEventNumber <= "
                + endEventNumber + ", was [" + fromEventNumber + ", " + toEventNumber + ")");
        }
        return new Cursor(fromEventNumber, toEventNumber);
    }

    /** Base-0 id of the last person generated at or before this event id (Beam's rule). */
    static long lastBase0PersonId(final long eventId) {
        final long epoch = eventId / PROPORTION_DENOMINATOR;
        long offset = eventId % PROPORTION_DENOMINATOR;
        if (offset >= PERSON_PROPORTION) {
            offset = PERSON_PROPORTION - 1;
        }
        return epoch * PERSON_PROPORTION + offset;
    }

    /**
     * Base-0 id of the last auction generated at or before this event id; -1 before the first.
     */
    static long lastBase0AuctionId(final long eventId) {
        long epoch = eventId / PROPORTION_DENOMINATOR;
        long offset = eventId % PROPORTION_DENOMINATOR;
        if (offset < PERSON_PROPORTION) {
            epoch--;
            offset = AUCTION_PROPORTION - 1;
        } else if (offset >= PERSON_PROPORTION + AUCTION_PROPORTION) {
            offset = AUCTION_PROPORTION - 1;
        } else {
            offset -= PERSON_PROPORTION;
        }
        return epoch * AUCTION_PROPORTION + offset;
    }

    private void checkEventNumber(final long eventNumber) {
        if (eventNumber < 0 || eventNumber >= endEventNumber) {
            throw new IllegalArgumentException("eventNumber must be in [0, " + endEventNumber + "), was "
                + eventNumber);
        }
    }

    /** Event time of a (possibly adjusted) event number, exact without overflowing n * delay. */
    private long timelineMs(final long n) {
        if (delaysUs.length == 1) {
            return baseTimeMs + scaleUsToMs(n, delaysUs[0]);
        }
        final long epoch = n / eventsPerEpoch;
        final long inEpoch = n % eventsPerEpoch;
        final int step = step(inEpoch);
        return baseTimeMs + epoch * epochPeriodMs + stepStartMs[step]
            + scaleUsToMs(inEpoch - stepFirstEvent[step], delaysUs[step]);
    }

    /** {@code n * delayUs / 1000} for {@code n >= 0}, splitting n to keep the product small. */
    private static long scaleUsToMs(final long n, final long delayUs) {
        return n / 1000L * delayUs + n % 1000L * delayUs / 1000L;
    }

    private int step(final long eventInEpoch) {
        int step = delaysUs.length - 1;
        while (stepFirstEvent[step] > eventInEpoch) {
            step--;
        }
        return step;
    }

    private NexmarkEvent generate(final long eventNumber, final SeededRandom random) {
        checkEventNumber(eventNumber);
        final long adjusted = adjustedEventNumber(eventNumber);
        final long eventId = firstEventId + adjusted;
        final long timestampMs = timelineMs(adjusted);
        random.setSeed(eventId);
        final long offset = eventId % PROPORTION_DENOMINATOR;
        if (offset < PERSON_PROPORTION) {
            return person(eventId, timestampMs, random);
        }
        if (offset < PERSON_PROPORTION + AUCTION_PROPORTION) {
            return auction(eventId, adjusted, timestampMs, random);
        }
        return bid(eventId, timestampMs, random);
    }

    private static void dispatch(final long eventNumber, final NexmarkEvent event, final NexmarkEventHandler handler) {
        switch (event.kind()) {
            case PERSON -> handler.onPerson(eventNumber, (Person) event);
            case AUCTION -> handler.onAuction(eventNumber, (Auction) event);
            default -> handler.onBid(eventNumber, (Bid) event);
        }
    }

    private Person person(final long eventId, final long timestampMs, final SeededRandom random) {
        final long id = lastBase0PersonId(eventId) + FIRST_PERSON_ID;
        final String name = EventText.nextPersonName(random);
        final String email = EventText.nextEmail(random);
        final String creditCard = EventText.nextCreditCard(random);
        final String city = EventText.nextUsCity(random);
        final String state = EventText.nextUsState(random);
        final int size = 8 + name.length() + email.length() + creditCard.length() + city.length() + state.length();
        final String extra = EventText.nextExtra(random, size, avgPersonByteSize);
        return new Person(id, name, email, creditCard, city, state, timestampMs, extra);
    }

    private Auction auction(final long eventId, final long adjustedEventNumber, final long timestampMs,
        final SeededRandom random) {
        final long id = lastBase0AuctionId(eventId) + FIRST_AUCTION_ID;
        final long seller;
        if (random.nextInt(hotSellersRatio) > 0) {
            seller = lastBase0PersonId(eventId) / HOT_BATCH_SIZE * HOT_BATCH_SIZE;
        } else {
            seller = nextBase0PersonId(eventId, random);
        }
        final long category = FIRST_CATEGORY_ID + random.nextInt(NUM_CATEGORIES);
        final long initialBid = EventText.nextPrice(random);
        // Mean length: the time until numInFlightAuctions more auctions have been generated.
        final long horizonMs = timelineMs(adjustedEventNumber + auctionHorizonEvents) - timestampMs;
        final long expiresMs = timestampMs + 1L + EventText.nextLong(random, Math.max(horizonMs * 2, 1L));
        final String itemName = EventText.nextString(random, 20);
        final String description = EventText.nextString(random, 100);
        final long reserve = initialBid + EventText.nextPrice(random);
        final int size = 8 + itemName.length() + description.length() + 8 + 8 + 8 + 8 + 8;
        final String extra = EventText.nextExtra(random, size, avgAuctionByteSize);
        return new Auction(id, itemName, description, initialBid, reserve, timestampMs, expiresMs,
            seller + FIRST_PERSON_ID, category, extra);
    }

    private Bid bid(final long eventId, final long timestampMs, final SeededRandom random) {
        final long auction;
        if (random.nextInt(hotAuctionRatio) > 0) {
            auction = lastBase0AuctionId(eventId) / HOT_BATCH_SIZE * HOT_BATCH_SIZE;
        } else {
            auction = nextBase0AuctionId(eventId, random);
        }
        final long bidder;
        if (random.nextInt(hotBiddersRatio) > 0) {
            // The second of the batch, so that hot bidders and hot sellers differ.
            bidder = lastBase0PersonId(eventId) / HOT_BATCH_SIZE * HOT_BATCH_SIZE + 1;
        } else {
            bidder = nextBase0PersonId(eventId, random);
        }
        final long price = EventText.nextPrice(random);
        final String extra = EventText.nextExtra(random, 8 + 8 + 8 + 8, avgBidByteSize);
        // Flink NEXMark extension, drawn last so that the fields above stay Beam's.
        final String channel;
        final String url;
        if (random.nextInt(EventText.HOT_CHANNELS_RATIO) > 0) {
            final int hot = random.nextInt(EventText.HOT_CHANNELS.length);
            channel = EventText.hotChannel(hot);
            url = EventText.hotChannelUrl(hot);
        } else {
            final int channelNumber = random.nextInt(EventText.CHANNELS_NUMBER);
            channel = EventText.channel(channelNumber);
            url = EventText.channelUrl(channelNumber);
        }
        return new Bid(auction + FIRST_AUCTION_ID, bidder + FIRST_PERSON_ID, price, channel, url, timestampMs, extra);
    }

    /** A random active person, possibly up to {@link #PERSON_ID_LEAD} ahead (base 0). */
    private long nextBase0PersonId(final long eventId, final SeededRandom random) {
        final long numPeople = lastBase0PersonId(eventId) + 1;
        final long activePeople = Math.min(numPeople, numActivePeople);
        final long n = EventText.nextLong(random, activePeople + PERSON_ID_LEAD);
        return numPeople - activePeople + n;
    }

    /** A random in-flight auction, possibly up to {@link #AUCTION_ID_LEAD} ahead (base 0). */
    private long nextBase0AuctionId(final long eventId, final SeededRandom random) {
        final long maxAuction = lastBase0AuctionId(eventId);
        final long minAuction = Math.max(maxAuction - numInFlightAuctions, 0);
        return minAuction + EventText.nextLong(random, maxAuction - minAuction + 1 + AUCTION_ID_LEAD);
    }

    /**
     * Sequential, restartable walk over a range of event numbers. Reuses one random generator, so
     * it allocates only the events themselves. Not thread-safe; use one cursor per thread.
     */
    public final class Cursor implements Iterator<NexmarkEvent> {
        private final SeededRandom random = new SeededRandom();
        private final long fromEventNumber;
        private final long toEventNumber;
        private long nextEventNumber;

        private Cursor(final long fromEventNumber, final long toEventNumber) {
            this.fromEventNumber = fromEventNumber;
            this.toEventNumber = toEventNumber;
            this.nextEventNumber = fromEventNumber;
        }

        /**
         * Whether an event remains.
         *
         * @return true while {@link #nextEventNumber()} is below the end of the range.
         */
        @Override
        public boolean hasNext() {
            return nextEventNumber < toEventNumber;
        }

        /**
         * Number of the event the next call generates; after the range, its end. Save it to resume
         * later with {@link #seek(long)}.
         *
         * @return the event number.
         */
        public long nextEventNumber() {
            return nextEventNumber;
        }

        /**
         * Generates the next event and advances.
         *
         * @return the event, equal to {@code NexmarkGenerator.this.event(n)} for its number n.
         * @throws NoSuchElementException at the end of the range.
         */
        @Override
        public NexmarkEvent next() {
            if (nextEventNumber >= toEventNumber) {
                throw new NoSuchElementException("end of range at event number " + toEventNumber);
            }
            return generate(nextEventNumber++, random);
        }

        /**
         * Generates the next event, if any, passes it to {@code handler} and advances.
         *
         * @param handler receives the event on this thread.
         * @return false, without calling the handler, at the end of the range.
         */
        public boolean poll(final NexmarkEventHandler handler) {
            if (nextEventNumber >= toEventNumber) {
                return false;
            }
            final long eventNumber = nextEventNumber++;
            dispatch(eventNumber, generate(eventNumber, random), handler);
            return true;
        }

        /**
         * Repositions the cursor, e.g. to resume from a checkpoint.
         *
         * @param eventNumber within the cursor's range, or its end.
         */
        public void seek(final long eventNumber) {
            if (eventNumber < fromEventNumber || eventNumber > toEventNumber) {
                throw new IllegalArgumentException("eventNumber must be in [" + fromEventNumber + ", "
                    + toEventNumber + "], was " + eventNumber);
            }
            nextEventNumber = eventNumber;
        }

        /**
         * A watermark for everything this cursor has not generated yet.
         *
         * @return {@link NexmarkGenerator#watermarkMs(long)} of {@link #nextEventNumber()}.
         */
        public long watermarkMs() {
            return NexmarkGenerator.this.watermarkMs(nextEventNumber);
        }
    }
}
