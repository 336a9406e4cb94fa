package io.rivulet.bench.workload;

import static io.rivulet.bench.workload.WorkloadSpec.JOIN_UPPER_MS;
import static io.rivulet.bench.workload.WorkloadSpec.WATERMARK_LAG_MS;

import java.util.Arrays;

/**
 * Single-threaded reference W5: interval join of trades to orders on {@code orderId}, emitting
 * {@code (trade, order)} iff {@code order.ts <= trade.ts <= order.ts + 5000} (inclusive), as checksum terms into
 * a {@link ChecksumAccumulator}.
 *
 * <p>Requires order ids to arrive strictly increasing (the order stream is generated with {@code orderId = j}),
 * so each order id is seen at most once and an order id above the highest seen has not arrived yet.
 *
 * <p>State, all primitive:
 * <ul>
 *     <li>Orders live in a ring indexed by {@code orderId & mask}. An order may be evicted once the trade
 *     watermark (max trade time - 500 ms) reaches {@code order.ts + 5000}: no trade is late, so every future
 *     trade has {@code ts > watermark} and cannot match. A slot is only reused when its occupant is evictable;
 *     otherwise the ring doubles, so results are exact whatever the relative progress of the two streams.</li>
 *     <li>A trade whose order has not arrived yet waits in a min-heap on {@code orderId}; when order {@code j}
 *     arrives, waiting trades for {@code j} are joined and those for smaller ids (whose orders can no longer
 *     come) are dropped. With the spec's schedule (order {@code j} just before trade {@code 10 j}) this never
 *     happens, but an engine with two independent sources needs it.</li>
 * </ul>
 * Per-event work is O(1) amortised (O(log n) for waiting trades). Not thread-safe.
 */
public final class BaselineW5
{
    private static final long EMPTY = -1L;
    private static final int INITIAL_CAPACITY = 1 << 16;

    private final ChecksumAccumulator out;
    private final PendingTrades pending = new PendingTrades();
    private long[] orderIds;
    private long[] orderTsMs;
    private int mask;
    private long maxOrderId = -1;
    private long maxTradeTsMs = Long.MIN_VALUE;

    /**
     * @param out receives one checksum term per emitted {@link W5Out}.
     */
    public BaselineW5(final ChecksumAccumulator out)
    {
        this.out = out;
        allocate(INITIAL_CAPACITY);
    }

    /**
     * Processes one order: joins it with any trades waiting for it and stores it for later trades.
     *
     * @param orderId order id, {@code >= 0} and greater than every order id seen before.
     * @param tsMs    order event time, epoch ms.
     * @throws IllegalArgumentException if order ids do not strictly increase.
     */
    public void onOrder(final long orderId, final long tsMs)
    {
        if (orderId <= maxOrderId)
        {
            throw new IllegalArgumentException("order ids must strictly increase: " + orderId + " after " + maxOrderId);
        }
        maxOrderId = orderId;
        store(orderId, tsMs);
        if (!pending.isEmpty())
        {
            joinPending(orderId, tsMs);
        }
    }

    /**
     * Processes one trade: joins it with its order if that order has arrived, else keeps it until it does.
     *
     * @param seq     trade sequence number.
     * @param tsMs    trade event time, epoch ms.
     * @param orderId id of the referenced order (negative: none, never joins).
     */
    public void onTrade(final long seq, final long tsMs, final long orderId)
    {
        if (orderId > maxOrderId)
        {
            pending.add(orderId, seq, tsMs);
        }
        else if (orderId >= 0)
        {
            final int slot = (int)(orderId & mask);
            if (orderIds[slot] == orderId && matches(orderTsMs[slot], tsMs))
            {
                out.add(Checksum.w5(seq, orderId));
            }
        }
        if (tsMs > maxTradeTsMs)
        {
            maxTradeTsMs = tsMs;
        }
    }

    /** End of input: trades still waiting for an order that never came are dropped. */
    public void finish()
    {
        pending.clear();
    }

    /** @return current capacity of the order ring (a power of two). */
    public int orderCapacity()
    {
        return orderIds.length;
    }

    /** @return number of trades waiting for their order. */
    public int pendingTrades()
    {
        return pending.size();
    }

    private static boolean matches(final long orderTsMs, final long tradeTsMs)
    {
        return orderTsMs <= tradeTsMs && tradeTsMs <= orderTsMs + JOIN_UPPER_MS;
    }

