package io.rivulet.bench.harness;

/**
 * A trade as a user writes it: an immutable Java record, a new instance per event (the user-shaped scenarios,
 * {@link UserShapedScenario}). The fields are those of WORKLOADS.md section 1 without W5's order id. Immutable,
 * thread-safe.
 *
 * @param seq    sequence number of the trade in its stream, starting at 0.
 * @param tsMs   event time, epoch ms.
 * @param symbol symbol id, {@code 0 .. SYMBOLS - 1}.
 * @param price  trade price.
 * @param qty    traded quantity, {@code 1 .. 1000}.
 */
public record UserTrade(long seq, long tsMs, int symbol, double price, long qty)
{
}
