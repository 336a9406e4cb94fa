package io.rivulet.engine;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Validation and copies of {@link WatermarkStrategy}'s alignment setting. */
class WatermarkStrategyTest {
    private final WatermarkStrategy base = WatermarkStrategy.delay(Duration.ofMillis(500));

    @Test
    void shouldKeepTheDelayAndGuardWhenAligned() {
        WatermarkStrategy aligned = base.maxAhead(Duration.ofMinutes(1), WatermarkStrategy.FutureEventPolicy.CLAMP)
            .withAlignment("inputs", Duration.ofSeconds(1));
        assertThat(aligned.alignmentGroup()).isEqualTo("inputs");
        assertThat(aligned.maxDrift()).isEqualTo(Duration.ofSeconds(1));
        assertThat(aligned.delay()).isEqualTo(Duration.ofMillis(500));
        assertThat(aligned.futurePolicy()).isEqualTo(WatermarkStrategy.FutureEventPolicy.CLAMP);
        assertThat(aligned.maxAhead(Duration.ofMinutes(2), WatermarkStrategy.FutureEventPolicy.IGNORE).alignmentGroup())
            .isEqualTo("inputs");
        assertThat(base.alignmentGroup()).as("the original is unchanged").isNull();
        assertThat(base.maxDrift()).isEqualTo(Duration.ZERO);
    }

    @Test
    void shouldRejectAnEmptyAlignmentGroup() {
        assertThatThrownBy(() -> base.withAlignment(" ", Duration.ofSeconds(1)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("alignment group must be a non-empty name");
        assertThatThrownBy(() -> base.withAlignment(null, Duration.ofSeconds(1)))
            .isInstanceOf(NullPointerException.class)
            .hasMessageContaining("group");
    }

    @Test
    void shouldRejectADriftThatIsNotPositive() {
        assertThatThrownBy(() -> base.withAlignment("inputs", Duration.ZERO))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("maxDrift must be positive");
        assertThatThrownBy(() -> base.withAlignment("inputs", Duration.ofMillis(-1)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("maxDrift must be positive");
        assertThatThrownBy(() -> base.withAlignment("inputs", null))
            .isInstanceOf(NullPointerException.class)
            .hasMessageContaining("maxDrift");
    }
}
