package io.rivulet.bench.harness;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HarnessOptionsTest
{
    @Test
    void shouldFuseByDefaultAndTakeFuseFalse()
    {
        assertThat(HarnessOptions.throughput(new String[] {"W2", "1M"}).fuse()).isTrue();
        assertThat(HarnessOptions.throughput(new String[] {"W2", "1M", "--fuse", "false"}).fuse()).isFalse();
    }

    @Test
    void shouldRejectAFuseValueThatIsNotABoolean()
    {
        assertThatThrownBy(() -> HarnessOptions.throughput(new String[] {"W2", "1M", "--fuse", "maybe"}))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("--fuse takes true or false, got 'maybe'");
    }

    @Test
    void shouldRoundW5TradesUpToAMultipleOfTenOnly()
    {
        assertThat(HarnessOptions.throughput(new String[] {"W5", "1001"}).trades()).isEqualTo(1010L);
        assertThat(HarnessOptions.throughput(new String[] {"w5", "2M"}).trades()).isEqualTo(2_000_000L);
        assertThat(HarnessOptions.throughput(new String[] {"W2", "1001"}).trades()).isEqualTo(1001L);
    }

    @Test
    void shouldNameTheKnownWorkloadsWhenOneIsUnknown()
    {
        assertThatThrownBy(() -> HarnessOptions.throughput(new String[] {"W6", "1M"}))
            .hasMessageContaining("unknown workload 'W6'")
            .hasMessageContaining("W5");
    }
}
