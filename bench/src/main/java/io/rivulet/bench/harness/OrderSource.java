package io.rivulet.bench.harness;

import io.rivulet.bench.workload.Order;
import io.rivulet.bench.workload.OrderGenerator;

/**
 * W5's order stream (WORKLOADS.md section 1.2) as a one-partition {@link ScheduledSource}: order {@code j} has the same
 * scheduled time as trade {@code 10 j}, so its pacer runs at a tenth of the trades' rate from the same start. Emits
 * {@link W5Record}s, refilling one instance (the stream crosses its keyed exchange by copy).
 *
 * <p>Immutable description; the reader it opens is owned by the source task's thread.
 */
public final class OrderSource extends ScheduledSource<W5Record>
{
    private final long eventRate;

    /**
     * @param orders      orders to emit, {@code >= 0}.
     * @param eventRate   nominal event-time rate {@code R} of the trades, events/s.
     * @param tradePacer  the trades' schedule, or {@code null} for throughput mode; its rate must be a multiple of 10.
     * @param stopAfterNs time limit, as for the trades.
     * @param stats       receives the stream's statistics.
     */
    public OrderSource(final long orders, final long eventRate, final Pacer tradePacer, final long stopAfterNs,
        final SourceStats stats)
    {
        super(orders, orderPacer(tradePacer), stopAfterNs, stats);
        this.eventRate = eventRate;
    }

    private static Pacer orderPacer(final Pacer tradePacer)
    {
        if (tradePacer == null)
        {
            return null;
        }
        if (tradePacer.rate() % 10 != 0)
        {
            throw new IllegalArgumentException("W5 needs a rate that is a multiple of 10, got " + tradePacer.rate());
        }
        // Order j is due at start + 10 j * 1e9 / R = start + j * 1e9 / (R / 10).
        return new Pacer(tradePacer.startNs(), tradePacer.rate() / 10);
    }

    @Override
    public String description()
    {
        return "orders[n=" + events() + (pacer() != null ? ", rate=" + pacer().rate() : ", unpaced") + "]";
    }

    @Override
    protected Generator<W5Record> newGenerator()
    {
        final OrderGenerator generator = new OrderGenerator(eventRate);
        final Order order = new Order();
        final W5Record record = new W5Record();
        return out ->
        {
            generator.next(order);
            out.emit(record.order(order.orderId(), order.tsMs()));
        };
    }
}
