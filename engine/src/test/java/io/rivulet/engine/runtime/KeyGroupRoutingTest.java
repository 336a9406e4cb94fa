package io.rivulet.engine.runtime;

import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import io.rivulet.engine.internal.LongKeyFunction;
import io.rivulet.operators.state.KeyGroupRange;
import io.rivulet.operators.state.KeyGroups;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class KeyGroupRoutingTest {
    private enum Side { BUY, SELL }

    @Test
    void shouldRouteEveryKeyToThePartitionOwningItsKeyGroup() {
        for (int maxParallelism : new int[] {1, 2, 7, 64, 128, 1000, 1024, KeyGroups.UPPER_BOUND_MAX_PARALLELISM}) {
            for (int partitions = 1; partitions <= Math.min(maxParallelism, 9); partitions++) {
                int[] table = KeyGroups.partitionTable(maxParallelism, partitions);
                for (int i = -500; i < 500; i++) {
                    for (Object key : new Object[] {i, "k" + i, (long) i * 1_000_003L}) {
                        int group = KeyGroups.keyGroupOf(key, maxParallelism);
                        int partition = ExchangeLink.partitionOf(key, table, partitions);
                        assertThat(partition).isEqualTo(KeyGroups.partitionOf(group, maxParallelism, partitions));
                        KeyGroupRange owned = KeyGroups.rangeOf(partition, maxParallelism, partitions);
                        assertThat(owned.contains(group)).as("%s in %s", key, owned).isTrue();
                    }
                }
            }
        }
    }

    @Test
    void shouldRouteALongKeyToThePartitionOfItsBoxedLong() {
        for (int maxParallelism : new int[] {1, 7, 128, 1000, KeyGroups.UPPER_BOUND_MAX_PARALLELISM}) {
            for (int partitions = 1; partitions <= Math.min(maxParallelism, 5); partitions++) {
                int[] table = KeyGroups.partitionTable(maxParallelism, partitions);
                for (long key : new long[] {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1L << 40, -123_456_789_012L}) {
                    assertThat(ExchangeLink.partitionOfLong(key, table, partitions))
                        .as("key %d, %d key groups, %d partitions", key, maxParallelism, partitions)
                        .isEqualTo(ExchangeLink.partitionOf(key, table, partitions));
                }
            }
        }
    }

    @Test
    void shouldCarryALongKeyUnboxedInTheRingSlot() {
        int partitions = 2;
        @SuppressWarnings("unchecked")
        RingBuffer<Slot>[] rings = new RingBuffer[partitions];
        for (int p = 0; p < partitions; p++) {
            rings[p] = RingBuffer.createSingleProducer(Slot::new, 64, new BusySpinWaitStrategy());
            rings[p].addGatingSequences(new Sequence(-1));
        }
        TaskContext context = new TaskContext(null, "rivulet-test-source-0", new NoOpIdleStrategy());
        int[] table = KeyGroups.partitionTable(128, partitions);
        ExchangeLink<Long, Long> exchange = new ExchangeLink<>(new LongKeyFunction<Long>(v -> v * 3),
            rings, table, context, null, "keyByLong");
        exchange.emit(5L);
        context.flushExchanges();
        Slot slot = rings[ExchangeLink.partitionOf(15L, table, partitions)].get(0);
        assertThat(slot.key).as("no boxed key").isNull();
        assertThat(slot.longKey).isEqualTo(15L);
        assertThat(slot.record).isEqualTo(5L);
    }

    @Test
    void shouldRouteEnumKeysByNameNotIdentityHash() {
        int[] table = KeyGroups.partitionTable(128, 4);
        assertThat(ExchangeLink.partitionOf(Side.SELL, table, 4))
            .isEqualTo(table[KeyGroups.keyGroupOfHash("SELL".hashCode(), 128)]);
    }

    @Test
    void shouldWriteEachRecordIntoTheRingOfItsKeyGroupsPartition() {
        int partitions = 3;
        int maxParallelism = 16;
        @SuppressWarnings("unchecked")
        RingBuffer<Slot>[] rings = new RingBuffer[partitions];
        for (int p = 0; p < partitions; p++) {
            rings[p] = RingBuffer.createSingleProducer(Slot::new, 1024, new BusySpinWaitStrategy());
            rings[p].addGatingSequences(new Sequence(-1));
        }
        TaskContext context = new TaskContext(null, "rivulet-test-source-0", new NoOpIdleStrategy());
        ExchangeLink<Integer, Integer> exchange = new ExchangeLink<>(i -> i, rings,
            KeyGroups.partitionTable(maxParallelism, partitions), context, null, "keyBy");
        for (int i = 0; i < 300; i++) {
            exchange.emit(i);
        }
        context.flushExchanges();
        for (int p = 0; p < partitions; p++) {
            KeyGroupRange owned = KeyGroups.rangeOf(p, maxParallelism, partitions);
            List<Object> keys = new ArrayList<>();
            for (long s = 0; s <= rings[p].getCursor(); s++) {
                keys.add(rings[p].get(s).key);
            }
            assertThat(keys).isNotEmpty().allSatisfy(key ->
                assertThat(owned.contains(KeyGroups.keyGroupOf(key, maxParallelism))).isTrue());
        }
        long total = 0;
        for (RingBuffer<Slot> ring : rings) {
            total += ring.getCursor() + 1;
        }
        assertThat(total).isEqualTo(300);
    }
}
