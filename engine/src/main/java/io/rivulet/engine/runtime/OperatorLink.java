package io.rivulet.engine.runtime;

import io.rivulet.operators.Operator;

/**
 * Runs one {@link Operator} inside a fused chain.
 *
 * <p>Not thread-safe; owned by the task running the chain.
 */
final class OperatorLink<I, O> extends Link<I> {
    private final Operator<I, O> operator;
    private final Link<O> next;

    OperatorLink(Operator<I, O> operator, Link<O> next) {
        this.operator = operator;
        this.next = next;
    }

    @Override
    public void emit(I record) {
        operator.process(record, next);
    }

    @Override
    void onWatermark(long watermarkMs) {
        operator.onWatermark(watermarkMs, next);
        next.onWatermark(watermarkMs);
    }

    @Override
    void onEpoch(long epochId) {
        operator.onEpoch(epochId, next);
        next.onEpoch(epochId);
    }

    @Override
    void onEnd(boolean flush) {
        if (flush) {
            operator.onEnd(next);
        }
        next.onEnd(flush);
    }
}
