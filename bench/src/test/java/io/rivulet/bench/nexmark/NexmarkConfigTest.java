package io.rivulet.bench.nexmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class NexmarkConfigTest {
    @Test
    void defaultsAreBeams() {
        final NexmarkConfig config = NexmarkConfig.defaults();
        assertThat(config.numEventGenerators()).isEqualTo(1); // Beam: 100, see NexmarkConfig
        assertThat(config.numEvents()).isEqualTo(100_000);
        assertThat(config.maxEvents()).isEqualTo(100_000);
        assertThat(config.rateShape()).isEqualTo(NexmarkConfig.RateShape.SINE);
        assertThat(config.rateUnit()).isEqualTo(NexmarkConfig.RateUnit.PER_SECOND);
        assertThat(config.firstEventRate()).isEqualTo(10_000);
        assertThat(config.nextEventRate()).isEqualTo(10_000);
        assertThat(config.ratePeriodSec()).isEqualTo(600);
        assertThat(config.avgPersonByteSize()).isEqualTo(200);
        assertThat(config.avgAuctionByteSize()).isEqualTo(500);
        assertThat(config.avgBidByteSize()).isEqualTo(100);
        assertThat(config.hotAuctionRatio()).isEqualTo(2);
        assertThat(config.hotSellersRatio()).isEqualTo(4);
        assertThat(config.hotBiddersRatio()).isEqualTo(4);
        assertThat(config.numActivePeople()).isEqualTo(1_000);
        assertThat(config.numInFlightAuctions()).isEqualTo(100);
        assertThat(config.outOfOrderGroupSize()).isEqualTo(1);
        assertThat(config.auctionSkip()).isEqualTo(123);
        assertThat(config.baseTimeMs()).isEqualTo(Instant.parse("2015-07-15T00:00:00Z").toEpochMilli());
        assertThat(config.firstEventId()).isZero();
        assertThat(config.firstEventNumber()).isZero();
        assertThat(config.interEventDelaysUs()).containsExactly(100L);
    }

    @Test
    void rateShapesGiveBeamsDelays() {
        final NexmarkConfig sine = NexmarkConfig.builder().firstEventRate(10_000).nextEventRate(1_000).build();
        assertThat(sine.interEventDelaysUs()).hasSize(10).startsWith(100L).contains(1_000L);
        assertThat(sine.stepLengthSec()).isEqualTo(60);
        final NexmarkConfig square = NexmarkConfig.builder().rateShape(NexmarkConfig.RateShape.SQUARE)
            .firstEventRate(3).nextEventRate(7).rateUnit(NexmarkConfig.RateUnit.PER_MINUTE).ratePeriodSec(601).build();
        assertThat(square.interEventDelaysUs()).containsExactly(20_000_000L, 8_571_429L);
        assertThat(square.stepLengthSec()).isEqualTo(301);
        assertThat(NexmarkConfig.RateUnit.PER_SECOND.rateToPeriodUs(3)).isEqualTo(333_333);
    }

    @Test
    void zeroNumEventsMeansBeamsCap() {
        final NexmarkConfig config = NexmarkConfig.builder().numEvents(0).build();
        assertThat(config.numEvents()).isZero();
        assertThat(config.maxEvents()).isEqualTo(Long.MAX_VALUE / (50L * 500));
    }

    @Test
    void builderRoundTripsAndEquality() {
        final NexmarkConfig config = NexmarkConfig.builder().hotBiddersRatio(9).firstEventId(5).build();
        assertThat(config.toBuilder().build()).isEqualTo(config).hasSameHashCodeAs(config);
        assertThat(config).isNotEqualTo(NexmarkConfig.defaults());
        assertThat(config.toString()).contains("hotBiddersRatio=9");
    }

    @Test
    void rejectsEachBadParameterByName() {
        assertRejected(b -> b.numEventGenerators(0), "numEventGenerators");
        assertRejected(b -> b.numEvents(-1), "numEvents");
        assertRejected(b -> b.rateShape(null), "rateShape");
        assertRejected(b -> b.rateUnit(null), "rateUnit");
        assertRejected(b -> b.firstEventRate(0), "firstEventRate");
        assertRejected(b -> b.nextEventRate(-5), "nextEventRate");
        assertRejected(b -> b.ratePeriodSec(0), "ratePeriodSec");
        assertRejected(b -> b.avgPersonByteSize(-1), "avgPersonByteSize");
        assertRejected(b -> b.avgAuctionByteSize(-1), "avgAuctionByteSize");
        assertRejected(b -> b.avgBidByteSize(-1), "avgBidByteSize");
        assertRejected(b -> b.hotAuctionRatio(0), "hotAuctionRatio");
        assertRejected(b -> b.hotSellersRatio(0), "hotSellersRatio");
        assertRejected(b -> b.hotBiddersRatio(0), "hotBiddersRatio");
        assertRejected(b -> b.numActivePeople(0), "numActivePeople");
        assertRejected(b -> b.numInFlightAuctions(0), "numInFlightAuctions");
        assertRejected(b -> b.outOfOrderGroupSize(0), "outOfOrderGroupSize");
        assertRejected(b -> b.outOfOrderGroupSize(953 * 2), "outOfOrderGroupSize");
        assertRejected(b -> b.auctionSkip(0), "auctionSkip");
        assertRejected(b -> b.baseTimeMs(-1), "baseTimeMs");
        assertRejected(b -> b.firstEventId(-1), "firstEventId");
        assertRejected(b -> b.firstEventNumber(-1), "firstEventNumber");
        assertRejected(b -> b.firstEventNumber(Long.MAX_VALUE), "firstEventNumber");
        assertRejected(b -> b.eventRate(3_000_000), "firstEventRate");
        assertRejected(b -> b.rateUnit(NexmarkConfig.RateUnit.PER_MINUTE).firstEventRate(10).nextEventRate(1)
            .ratePeriodSec(1), "ratePeriodSec");
        assertRejected(b -> b.numEvents(Long.MAX_VALUE / 2), "numEvents");
    }

    @Test
    void splitValidatesItsArgument() {
        final NexmarkConfig config = NexmarkConfig.builder().numEvents(3).build();
        assertThat(config.split(1)).containsExactly(config);
        assertThatThrownBy(() -> config.split(0)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("n ");
        assertThatThrownBy(() -> config.split(4)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("n ");
    }

    private static void assertRejected(final UnaryOperator<NexmarkConfig.Builder> change, final String parameter) {
        assertThatThrownBy(() -> change.apply(NexmarkConfig.builder()).build())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith(parameter + " ");
    }
}
