package io.rivulet.engine.runtime;

import io.rivulet.operators.KeyedOperator;

/**
 * The head of a partition worker's chain: a keyed operator fed with the key the exchange already
 * computed.
 *
 * <p>Not thread-safe; owned by the partition worker.
 */
final class KeyedHead<K, I, O> {
    private final KeyedOperator<K, I, O> operator;
    private final Link<O> next;

    KeyedHead(KeyedOperator<K, I, O> operator, Link<O> next) {
        this.operator = operator;
        this.next = next;
    }

    @SuppressWarnings("unchecked")
    void onRecord(Object key, Object record) {
        operator.process((K) key, (I) record, next);
    }

    void onWatermark(long watermarkMs) {
        operator.onWatermark(watermarkMs, next);
        next.onWatermark(watermarkMs);
    }

    void onEpoch(long epochId) {
        operator.onEpoch(epochId, next);
        next.onEpoch(epochId);
    }

    void onEnd() {
        operator.onEnd(next);
        next.onEnd();
    }
}
