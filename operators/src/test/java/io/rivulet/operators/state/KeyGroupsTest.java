package io.rivulet.operators.state;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyGroupsTest {
    private enum Side { BUY, SELL }

    @Test
    void shouldGiveEveryKeyGroupToExactlyThePartitionWhoseRangeHoldsIt() {
        for (int max : new int[] {1, 7, 128, 1000}) {
            for (int parallelism = 1; parallelism <= Math.min(max, 17); parallelism++) {
                int next = 0;
                for (int p = 0; p < parallelism; p++) {
                    KeyGroupRange range = KeyGroups.rangeOf(p, max, parallelism);
                    assertThat(range.start()).as("ranges are contiguous").isEqualTo(next);
                    for (int g = range.start(); g < range.end(); g++) {
                        assertThat(KeyGroups.partitionOf(g, max, parallelism)).isEqualTo(p);
                    }
                    next = range.end();
                }
                assertThat(next).as("ranges cover every key group").isEqualTo(max);
            }
        }
    }

    @Test
    void shouldHashLongKeysLikeTheirBoxes() {
        for (long key = -1000; key < 1000; key += 7) {
            assertThat(KeyGroups.keyGroupOf(key, 128)).isEqualTo(KeyGroups.keyGroupOf(Long.valueOf(key), 128));
        }
        assertThat(KeyGroups.keyGroupOf(Long.MIN_VALUE, 128)).isEqualTo(KeyGroups.keyGroupOf((Object) Long.MIN_VALUE, 128));
    }

    @Test
    void shouldHashEnumsByNameSoTheirGroupIsTheSameInEveryRun() {
        assertThat(KeyGroups.stableHash(Side.BUY)).isEqualTo("BUY".hashCode());
        assertThat(KeyGroups.stableHash(TimeUnit.SECONDS)).isEqualTo("SECONDS".hashCode());
    }

    @Test
    void shouldSpreadSequentialKeysOverKeyGroups() {
        int[] counts = new int[128];
        for (int i = 0; i < 128_000; i++) {
            counts[KeyGroups.keyGroupOf("key-" + i, 128)]++;
        }
        for (int c : counts) {
            assertThat(c).isBetween(800, 1200);
        }
    }

    @Test
    void shouldRejectMorePartitionsThanKeyGroupsNamingTheRule() {
        assertThatThrownBy(() -> KeyGroups.rangeOf(0, 4, 5))
            .hasMessageContaining("partitions (5) must be in 1..maxParallelism (4)");
        assertThatThrownBy(() -> KeyGroups.checkMaxParallelism(0)).hasMessageContaining("maxParallelism must be in 1..32768");
    }

    @Test
    void shouldRefuseARestoredKeyWhoseHashChanged() {
        Object identity = new Object();
        int group = KeyGroups.keyGroupOf(identity, 128);
        int other = (group + 1) % 128;
        assertThatThrownBy(() -> KeyGroups.checkRestoredKey(identity, other, 128))
            .hasMessageContaining("not stable across JVM runs");
        KeyGroups.checkRestoredKey("AAPL", KeyGroups.keyGroupOf("AAPL", 128), 128);
    }

    @Test
    void shouldReadBackWhatWasWrittenAndFailLoudlyOnTruncation() {
        SnapshotOutput out = new SnapshotOutput(16);
        out.writeLong(-5).writeInt(7).writeDouble(2.5).writeBoolean(true).writeVarInt(300).writeString("žluť")
            .writeBytes(new byte[] {1, 2, 3}).writeByte(-1);
        SnapshotInput in = out.asInput();
        assertThat(in.readLong()).isEqualTo(-5);
        assertThat(in.readInt()).isEqualTo(7);
        assertThat(in.readDouble()).isEqualTo(2.5);
        assertThat(in.readBoolean()).isTrue();
        assertThat(in.readVarInt()).isEqualTo(300);
        assertThat(in.readString()).isEqualTo("žluť");
        assertThat(in.readBytes()).containsExactly(1, 2, 3);
        assertThat(in.readByte()).isEqualTo((byte) -1);
        assertThat(in.hasRemaining()).isFalse();

        byte[] truncated = Arrays.copyOf(out.toByteArray(), 6);
        assertThatThrownBy(() -> new SnapshotInput(truncated).readLong()).isInstanceOf(StateFormatException.class)
            .hasMessageContaining("snapshot ends early");
    }

    @Test
    void shouldRouteAKeyOutsideTheRangeToAnErrorNamingThePartition() {
        KeyGroupBuffers buffers = new KeyGroupBuffers(128, KeyGroups.rangeOf(0, 128, 2));
        String outside = null;
        for (int i = 0; outside == null; i++) {
            if (KeyGroups.keyGroupOf("k" + i, 128) >= 64) {
                outside = "k" + i;
            }
        }
        String key = outside;
        assertThatThrownBy(() -> buffers.forKey(key)).hasMessageContaining("outside this partition's range [0, 64)");
    }
}
