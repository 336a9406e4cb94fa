package io.rivulet.bench.nexmark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Immutable parameters of a {@link NexmarkGenerator}: the subset of Apache Beam's
 * {@code NexmarkConfiguration} and {@code GeneratorConfig} that shapes the event stream.
 *
 * <p>Defaults are Beam's, with one deliberate exception: {@link #numEventGenerators()} defaults
 * to 1 (Beam: 100). The parameter multiplies each generator's inter-event delay so that
 * {@code numEventGenerators} parallel timelines together reach {@link #firstEventRate()}; with
 * Beam's 100 a single generator would advance event time by 10 ms per event (100 events/s). Set it
 * to N when running the N generators returned by {@link #split(int)}.
 *
 * <p>Instances are built with {@link #builder()}; every parameter is validated there and a bad one
 * is reported by an {@link IllegalArgumentException} whose message starts with the parameter's
 * name. Instances are immutable and thread-safe.
 */
public final class NexmarkConfig {
    /** Beam's fixed base time for deterministic runs: 2015-07-15T00:00:00Z, in epoch ms. */
    public static final long DEFAULT_BASE_TIME_MS = 1_436_918_400_000L;

    /** Beam: 100. See the class comment for why Rivulet uses 1. */
    public static final int DEFAULT_NUM_EVENT_GENERATORS = 1;
    /** Beam's default number of events. */
    public static final long DEFAULT_NUM_EVENTS = 100_000L;
    /** Beam's default first and next event rate, in {@link #rateUnit()}. */
    public static final int DEFAULT_EVENT_RATE = 10_000;
    /** Beam's default rate period. */
    public static final int DEFAULT_RATE_PERIOD_SEC = 600;
    /** Beam's default idealised person size. */
    public static final int DEFAULT_AVG_PERSON_BYTE_SIZE = 200;
    /** Beam's default idealised auction size. */
    public static final int DEFAULT_AVG_AUCTION_BYTE_SIZE = 500;
    /** Beam's default idealised bid size. */
    public static final int DEFAULT_AVG_BID_BYTE_SIZE = 100;
    /** Beam's default hot auction ratio. */
    public static final int DEFAULT_HOT_AUCTION_RATIO = 2;
    /** Beam's default hot sellers ratio. */
    public static final int DEFAULT_HOT_SELLERS_RATIO = 4;
    /** Beam's default hot bidders ratio. */
    public static final int DEFAULT_HOT_BIDDERS_RATIO = 4;
    /** Beam's default number of active people. */
    public static final int DEFAULT_NUM_ACTIVE_PEOPLE = 1000;
    /** Beam's default number of in-flight auctions. */
    public static final int DEFAULT_NUM_IN_FLIGHT_AUCTIONS = 100;
    /** Beam's default out-of-order group size (1: in order). */
    public static final long DEFAULT_OUT_OF_ORDER_GROUP_SIZE = 1L;
    /** Beam's default Query 2 auction skip. */
    public static final int DEFAULT_AUCTION_SKIP = 123;

    /**
     * The out-of-order shuffle maps offset {@code k} of a group to {@code (k * 953) % groupSize};
     * it is a permutation only when the group size is not a multiple of this prime.
     */
    static final long OUT_OF_ORDER_MULTIPLIER = 953L;

    /** Largest event timestamp offset we accept, to keep every {@code long} computation exact. */
    private static final long MAX_TIMELINE_MS = Long.MAX_VALUE / 8;

    /** Largest first event id or event number we accept, so that sums of them cannot overflow. */
    private static final long MAX_EVENT_NUMBER = Long.MAX_VALUE / 8;

    /** Unit in which {@link #firstEventRate()} and {@link #nextEventRate()} are given. */
    public enum RateUnit {
        /** Events per second. */
        PER_SECOND(1_000_000L),
        /** Events per minute. */
        PER_MINUTE(60_000_000L);

        private final long usPerUnit;

        RateUnit(final long usPerUnit) {
            this.usPerUnit = usPerUnit;
        }

        /**
         * The period between events at {@code rate}, in microseconds, rounded to nearest.
         *
         * @param rate events per unit, at least 1.
         * @return the inter-event period in microseconds.
         */
        public long rateToPeriodUs(final long rate) {
            return (usPerUnit + rate / 2) / rate;
        }
    }

    /** How the event rate moves between {@link #firstEventRate()} and {@link #nextEventRate()}. */
    public enum RateShape {
        /** Alternate between the two rates, each held for half of {@link #ratePeriodSec()}. */
        SQUARE(2),
        /** Follow a cosine from the first rate to the next and back, approximated in 10 steps. */
        SINE(10);

        private final int steps;

        RateShape(final int steps) {
            this.steps = steps;
        }

        /**
         * Number of constant-rate steps per period when the two rates differ.
         *
         * @return the step count.
         */
        public int steps() {
            return steps;
        }

        /**
         * Length of one constant-rate step so that all steps together cover {@code ratePeriodSec}.
         *
         * @param ratePeriodSec the whole period in seconds.
         * @return the step length in seconds, rounded up.
         */
        public long stepLengthSec(final int ratePeriodSec) {
            return (ratePeriodSec + steps - 1) / steps;
        }
    }

    private final int numEventGenerators;
    private final long numEvents;
    private final long maxEvents;
    private final RateShape rateShape;
    private final RateUnit rateUnit;
    private final int firstEventRate;
    private final int nextEventRate;
    private final int ratePeriodSec;
    private final int avgPersonByteSize;
    private final int avgAuctionByteSize;
    private final int avgBidByteSize;
    private final int hotAuctionRatio;
    private final int hotSellersRatio;
    private final int hotBiddersRatio;
    private final int numActivePeople;
    private final int numInFlightAuctions;
    private final long outOfOrderGroupSize;
    private final int auctionSkip;
    private final long baseTimeMs;
    private final long firstEventId;
    private final long firstEventNumber;
    private final long[] interEventDelaysUs;
    private final long stepLengthSec;

    private NexmarkConfig(final Builder b) {
        numEventGenerators = atLeast("numEventGenerators", b.numEventGenerators, 1);
        numEvents = atLeast("numEvents", b.numEvents, 0);
        rateShape = nonNull("rateShape", b.rateShape);
        rateUnit = nonNull("rateUnit", b.rateUnit);
        firstEventRate = atLeast("firstEventRate", b.firstEventRate, 1);
        nextEventRate = atLeast("nextEventRate", b.nextEventRate, 1);
        ratePeriodSec = atLeast("ratePeriodSec", b.ratePeriodSec, 1);
        avgPersonByteSize = atLeast("avgPersonByteSize", b.avgPersonByteSize, 0);
        avgAuctionByteSize = atLeast("avgAuctionByteSize", b.avgAuctionByteSize, 0);
        avgBidByteSize = atLeast("avgBidByteSize", b.avgBidByteSize, 0);
        hotAuctionRatio = atLeast("hotAuctionRatio", b.hotAuctionRatio, 1);
        hotSellersRatio = atLeast("hotSellersRatio", b.hotSellersRatio, 1);
        hotBiddersRatio = atLeast("hotBiddersRatio", b.hotBiddersRatio, 1);
        numActivePeople = atLeast("numActivePeople", b.numActivePeople, 1);
        numInFlightAuctions = atLeast("numInFlightAuctions", b.numInFlightAuctions, 1);
        outOfOrderGroupSize = atLeast("outOfOrderGroupSize", b.outOfOrderGroupSize, 1);
        if (outOfOrderGroupSize > MAX_EVENT_NUMBER / OUT_OF_ORDER_MULTIPLIER) {
            throw new IllegalArgumentException("outOfOrderGroupSize must be <= "
                + MAX_EVENT_NUMBER / OUT_OF_ORDER_MULTIPLIER + ", was " + outOfOrderGroupSize);
        }
        if (outOfOrderGroupSize % OUT_OF_ORDER_MULTIPLIER == 0) {
            throw new IllegalArgumentException("outOfOrderGroupSize must not be a multiple of "
                + OUT_OF_ORDER_MULTIPLIER + " (the in-group shuffle would repeat events), was "
                + outOfOrderGroupSize);
        }
        auctionSkip = atLeast("auctionSkip", b.auctionSkip, 1);
        baseTimeMs = atLeast("baseTimeMs", b.baseTimeMs, 0);
        firstEventId = atLeast("firstEventId", b.firstEventId, 0);
        firstEventNumber = atLeast("firstEventNumber", b.firstEventNumber, 0);

        atMost("firstEventId", firstEventId, MAX_EVENT_NUMBER);
        atMost("firstEventNumber", firstEventNumber, MAX_EVENT_NUMBER);
        atMost("baseTimeMs", baseTimeMs, MAX_TIMELINE_MS);

        interEventDelaysUs = interEventDelaysUs(rateShape, rateUnit, firstEventRate, nextEventRate,
            numEventGenerators);
        stepLengthSec = rateShape.stepLengthSec(ratePeriodSec);
        for (final long delayUs : interEventDelaysUs) {
            if (delayUs == 0) {
                final String name = firstEventRate >= nextEventRate ? "firstEventRate" : "nextEventRate";
                throw new IllegalArgumentException(name + " too high: " + Math.max(firstEventRate, nextEventRate)
                    + " events " + rateUnit + " over " + numEventGenerators
                    + " generator(s) rounds to 0 us between events");
            }
        }
        if (interEventDelaysUs.length > 1) {
            for (final long delayUs : interEventDelaysUs) {
                if (stepLengthSec * 1_000_000L / delayUs == 0) {
                    throw new IllegalArgumentException("ratePeriodSec too short for the rates: a "
                        + stepLengthSec + " s step of the " + rateShape + " shape holds no event at "
                        + delayUs + " us between events (ratePeriodSec=" + ratePeriodSec + ")");
                }
            }
        }

        // Event numbers whose timestamps stay exact: (n / 1000) * maxDelayUs must not exceed the
        // timeline limit. Auctions also look numInFlightAuctions * 50 / 3 events (plus one group) ahead.
        final long maxDelayUs = Arrays.stream(interEventDelaysUs).max().orElseThrow();
        final long lookAheadEvents = (long) numInFlightAuctions * NexmarkGenerator.PROPORTION_DENOMINATOR
            / NexmarkGenerator.AUCTION_PROPORTION + outOfOrderGroupSize;
        final long timelineThousands = MAX_TIMELINE_MS / maxDelayUs - 1;
        final long timelineEvents = (timelineThousands > MAX_EVENT_NUMBER / 1000L
            ? MAX_EVENT_NUMBER : timelineThousands * 1000L) - lookAheadEvents - firstEventNumber;
        if (numEvents == 0) {
            // Beam: scale the maximum down so that size estimates cannot overflow; we also keep
            // every timestamp exact.
            final long beamCap = Long.MAX_VALUE / ((long) NexmarkGenerator.PROPORTION_DENOMINATOR
                * Math.max(1, Math.max(Math.max(avgPersonByteSize, avgAuctionByteSize), avgBidByteSize)));
            maxEvents = Math.max(1, Math.min(beamCap, timelineEvents));
        } else {
            maxEvents = numEvents;
        }
        if (maxEvents > timelineEvents) {
            throw new IllegalArgumentException("numEvents too large for the event rate: " + maxEvents
                + " events from event number " + firstEventNumber + " at " + maxDelayUs
                + " us apart overflow the timeline (at most " + Math.max(0, timelineEvents) + ")");
        }
    }

    private static long[] interEventDelaysUs(final RateShape shape, final RateUnit unit,
        final int firstRate, final int nextRate, final int numGenerators) {
        if (firstRate == nextRate) {
            return new long[] {unit.rateToPeriodUs(firstRate) * numGenerators};
        }
        final long[] delaysUs = new long[shape.steps()];
        if (shape == RateShape.SQUARE) {
            delaysUs[0] = unit.rateToPeriodUs(firstRate) * numGenerators;
            delaysUs[1] = unit.rateToPeriodUs(nextRate) * numGenerators;
        } else {
            final double mid = (firstRate + nextRate) / 2.0;
            final double amplitude = (firstRate - nextRate) / 2.0;
            for (int i = 0; i < delaysUs.length; i++) {
                final double rate = mid + amplitude * Math.cos(2.0 * Math.PI * i / delaysUs.length);
                delaysUs[i] = unit.rateToPeriodUs(Math.round(rate)) * numGenerators;
            }
        }
        return delaysUs;
    }

    private static int atLeast(final String name, final int value, final int min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be >= " + min + ", was " + value);
        }
        return value;
    }

    private static long atLeast(final String name, final long value, final long min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be >= " + min + ", was " + value);
        }
        return value;
    }

    private static void atMost(final String name, final long value, final long max) {
        if (value > max) {
            throw new IllegalArgumentException(name + " must be <= " + max + ", was " + value);
        }
    }

    private static <T> T nonNull(final String name, final T value) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return value;
    }

    /**
     * A builder holding Beam's defaults (except {@code numEventGenerators}, see the class comment).
     *
     * @return a new builder.
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A configuration with all defaults.
     *
     * @return the default configuration.
     */
    public static NexmarkConfig defaults() {
        return new Builder().build();
    }

    /**
     * A builder pre-set with this configuration's parameters.
     *
     * @return a new builder.
     */
    public Builder toBuilder() {
        final Builder b = new Builder();
        b.numEventGenerators = numEventGenerators;
        b.numEvents = numEvents;
        b.rateShape = rateShape;
        b.rateUnit = rateUnit;
        b.firstEventRate = firstEventRate;
        b.nextEventRate = nextEventRate;
        b.ratePeriodSec = ratePeriodSec;
        b.avgPersonByteSize = avgPersonByteSize;
        b.avgAuctionByteSize = avgAuctionByteSize;
        b.avgBidByteSize = avgBidByteSize;
        b.hotAuctionRatio = hotAuctionRatio;
        b.hotSellersRatio = hotSellersRatio;
        b.hotBiddersRatio = hotBiddersRatio;
        b.numActivePeople = numActivePeople;
        b.numInFlightAuctions = numInFlightAuctions;
        b.outOfOrderGroupSize = outOfOrderGroupSize;
        b.auctionSkip = auctionSkip;
        b.baseTimeMs = baseTimeMs;
        b.firstEventId = firstEventId;
        b.firstEventNumber = firstEventNumber;
        return b;
    }

    /**
     * Splits this configuration into {@code n} configurations over disjoint event-id ranges that
     * share this configuration's first event number, so their generators run on parallel timelines
     * (Beam's {@code GeneratorConfig.split}). The last part takes the rounding remainder. The
     * caller normally also sets {@link Builder#numEventGenerators(int)} to {@code n} beforehand so
     * that the parts together keep the configured rate.
     *
     * @param n number of parts, between 1 and {@link #maxEvents()}.
     * @return the parts, in event-id order; {@code [this]} when {@code n == 1}.
     */
    public List<NexmarkConfig> split(final int n) {
        if (n < 1 || n > maxEvents) {
            throw new IllegalArgumentException("n must be in [1, maxEvents=" + maxEvents + "], was " + n);
        }
        final List<NexmarkConfig> parts = new ArrayList<>(n);
        if (n == 1) {
            parts.add(this);
            return parts;
        }
        final long partEvents = maxEvents / n;
        long partFirstEventId = firstEventId;
        for (int i = 0; i < n; i++) {
            final long events = i == n - 1 ? maxEvents - partEvents * (n - 1) : partEvents;
            parts.add(toBuilder().firstEventId(partFirstEventId).numEvents(events).build());
            partFirstEventId += events;
        }
        return parts;
    }

    /**
     * Number of generators running in parallel; each generator's inter-event delay is multiplied
     * by it.
     *
     * @return at least 1.
     */
    public int numEventGenerators() {
        return numEventGenerators;
    }

    /**
     * Number of events as configured; 0 means "as many as possible", see {@link #maxEvents()}.
     *
     * @return at least 0.
     */
    public long numEvents() {
        return numEvents;
    }

    /**
     * Number of events a generator of this configuration yields: {@link #numEvents()}, or when that
     * is 0 Beam's cap {@code Long.MAX_VALUE / (50 * max(avg byte sizes))}.
     *
     * @return at least 1.
     */
    public long maxEvents() {
        return maxEvents;
    }

    /**
     * Shape of the event rate curve; irrelevant when the first and next rates are equal.
     *
     * @return the shape, Beam's default {@link RateShape#SINE}.
     */
    public RateShape rateShape() {
        return rateShape;
    }

    /**
     * Unit of the event rates.
     *
     * @return the unit, default {@link RateUnit#PER_SECOND}.
     */
    public RateUnit rateUnit() {
        return rateUnit;
    }

    /**
     * Initial overall event rate, in {@link #rateUnit()}.
     *
     * @return at least 1, default 10,000.
     */
    public int firstEventRate() {
        return firstEventRate;
    }

    /**
     * Second overall event rate, in {@link #rateUnit()}.
     *
     * @return at least 1, default 10,000.
     */
    public int nextEventRate() {
        return nextEventRate;
    }

    /**
     * Period of the rate shape, in seconds.
     *
     * @return at least 1, default 600.
     */
    public int ratePeriodSec() {
        return ratePeriodSec;
    }

    /**
     * Average idealised size of a person event, in bytes; controls the {@code extra} padding.
     *
     * @return at least 0, default 200.
     */
    public int avgPersonByteSize() {
        return avgPersonByteSize;
    }

    /**
     * Average idealised size of an auction event, in bytes; controls the {@code extra} padding.
     *
     * @return at least 0, default 500.
     */
    public int avgAuctionByteSize() {
        return avgAuctionByteSize;
    }

    /**
     * Average idealised size of a bid event, in bytes; controls the {@code extra} padding.
     *
     * @return at least 0, default 100.
     */
    public int avgBidByteSize() {
        return avgBidByteSize;
    }

    /**
     * A bid goes to a hot auction with probability {@code 1 - 1/hotAuctionRatio}.
     *
     * @return at least 1, default 2.
     */
    public int hotAuctionRatio() {
        return hotAuctionRatio;
    }

    /**
     * An auction is by a hot seller with probability {@code 1 - 1/hotSellersRatio}.
     *
     * @return at least 1, default 4.
     */
    public int hotSellersRatio() {
        return hotSellersRatio;
    }

    /**
     * A bid is by a hot bidder with probability {@code 1 - 1/hotBiddersRatio}.
     *
     * @return at least 1, default 4.
     */
    public int hotBiddersRatio() {
        return hotBiddersRatio;
    }

    /**
     * Number of most recent people considered active when choosing a random seller or bidder.
     *
     * @return at least 1, default 1000.
     */
    public int numActivePeople() {
        return numActivePeople;
    }

    /**
     * Average number of auctions in flight; bounds the random auction a bid picks and sets the mean
     * auction length.
     *
     * @return at least 1, default 100.
     */
    public int numInFlightAuctions() {
        return numInFlightAuctions;
    }

    /**
     * Number of consecutive events shuffled among themselves; 1 means in order.
     *
     * @return at least 1 and not a multiple of 953, default 1.
     */
    public long outOfOrderGroupSize() {
        return outOfOrderGroupSize;
    }

    /**
     * Query 2 selects bids whose auction id is a multiple of this.
     *
     * @return at least 1, default 123.
     */
    public int auctionSkip() {
        return auctionSkip;
    }

    /**
     * Event time of event number 0, in epoch ms.
     *
     * @return default {@link #DEFAULT_BASE_TIME_MS}.
     */
    public long baseTimeMs() {
        return baseTimeMs;
    }

    /**
     * Offset added to the (adjusted) event number to form the event id that seeds each event and
     * decides its kind; distinct per {@link #split(int) split} part.
     *
     * @return at least 0, default 0.
     */
    public long firstEventId() {
        return firstEventId;
    }

    /**
     * First event number of this generator's timeline; the event number sets the event time.
     *
     * @return at least 0, default 0.
     */
    public long firstEventNumber() {
        return firstEventNumber;
    }

    /**
     * Inter-event delays of this generator, one per rate step, in microseconds: one entry when the
     * first and next rates are equal, else one per {@link RateShape#steps()}.
     *
     * @return a fresh copy.
     */
    public long[] interEventDelaysUs() {
        return interEventDelaysUs.clone();
    }

    long[] interEventDelaysUsUnsafe() {
        return interEventDelaysUs;
    }

    /**
     * Length of one constant-rate step, in seconds; used only when the rates differ.
     *
     * @return {@code ceil(ratePeriodSec / steps)}.
     */
    public long stepLengthSec() {
        return stepLengthSec;
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof NexmarkConfig)) {
            return false;
        }
        final NexmarkConfig c = (NexmarkConfig) o;
        return numEventGenerators == c.numEventGenerators && numEvents == c.numEvents
            && rateShape == c.rateShape && rateUnit == c.rateUnit
            && firstEventRate == c.firstEventRate && nextEventRate == c.nextEventRate
            && ratePeriodSec == c.ratePeriodSec && avgPersonByteSize == c.avgPersonByteSize
            && avgAuctionByteSize == c.avgAuctionByteSize && avgBidByteSize == c.avgBidByteSize
            && hotAuctionRatio == c.hotAuctionRatio && hotSellersRatio == c.hotSellersRatio
            && hotBiddersRatio == c.hotBiddersRatio && numActivePeople == c.numActivePeople
            && numInFlightAuctions == c.numInFlightAuctions
            && outOfOrderGroupSize == c.outOfOrderGroupSize && auctionSkip == c.auctionSkip
            && baseTimeMs == c.baseTimeMs && firstEventId == c.firstEventId
            && firstEventNumber == c.firstEventNumber;
    }

    @Override
    public int hashCode() {
        int h = numEventGenerators;
        h = 31 * h + Long.hashCode(numEvents);
        h = 31 * h + rateShape.hashCode();
        h = 31 * h + rateUnit.hashCode();
        h = 31 * h + firstEventRate;
        h = 31 * h + nextEventRate;
        h = 31 * h + ratePeriodSec;
        h = 31 * h + avgPersonByteSize;
        h = 31 * h + avgAuctionByteSize;
        h = 31 * h + avgBidByteSize;
        h = 31 * h + hotAuctionRatio;
        h = 31 * h + hotSellersRatio;
        h = 31 * h + hotBiddersRatio;
        h = 31 * h + numActivePeople;
        h = 31 * h + numInFlightAuctions;
        h = 31 * h + Long.hashCode(outOfOrderGroupSize);
        h = 31 * h + auctionSkip;
        h = 31 * h + Long.hashCode(baseTimeMs);
        h = 31 * h + Long.hashCode(firstEventId);
        return 31 * h + Long.hashCode(firstEventNumber);
    }

    @Override
    public String toString() {
        return "NexmarkConfig{numEventGenerators=" + numEventGenerators
            + ", numEvents=" + numEvents
            + ", rateShape=" + rateShape
            + ", rateUnit=" + rateUnit
            + ", firstEventRate=" + firstEventRate
            + ", nextEventRate=" + nextEventRate
            + ", ratePeriodSec=" + ratePeriodSec
            + ", avgPersonByteSize=" + avgPersonByteSize
            + ", avgAuctionByteSize=" + avgAuctionByteSize
            + ", avgBidByteSize=" + avgBidByteSize
            + ", hotAuctionRatio=" + hotAuctionRatio
            + ", hotSellersRatio=" + hotSellersRatio
            + ", hotBiddersRatio=" + hotBiddersRatio
            + ", numActivePeople=" + numActivePeople
            + ", numInFlightAuctions=" + numInFlightAuctions
            + ", outOfOrderGroupSize=" + outOfOrderGroupSize
            + ", auctionSkip=" + auctionSkip
            + ", baseTimeMs=" + baseTimeMs
            + ", firstEventId=" + firstEventId
            + ", firstEventNumber=" + firstEventNumber
            + ", interEventDelaysUs=" + Arrays.toString(interEventDelaysUs)
            + '}';
    }

    /**
     * Mutable builder of a {@link NexmarkConfig}; setters only record values, {@link #build()}
     * validates them. Not thread-safe.
     */
    public static final class Builder {
        private int numEventGenerators = DEFAULT_NUM_EVENT_GENERATORS;
        private long numEvents = DEFAULT_NUM_EVENTS;
        private RateShape rateShape = RateShape.SINE;
        private RateUnit rateUnit = RateUnit.PER_SECOND;
        private int firstEventRate = DEFAULT_EVENT_RATE;
        private int nextEventRate = DEFAULT_EVENT_RATE;
        private int ratePeriodSec = DEFAULT_RATE_PERIOD_SEC;
        private int avgPersonByteSize = DEFAULT_AVG_PERSON_BYTE_SIZE;
        private int avgAuctionByteSize = DEFAULT_AVG_AUCTION_BYTE_SIZE;
        private int avgBidByteSize = DEFAULT_AVG_BID_BYTE_SIZE;
        private int hotAuctionRatio = DEFAULT_HOT_AUCTION_RATIO;
        private int hotSellersRatio = DEFAULT_HOT_SELLERS_RATIO;
        private int hotBiddersRatio = DEFAULT_HOT_BIDDERS_RATIO;
        private int numActivePeople = DEFAULT_NUM_ACTIVE_PEOPLE;
        private int numInFlightAuctions = DEFAULT_NUM_IN_FLIGHT_AUCTIONS;
        private long outOfOrderGroupSize = DEFAULT_OUT_OF_ORDER_GROUP_SIZE;
        private int auctionSkip = DEFAULT_AUCTION_SKIP;
        private long baseTimeMs = DEFAULT_BASE_TIME_MS;
        private long firstEventId;
        private long firstEventNumber;

        private Builder() {
        }

        /**
         * Sets {@link NexmarkConfig#numEventGenerators()}.
         *
         * @param value at least 1.
         * @return this builder.
         */
        public Builder numEventGenerators(final int value) {
            numEventGenerators = value;
            return this;
        }

        /**
         * Sets {@link NexmarkConfig#numEvents()}.
         *
         * @param value at least 0; 0 for "as many as possible".
         * @return this builder.
         */
        public Builder numEvents(final long value) {
            numEvents = value;
            return this;
        }

        /**
         * Sets {@link NexmarkConfig#rateShape()}.
         *
         * @param value not null.
         * @return this builder.
         */
        public Builder rateShape(final RateShape value) {
            rateShape = value;
            return this;
        }

        /**
         * Sets {@link NexmarkConfig#rateUnit()}.
         *
         * @param value not null.
         * @return this builder.
         */
        public Builder rateUnit(final RateUnit value) {
            rateUnit = value;
            return this;
        }

        /**
         * Sets {@link NexmarkConfig#firstEventRate()}.
         *
         * @param value at least 1, in the rate unit.
         * @return this builder.
         */
        public Builder firstEventRate(final int value) {
            firstEventRate = value;
            return this;
        }

        /**
         * Sets {@link NexmarkConfig#nextEventRate()}.
         *
         * @param value at least 1, in the rate unit.
         * @return this builder.
         */
        public Builder nextEventRate(final int value) {
            nextEventRate = value;
            return this;
        }

        /**
         * Sets both the first and the next event rate, for a constant rate.
         *
         * @param value at least 1, in the rate unit.
         * @return this builder.
         */
        public Builder eventRate(final int value) {
            firstEventRate = value;
            nextEventRate = value;
            return this;
        }

        /**
         * Sets {@link NexmarkConfig#ratePeriodSec()}.
         *
         * @param value at least 1.
         * @return this builder.
         */
        public Builder ratePeriodSec(final int value) {
            ratePeriodSec = value;
            return this;
        }

        /**
         * Sets {@link NexmarkConfig#avgPersonByteSize()}.
         *
         * @param value at least 0.
         * @return this builder.
         */
        public Builder avgPersonByteSize(final int value) {
            avgPersonByteSize = value;
            return this;
        }

        /**
         * Sets {@link NexmarkConfig#avgAuctionByteSize()}.
         *
         * @param value at least 0.
         * @return this builder.
         */
        public Builder avgAuctionByteSize(final int value) {
            avgAuctionByteSize = value;
            return this;
        }

        /**
         * Sets {@link NexmarkConfig#avgBidByteSize()}.
         *
         * @param value at least 0.
         * @return this builder.
         */
        public Builder avgBidByteSize(final int value) {
            avgBidByteSize = value;
            return this;
        }

        /**
         * Sets {@link NexmarkConfig#hotAuctionRatio()}.
         *
         * @param value at least 1.
         * @return this builder.
         */
        public Builder hotAuctionRatio(final int value) {
            hotAuctionRatio = value;
            return this;
        }

        /**
         * Sets {@link NexmarkConfig#hotSellersRatio()}.
         *
         * @param value at least 1.
         * @return this builder.
         */
        public Builder hotSellersRatio(final int value) {
            hotSellersRatio = value;
            return this;
        }

        /**
         * Sets {@link NexmarkConfig#hotBiddersRatio()}.
         *
         * @param value at least 1.
         * @return this builder.
         */
        public Builder hotBiddersRatio(final int value) {
            hotBiddersRatio = value;
            return this;
        }

        /**
         * Sets {@link NexmarkConfig#numActivePeople()}.
         *
         * @param value at least 1.
         * @return this builder.
         */
        public Builder numActivePeople(final int value) {
            numActivePeople = value;
            return this;
        }

        /**
         * Sets {@link NexmarkConfig#numInFlightAuctions()}.
         *
         * @param value at least 1.
         * @return this builder.
         */
        public Builder numInFlightAuctions(final int value) {
            numInFlightAuctions = value;
            return this;
        }

        /**
         * Sets {@link NexmarkConfig#outOfOrderGroupSize()}.
         *
         * @param value at least 1 and not a multiple of 953.
         * @return this builder.
         */
        public Builder outOfOrderGroupSize(final long value) {
            outOfOrderGroupSize = value;
            return this;
        }

        /**
         * Sets {@link NexmarkConfig#auctionSkip()}.
         *
         * @param value at least 1.
         * @return this builder.
         */
        public Builder auctionSkip(final int value) {
            auctionSkip = value;
            return this;
        }

        /**
         * Sets {@link NexmarkConfig#baseTimeMs()}; pass the current time for Beam's
         * {@code useWallclockEventTime}.
         *
         * @param value epoch ms, at least 0.
         * @return this builder.
         */
        public Builder baseTimeMs(final long value) {
            baseTimeMs = value;
            return this;
        }

        /**
         * Sets {@link NexmarkConfig#firstEventId()}.
         *
         * @param value at least 0.
         * @return this builder.
         */
        public Builder firstEventId(final long value) {
            firstEventId = value;
            return this;
        }

        /**
         * Sets {@link NexmarkConfig#firstEventNumber()}.
         *
         * @param value at least 0.
         * @return this builder.
         */
        public Builder firstEventNumber(final long value) {
            firstEventNumber = value;
            return this;
        }

        /**
         * Validates the parameters and builds the configuration.
         *
         * @return the immutable configuration.
         * @throws IllegalArgumentException naming the first invalid parameter.
         */
        public NexmarkConfig build() {
            return new NexmarkConfig(this);
        }
    }
}
