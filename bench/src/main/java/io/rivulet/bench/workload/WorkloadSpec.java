package io.rivulet.bench.workload;

/**
 * Constants of the trading workload spec (section 1 and 2 of {@code WORKLOADS.md}).
 *
 * <p>Immutable, thread-safe.
 */
public final class WorkloadSpec
{
    /** Event-time origin in epoch ms: trade 0 has nominal event time {@code T0_MS}; a multiple of 1000. */
    public static final long T0_MS = 1_700_000_000_000L;

    /** Number of distinct symbols; symbols are {@code 0 .. SYMBOLS - 1}. */
    public static final int SYMBOLS = 1000;

    /** Watermark lag in ms: watermark = max event time seen - {@code WATERMARK_LAG_MS}. */
    public static final long WATERMARK_LAG_MS = 500L;

    /** Nominal event-time rate in events/s used by throughput mode. */
    public static final long THROUGHPUT_RATE = 1_000_000L;

    /** Tumbling window size (W2, W4) and sliding window slide (W3) in ms. */
    public static final long WINDOW_MS = 1000L;

    /** Sliding window size (W3) in ms. */
    public static final long SLIDING_SIZE_MS = 10_000L;

    /** W5 join bound: a trade joins an order iff {@code order.ts <= trade.ts <= order.ts + JOIN_UPPER_MS}. */
    public static final long JOIN_UPPER_MS = 5000L;

    /** One order is generated per {@code TRADES_PER_ORDER} trades in W5. */
    public static final int TRADES_PER_ORDER = 10;

    /** Marker for "no order id" in trades generated without order ids. */
    public static final long NO_ORDER_ID = -1L;

    private WorkloadSpec()
    {
    }

    /**
     * Whether a window ending at {@code windowEndMs} fires once the maximum event time seen is {@code maxTsMs}.
     *
     * @param windowEndMs exclusive window end, epoch ms.
     * @param maxTsMs     maximum event time seen so far on the stream, epoch ms ({@link Long#MIN_VALUE} if none).
     * @return true iff {@code maxTsMs >= windowEndMs + WATERMARK_LAG_MS}.
     */
    public static boolean isWindowDue(final long windowEndMs, final long maxTsMs)
    {
        return windowEndMs + WATERMARK_LAG_MS <= maxTsMs;
    }
}
