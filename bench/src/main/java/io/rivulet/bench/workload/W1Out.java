package io.rivulet.bench.workload;

/**
 * W1 result: a trade with {@code qty > 100} mapped to its notional. Immutable.
 *
 * @param seq      sequence number of the source trade (for latency).
 * @param symbol   symbol id.
 * @param notional {@code price * qty}.
 */
public record W1Out(long seq, int symbol, double notional)
{
}
