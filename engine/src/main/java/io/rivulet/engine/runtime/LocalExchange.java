package io.rivulet.engine.runtime;

import java.util.function.Function;

/**
 * A keyed exchange within one thread: records go straight to the partition's keyed operator; no
 * ring. Used by micro-batch queries (every task runs on the driver thread) and by continuous queries
 * for a fused keyed stage (one partition fed by one task, on that task's thread). A control signal
 * reaches the partitions once every upstream task has sent it, as barrier alignment would. Not
 * thread-safe; owned by the thread that runs the upstream tasks.
 */
final class LocalExchange {
    private final KeyedHead<?, ?, ?>[] heads;
    private final TaskContext[] contexts;
    private final int[] partitionByKeyGroup;
    private int inputs;
    private int watermarksArrived;
    private long watermarkMs = Long.MIN_VALUE;
    private int epochsArrived;
    private int endsArrived;

    /**
     * @param heads one per partition, filled in by the planner before the query runs
     * @param contexts one per partition, likewise
     * @param partitionByKeyGroup the stage's {@code KeyGroups.partitionTable}
     */
    LocalExchange(KeyedHead<?, ?, ?>[] heads, TaskContext[] contexts, int[] partitionByKeyGroup) {
        this.heads = heads;
        this.contexts = contexts;
        this.partitionByKeyGroup = partitionByKeyGroup;
    }

    /**
     * @param upstream the producing task
     * @param keyFunction the key of a record
     * @param <K> key type
     * @param <T> record type
     * @return the link that ends the producing task's chain
     */
    <K, T> Link<T> input(TaskContext upstream, Function<? super T, ? extends K> keyFunction) {
        inputs++;
        return new Link<>() {
            @Override
            public void emit(T record) {
                K key = keyFunction.apply(record);
                if (key == null) {
                    throw new NullPointerException("keyBy function returned null for record " + record);
                }
                int partition = ExchangeLink.partitionOf(key, partitionByKeyGroup, heads.length);
                contexts[partition].ingestNs = upstream.ingestNs;
                contexts[partition].recordsIn.lazySet(contexts[partition].recordsIn.get() + 1);
                heads[partition].onRecord(key, record);
            }

            @Override
            void onWatermark(long wm) {
                watermarkMs = watermarksArrived == 0 ? wm : Math.min(watermarkMs, wm);
                if (++watermarksArrived == inputs) {
                    watermarksArrived = 0;
                    for (int p = 0; p < heads.length; p++) {
                        contexts[p].watermarkMs = watermarkMs;
                        heads[p].onWatermark(watermarkMs);
                    }
                }
            }

            @Override
            void onEpoch(long epochId) {
                if (++epochsArrived == inputs) {
                    epochsArrived = 0;
                    for (KeyedHead<?, ?, ?> head : heads) {
                        head.onEpoch(epochId);
                    }
                }
            }

            @Override
            void onEnd() {
                if (++endsArrived == inputs) {
                    for (KeyedHead<?, ?, ?> head : heads) {
                        head.onEnd();
                    }
                }
            }
        };
    }
}
