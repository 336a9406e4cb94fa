package io.rivulet.bench.workload;

/**
 * W3 result: per symbol, the VWAP {@code sum(price * qty) / sum(qty)} over a 10 s window sliding by 1 s.
 * Immutable.
 *
 * @param symbol      symbol id.
 * @param windowEndMs exclusive window end, epoch ms.
 * @param vwap        volume-weighted average price.
 */
public record W3Out(int symbol, long windowEndMs, double vwap)
{
}
