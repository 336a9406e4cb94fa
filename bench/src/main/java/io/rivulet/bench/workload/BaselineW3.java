package io.rivulet.bench.workload;

import static io.rivulet.bench.workload.WorkloadSpec.SLIDING_SIZE_MS;
import static io.rivulet.bench.workload.WorkloadSpec.SYMBOLS;
import static io.rivulet.bench.workload.WorkloadSpec.WINDOW_MS;

/**
 * Single-threaded reference W3: per symbol, VWAP {@code sum(price * qty) / sum(qty)} over 10 s event-time
 * windows sliding by 1 s ({@code [e - 10_000, e)} for every multiple {@code e} of 1000), emitted as checksum
 * terms into a {@link ChecksumAccumulator}.
 *
 * <p>Trades are added to 1 s panes (per symbol: {@code sum(price * qty)} as {@code double} and {@code sum(qty)});
 * a window is the sum of its 10 panes, computed when it fires, i.e. when the max event time seen reaches
 * {@code e + 500}. A pane is cleared once the last window covering it has fired; {@link #finish()} flushes the
 * rest. Per-event work is O(1) and allocation free. Not thread-safe.
 */
public final class BaselineW3
{
    private static final int PANES_PER_WINDOW = (int)(SLIDING_SIZE_MS / WINDOW_MS);
    private static final int RING = 16;
    private static final int MASK = RING - 1;

    /** Symbol-major: index {@code symbol * RING + (pane & MASK)}, so a window reads adjacent slots. */
    private final double[] sumPq = new double[SYMBOLS * RING];
    private final long[] sumQty = new long[SYMBOLS * RING];
    private final ChecksumAccumulator out;
    private long maxTsMs = Long.MIN_VALUE;
    /** Index {@code w} (window end / 1000) of the next window to fire; it covers panes {@code w-10 .. w-1}. */
    private long nextWindow;
    private long highPane;
    private boolean empty = true;

    /**
     * @param out receives one checksum term per emitted {@link W3Out}.
     */
    public BaselineW3(final ChecksumAccumulator out)
    {
        this.out = out;
    }

    /**
     * Processes one trade, first firing every window the trade's event time makes due.
     *
     * @param tsMs   event time, epoch ms.
     * @param symbol symbol id.
     * @param price  price.
     * @param qty    quantity, {@code >= 1}.
     * @throws IllegalStateException if the trade is late (its first window already fired) or too far ahead of
     *                               the oldest open window.
     */
    public void onTrade(final long tsMs, final int symbol, final double price, final long qty)
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
        final int idx = symbol * RING + (int)(pane & MASK);
        sumPq[idx] += price * qty;
        sumQty[idx] += qty;
    }

    /** Flushes every remaining window (end of input). */
    public void finish()
    {
        while (!empty)
        {
            fireNext();
        }
    }

    private void openPane(final long pane)
    {
        if (empty)
        {
            empty = false;
            nextWindow = pane + 1;
            highPane = pane;
            return;
        }
        nextWindow = Math.min(nextWindow, pane + 1);
        highPane = Math.max(highPane, pane);
        if (highPane - (nextWindow - PANES_PER_WINDOW) >= RING)
        {
            throw new IllegalStateException("event time span exceeds " + RING + " retained panes");
        }
    }

    private void fireDue()
    {
        while (!empty && WorkloadSpec.isWindowDue(nextWindow * WINDOW_MS, maxTsMs))
        {
            fireNext();
        }
    }

    private void fireNext()
    {
        final long w = nextWindow;
        emitWindow(w);
        clearPane(w - PANES_PER_WINDOW);
        nextWindow = w + 1;
        empty = nextWindow > highPane + PANES_PER_WINDOW;
    }

    private void emitWindow(final long w)
    {
        final long windowEndMs = w * WINDOW_MS;
        final int firstSlot = (int)((w - PANES_PER_WINDOW) & MASK);
        final double[] sumPq = this.sumPq;
        final long[] sumQty = this.sumQty;
        for (int symbol = 0; symbol < SYMBOLS; symbol++)
        {
            final int base = symbol * RING;
            double pq = 0.0;
            long q = 0;
            for (int i = 0; i < PANES_PER_WINDOW; i++)
            {
                final int idx = base + ((firstSlot + i) & MASK);
                pq += sumPq[idx];
                q += sumQty[idx];
            }
            if (q != 0)
            {
                out.add(Checksum.w3(symbol, windowEndMs, pq / q));
            }
        }
    }

    private void clearPane(final long pane)
    {
        final int slot = (int)(pane & MASK);
        for (int symbol = 0; symbol < SYMBOLS; symbol++)
        {
            sumPq[symbol * RING + slot] = 0.0;
            sumQty[symbol * RING + slot] = 0;
        }
    }
}
