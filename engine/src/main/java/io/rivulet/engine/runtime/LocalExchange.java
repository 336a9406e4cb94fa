package io.rivulet.engine.runtime;

import java.util.function.Function;
import java.util.function.ToLongFunction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A keyed exchange within one thread: records go straight to the partition's keyed operator; no
 * ring. A two-input stage's exchange has inputs of both sides; each input says which side it feeds,
 * and its records reach the head's left or right entry. Used by micro-batch queries (every task runs on the driver thread) and by continuous queries
 * for a fused keyed stage (one partition fed by one task, on that task's thread).
 *
 * <p>Control signals are merged across the upstream tasks as a {@link PartitionWorker} merges its
 * rings: the watermark by the {@link WatermarkMerge} rule (minimum or maximum of the inputs that carry
 * one, an ended input no longer holding it back; there is no idle timeout: a fused stage has one
 * input, and the micro-batch driver delivers every batch watermark to every input); an epoch ends once
 * every input that has not ended has sent its barrier; the partitions end once every input has. A
 * same-thread exchange cannot hold an input back, so inputs must send barriers in lockstep (the
 * micro-batch driver does; a fused stage has one input). Not thread-safe; owned by the thread that
 * runs the upstream tasks.
 */
final class LocalExchange {
    /** Whether an input ended because the query stops: then the stage keeps its state (no flush). */
    private boolean stopped;
    private final KeyedHead<?, ?, ?>[] heads;
    private final TaskContext[] contexts;
    private final int[] partitionByKeyGroup;
    private final WatermarkMerge watermarks;
    private final List<TaskContext> upstreams = new ArrayList<>();
    private boolean[] barrierArrived = new boolean[0];
    private boolean[] ended = new boolean[0];
    private long pendingEpoch;
    private int endedCount;

    /**
     * @param heads one per partition, filled in by the planner before the query runs
     * @param contexts one per partition, likewise
     * @param partitionByKeyGroup the stage's {@code KeyGroups.partitionTable}
     * @param maxWatermarkPolicy combine the inputs' watermarks by maximum instead of minimum
     */
    LocalExchange(KeyedHead<?, ?, ?>[] heads, TaskContext[] contexts, int[] partitionByKeyGroup, boolean maxWatermarkPolicy) {
        this.heads = heads;
        this.contexts = contexts;
        this.partitionByKeyGroup = partitionByKeyGroup;
        this.watermarks = new WatermarkMerge(maxWatermarkPolicy);
    }

    /**
     * @param upstream the producing task
     * @param keyFunction the key of a record
     * @param stage the key function's stage name, for a failed record
     * @param side which input of the stage the task feeds: {@link Slot#LEFT} (or the only one) or
     *     {@link Slot#RIGHT}
     * @param <K> key type
     * @param <T> record type
     * @return the link that ends the producing task's chain
     */
    <K, T> Link<T> input(TaskContext upstream, Function<? super T, ? extends K> keyFunction, String stage, int side) {
        Function<? super T, ? extends K> keys = ExchangeLink.guarded(keyFunction, upstream, stage);
        ToLongFunction<? super T> longKeys = ExchangeLink.longKeys(keyFunction);
        int input = watermarks.addInput(false);
        upstreams.add(upstream);
        barrierArrived = Arrays.copyOf(barrierArrived, input + 1);
        ended = Arrays.copyOf(ended, input + 1);
        return new Link<>() {
            @Override
            public void emit(T record) {
                if (longKeys != null) {
                    emitLong(record);
                    return;
                }
                K key = keys.apply(record);
                if (key == null) {
                    // A guarded key function (error policy skip or dead-letter) returns null for a record it handled.
                    ExchangeLink.onNullKey(upstream, record);
                    return;
                }
                int partition = ExchangeLink.partitionOf(key, partitionByKeyGroup, heads.length);
                contexts[partition].ingestNs = upstream.ingestNs;
                contexts[partition].recordsIn.lazySet(contexts[partition].recordsIn.get() + 1);
                if (side == Slot.LEFT) {
                    heads[partition].onRecord(key, record);
                } else {
                    heads[partition].onRightRecord(key, record);
                }
            }

            /** A record of a {@code long}-keyed stage: the key stays unboxed. */
            private void emitLong(T record) {
                long key;
                if (upstream.failures == null) {
                    key = longKeys.applyAsLong(record);
                } else {
                    try {
                        key = longKeys.applyAsLong(record);
                    } catch (RuntimeException e) {
                        upstream.onRecordFailure(stage, record, e);
                        return;
                    }
                }
                int partition = ExchangeLink.partitionOfLong(key, partitionByKeyGroup, heads.length);
                contexts[partition].ingestNs = upstream.ingestNs;
                contexts[partition].recordsIn.lazySet(contexts[partition].recordsIn.get() + 1);
                if (side == Slot.LEFT) {
                    heads[partition].onLongRecord(key, record);
                } else {
                    heads[partition].onLongRightRecord(key, record);
                }
            }

            @Override
            void onWatermark(long wm) {
                if (watermarks.onWatermark(input, wm)) {
                    emitWatermark();
                }
            }

            @Override
            void onEpoch(long epochId) {
                barrierArrived[input] = true;
                pendingEpoch = epochId;
                completeEpochIfAligned();
            }

            @Override
            void onEnd(boolean flush) {
                stopped |= !flush;
                ended[input] = true;
                endedCount++;
                if (watermarks.onEnded(input)) {
                    emitWatermark();
                }
                completeEpochIfAligned();
                if (endedCount == ended.length) {
                    for (KeyedHead<?, ?, ?> head : heads) {
                        head.onEnd(!stopped);
                    }
                }
            }
        };
    }

    /**
     * Fixes which inputs' watermarks count from the start: those whose task carries watermarks. Called
     * by the planner once every input is planned (a task learns it carries watermarks as its chain is
     * built).
     */
    void inputsPlanned() {
        for (int i = 0; i < upstreams.size(); i++) {
            watermarks.participates(i, upstreams.get(i).producesWatermarks);
        }
    }

    private void emitWatermark() {
        long combined = watermarks.watermarkMs();
        for (int p = 0; p < heads.length; p++) {
            contexts[p].watermarkMs = combined;
            heads[p].onWatermark(combined);
        }
    }

    private void completeEpochIfAligned() {
        boolean any = false;
        for (int i = 0; i < barrierArrived.length; i++) {
            if (!barrierArrived[i] && !ended[i]) {
                return;
            }
            any |= barrierArrived[i];
        }
        if (!any) {
            return;
        }
        Arrays.fill(barrierArrived, false);
        for (KeyedHead<?, ?, ?> head : heads) {
            head.onEpoch(pendingEpoch);
        }
    }
}
