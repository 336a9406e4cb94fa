package io.rivulet.operators.join;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JoinTimeRangeTest {
    @Test
    void shouldComputeSparksStateWatermarksWithOneMillisecondLessForClosedBounds() {
        JoinTimeRange closed = JoinTimeRange.between(0, 10_000);
        assertThat(closed.leftStateWatermarkMs(50_000)).isEqualTo(39_999);
        assertThat(closed.rightStateWatermarkMs(50_000)).isEqualTo(49_999);
        JoinTimeRange open = JoinTimeRange.of(-2_000, false, 10_000, false);
        assertThat(open.leftStateWatermarkMs(50_000)).isEqualTo(40_000);
        assertThat(open.rightStateWatermarkMs(50_000)).isEqualTo(48_000);
        assertThat(open.leftStateWatermarkMs(Long.MIN_VALUE)).as("no watermark, nothing evicted").isEqualTo(Long.MIN_VALUE);
        assertThat(JoinTimeRange.between(-10, 10).leftStateWatermarkMs(Long.MIN_VALUE + 5)).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void shouldRejectABackwardsOrEmptyRangeNamingTheRule() {
        assertThatThrownBy(() -> JoinTimeRange.between(10, 5)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("lowerMs <= upperMs");
        assertThatThrownBy(() -> JoinTimeRange.of(5, true, 5, false)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("both bounds closed");
        assertThat(JoinTimeRange.between(5, 5).matches(0, 5)).isTrue();
        assertThatThrownBy(() -> JoinTimeRange.between(0, Long.MAX_VALUE)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("exceed");
    }

    @Test
    void shouldBeAValue() {
        assertThat(JoinTimeRange.between(0, 10)).isEqualTo(JoinTimeRange.of(0, true, 10, true))
            .hasSameHashCodeAs(JoinTimeRange.of(0, true, 10, true)).isNotEqualTo(JoinTimeRange.of(0, false, 10, true));
        assertThat(JoinTimeRange.between(0, 10).toString()).contains(">= leftTime + 0ms").contains("<= leftTime + 10ms");
    }
}
