package io.rivulet.bench.workload;

import static io.rivulet.bench.workload.WorkloadSpec.SYMBOLS;
import static io.rivulet.bench.workload.WorkloadSpec.WINDOW_MS;

/**
 * Single-threaded reference W4: for every 1 s tumbling event-time window, the {@link W4Out#TOP_N} symbols
 * with the largest {@code sum(qty)} (ties: smaller symbol first), emitted as checksum terms into a
 * {@link ChecksumAccumulator}.
 *
 * <p>State is a small ring of panes of per-symbol quantity sums; a window {@code [start, end)} fires when the
 * max event time seen reaches {@code end + 500}, {@link #finish()} flushes the rest. Per-event work is O(1)
 * and allocation free; each fired window costs one scan of the symbols. Not thread-safe.
 */
public final class BaselineW4
{
    private static final int RING = 8;
    private static final int MASK = RING - 1;
    private static final int TOP_N = W4Out.TOP_N;

    private final long[] sumQty = new long[RING * SYMBOLS];
    private final int[] topSymbols = new int[TOP_N];
    private final long[] topQty = new long[TOP_N];
    private final ChecksumAccumulator out;
    private long maxTsMs = Long.MIN_VALUE;
    private long lowPane = 0;
    private long highPane = -1;

    /**
     * @param out receives one checksum term per emitted {@link W4Out} (the sum of its rank terms).
     */
    public BaselineW4(final ChecksumAccumulator out)
    {
        this.out = out;
    }

    /**
     * Processes one trade, first firing every window the trade's event time makes due.
     *
     * @param tsMs   event time, epoch ms.
     * @param symbol symbol id.
     * @param qty    quantity, {@code >= 1}.
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
        sumQty[(int)(pane & MASK) * SYMBOLS + symbol] += qty;
    }

    /** Flushes every remaining window (end of input). */
    public void finish()
    {
        while (lowPane <= highPane)
        {
            emitPane(lowPane++);
        }
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
        final int base = (int)(pane & MASK) * SYMBOLS;
        final int n = selectTop(base);
        if (n == 0)
        {
            return;
        }
        final long windowEndMs = (pane + 1) * WINDOW_MS;
        long h = 0;
        for (int rank = 0; rank < n; rank++)
        {
            h += Checksum.w4Rank(windowEndMs, rank, topSymbols[rank], topQty[rank]);
        }
        out.add(h);
    }

    /** Fills topSymbols/topQty from the pane at {@code base}, clears the pane, returns the number ranked. */
    private int selectTop(final int base)
    {
        final long[] sumQty = this.sumQty;
        int n = 0;
        for (int symbol = 0; symbol < SYMBOLS; symbol++)
        {
            final long q = sumQty[base + symbol];
            if (q != 0)
            {
                sumQty[base + symbol] = 0;
                if (n < TOP_N || q > topQty[TOP_N - 1])
                {
                    n = insert(n, symbol, q);
                }
            }
        }
        return n;
    }

    /**
     * Inserts after every entry with qty >= q (those have smaller symbols, so they win ties); when the table is
     * full the last entry, which q beats, drops out.
     */
    private int insert(final int n, final int symbol, final long q)
    {
        int pos = n < TOP_N ? n : TOP_N - 1;
        while (pos > 0 && topQty[pos - 1] < q)
        {
            topQty[pos] = topQty[pos - 1];
            topSymbols[pos] = topSymbols[pos - 1];
            pos--;
        }
        topQty[pos] = q;
        topSymbols[pos] = symbol;
        return Math.min(n + 1, TOP_N);
    }
}
