package io.rivulet.bench.workload;

/**
 * W5 result: a trade joined to its order ({@code order.ts <= trade.ts <= order.ts + 5000}). Immutable.
 *
 * @param tradeSeq sequence number of the trade.
 * @param orderId  id of the order.
 */
public record W5Out(long tradeSeq, long orderId)
{
}
