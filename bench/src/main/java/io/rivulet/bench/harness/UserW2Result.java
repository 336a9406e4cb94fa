package io.rivulet.bench.harness;

/**
 * W2's result as a user writes it: a new immutable record per window and symbol ({@link W2UScenario}). Immutable,
 * thread-safe.
 *
 * @param symbol      symbol id.
 * @param windowEndMs the window's end, epoch ms (exclusive).
 * @param count       trades of the symbol in the window.
 * @param sumQty      their summed quantity.
 */
public record UserW2Result(int symbol, long windowEndMs, long count, long sumQty)
{
}
