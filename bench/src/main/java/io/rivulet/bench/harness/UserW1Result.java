package io.rivulet.bench.harness;

/**
 * W1's result as a user writes it: a new immutable record per result ({@link W1UScenario}). Immutable, thread-safe.
 *
 * @param seq      sequence number of the source trade (the result's latency is measured from its due time).
 * @param symbol   symbol id.
 * @param notional {@code price * qty}.
 */
public record UserW1Result(long seq, int symbol, double notional)
{
}