    private boolean evictable(final long orderTsMs)
    {
        return orderTsMs + JOIN_UPPER_MS + WATERMARK_LAG_MS <= maxTradeTsMs;
    }

    private void joinPending(final long orderId, final long orderTs)
    {
        final PendingTrades pending = this.pending;
        while (!pending.isEmpty() && pending.minOrderId() <= orderId)
        {
            if (pending.minOrderId() == orderId && matches(orderTs, pending.minTsMs()))
            {
                out.add(Checksum.w5(pending.minSeq(), orderId));
            }
            pending.removeMin();
        }
    }

    private void store(final long orderId, final long tsMs)
    {
        int slot = (int)(orderId & mask);
        while (orderIds[slot] != EMPTY && !evictable(orderTsMs[slot]))
        {
            grow();
            slot = (int)(orderId & mask);
        }
        orderIds[slot] = orderId;
        orderTsMs[slot] = tsMs;
    }

    private void grow()
    {
        final long[] oldIds = orderIds;
        final long[] oldTs = orderTsMs;
        int capacity = oldIds.length << 1;
        while (!rehash(oldIds, oldTs, capacity))
        {
            capacity <<= 1;
        }
    }

    /** Re-inserts the live orders into rings of {@code capacity}; false if two live ids collide there. */
    private boolean rehash(final long[] oldIds, final long[] oldTs, final int capacity)
    {
        if (capacity <= 0)
        {
            throw new IllegalStateException("order ring cannot grow beyond " + oldIds.length);
        }
        allocate(capacity);
        for (int i = 0; i < oldIds.length; i++)
        {
            final long id = oldIds[i];
            if (id != EMPTY && !evictable(oldTs[i]))
            {
                final int slot = (int)(id & mask);
                if (orderIds[slot] != EMPTY)
                {
                    return false;
                }
                orderIds[slot] = id;
                orderTsMs[slot] = oldTs[i];
            }
        }
        return true;
    }

    private void allocate(final int capacity)
    {
        orderIds = new long[capacity];
        orderTsMs = new long[capacity];
        Arrays.fill(orderIds, EMPTY);
        mask = capacity - 1;
    }

    /** Binary min-heap of waiting trades keyed by order id, in parallel primitive arrays. */
    private static final class PendingTrades
    {
        private long[] orderIds = new long[16];
        private long[] seqs = new long[16];
        private long[] tsMs = new long[16];
        private int size;

        boolean isEmpty()
        {
            return size == 0;
        }

        int size()
        {
            return size;
        }

        long minOrderId()
        {
            return orderIds[0];
        }

        long minSeq()
        {
            return seqs[0];
        }

        long minTsMs()
        {
            return tsMs[0];
        }

        void clear()
        {
            size = 0;
        }

        void add(final long orderId, final long seq, final long ts)
        {
            if (size == orderIds.length)
            {
                orderIds = Arrays.copyOf(orderIds, size << 1);
                seqs = Arrays.copyOf(seqs, size << 1);
                tsMs = Arrays.copyOf(tsMs, size << 1);
            }
            int i = size++;
            while (i > 0)
            {
                final int parent = (i - 1) >>> 1;
                if (orderIds[parent] <= orderId)
                {
                    break;
                }
                move(parent, i);
                i = parent;
            }
            put(i, orderId, seq, ts);
        }

        void removeMin()
        {
            final int last = --size;
            if (last == 0)
            {
                return;
            }
            final long id = orderIds[last];
            final long seq = seqs[last];
            final long ts = tsMs[last];
            int i = 0;
            while (true)
            {
                int child = 2 * i + 1;
                if (child >= last)
                {
                    break;
                }
                if (child + 1 < last && orderIds[child + 1] < orderIds[child])
                {
                    child++;
                }
                if (orderIds[child] >= id)
                {
                    break;
                }
                move(child, i);
                i = child;
            }
            put(i, id, seq, ts);
        }

        private void move(final int from, final int to)
        {
            put(to, orderIds[from], seqs[from], tsMs[from]);
        }

        private void put(final int i, final long orderId, final long seq, final long ts)
        {
            orderIds[i] = orderId;
            seqs[i] = seq;
            tsMs[i] = ts;
        }
    }
}
