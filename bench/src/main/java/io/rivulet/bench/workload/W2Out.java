package io.rivulet.bench.workload;

/**
 * W2 result: per symbol and 1 s tumbling window, the number of trades and their total quantity. Immutable.
 *
 * @param symbol      symbol id.
 * @param windowEndMs exclusive window end, epoch ms.
 * @param count       number of trades, {@code >= 1}.
 * @param sumQty      sum of quantities.
 */
public record W2Out(int symbol, long windowEndMs, long count, long sumQty)
{
}
