package io.rivulet.bench.workload;

import static io.rivulet.bench.workload.WorkloadSpec.SYMBOLS;
import static io.rivulet.bench.workload.WorkloadSpec.WINDOW_MS;

/**
 * Single-threaded reference W2: per symbol and 1 s tumbling event-time window, {@code count} and
 * {@code sum(qty)}, emitted as checksum terms into a {@link ChecksumAccumulator}.
 *
 * <p>State is a small ring of panes (one per open window) of primitive per-symbol arrays. A window
 * {@code [start, end)} fires when the max event time seen reaches {@code end + 500}; {@link #finish()} flushes
 * the rest. Per-event work is O(1) and allocation free. Not thread-safe.
 */
public final class BaselineW2
{
    private static final int RING = 8;
    private static final int MASK = RING - 1;

    private final int[] count = new int[RING * SYMBOLS];
    private final long[] sumQty = new long[RING * SYMBOLS];
    private final ChecksumAccumulator out;
    private long maxTsMs = Long.MIN_VALUE;
    private long lowPane = 0;
    private long highPane = -1;

    /**
     * @param out receives one checksum term per emitted {@link W2Out}.
     */
    public BaselineW2(final ChecksumAccumulator out)
    {
        this.out = out;
    }

    /**
     * Processes one trade, first firing every window the trade's event time makes due.
     *
     * @param tsMs   event time, epoch ms.
     * @param symbol symbol id.
     * @param qty    quantity.
     * @throws IllegalStateException if the trade is late (its window already fired) or too far ahead of the
     *                               oldest open window.
     */
    public void onTrade(final long tsMs, final int symbol, final long qty)
    {
        final long pane = Math.floorDiv(tsMs, WINDOW_MS);
        if (WorkloadSpec.isWindowDue((pane + 1) * WINDOW_MS, maxTsMs))
        {
            throw new IllegalStateException("late event: tsMs=" + tsMs + " maxTsMs=" + maxTsMs);
        }
        if (tsMs > maxTsMs)
        {
            maxTsMs = tsMs;
            fireDue();
        }
        openPane(pane);
        final int idx = (int)(pane & MASK) * SYMBOLS + symbol;
        count[idx]++;
        sumQty[idx] += qty;
    }

    /** Flushes every remaining window (end of input). */
    public void finish()
    {
        while (lowPane <= highPane)
        {
            emitPane(lowPane++);
        }
    }

    /** @return max event time seen, epoch ms, or {@link Long#MIN_VALUE} if none. */
    public long maxTsMs()
    {
        return maxTsMs;
    }

    private void openPane(final long pane)
    {
        if (lowPane > highPane)
        {
            lowPane = pane;
            highPane = pane;
            return;
        }
        lowPane = Math.min(lowPane, pane);
        highPane = Math.max(highPane, pane);
        if (highPane - lowPane >= RING)
        {
            throw new IllegalStateException("event time span exceeds " + RING + " open windows");
        }
    }

    private void fireDue()
    {
        while (lowPane <= highPane && WorkloadSpec.isWindowDue((lowPane + 1) * WINDOW_MS, maxTsMs))
        {
            emitPane(lowPane++);
        }
    }

    private void emitPane(final long pane)
    {
        final long windowEndMs = (pane + 1) * WINDOW_MS;
        final int base = (int)(pane & MASK) * SYMBOLS;
        final int[] count = this.count;
        final long[] sumQty = this.sumQty;
        for (int symbol = 0; symbol < SYMBOLS; symbol++)
        {
            final int idx = base + symbol;
            final int c = count[idx];
            if (c != 0)
            {
                out.add(Checksum.w2(symbol, windowEndMs, c, sumQty[idx]));
                count[idx] = 0;
                sumQty[idx] = 0;
            }
        }
    }
}
