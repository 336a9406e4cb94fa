package io.rivulet.bench.jmh;

import io.rivulet.engine.sql.Encoder;
import io.rivulet.engine.sql.Encoders;
import io.rivulet.engine.sql.MutableRow;
import io.rivulet.engine.sql.Row;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.SplittableRandom;

/**
 * The structured API's encoder on its hot path: a 6-field record ({@link Trade}: bigint, string, double, int,
 * boolean, bigint) into a reused {@link MutableRow} ({@code toRow}) and back ({@code fromRow}), each beside its
 * baseline, the same conversion written by hand against the same row ({@code toRowByHand}, {@code fromRowByHand}).
 * The gap is what the encoder's generality costs (one spun accessor call per field through a megamorphic writer
 * loop; one composed method handle per record back).
 *
 * <p>Setup checks, for every pre-generated record, that the encoder's row equals the hand-written one and that
 * both read back to the original record, so a fast wrong encoder fails before it is timed. Expect
 * {@code gc.alloc.rate.norm} 0 B/op for {@code toRow*} and one record (40 B) for {@code fromRow*}.
 */
@State(Scope.Thread)
public class EncoderBenchmark extends BenchmarkDefaults
{
    /** The benchmarked record: six fields, four of them primitives kept unboxed by the row. */
    public record Trade(long id, String symbol, double price, int qty, boolean buy, long tsMicros)
    {
    }

    private final Encoder<Trade> encoder = Encoders.record(Trade.class);
    private final Trade[] trades = new Trade[RECORDS];
    private final MutableRow[] rows = new MutableRow[RECORDS];
    private MutableRow target;
    private int index;

    @Setup
    public void setUp()
    {
        final SplittableRandom random = new SplittableRandom(42);
        final String[] symbols = {"ACME", "INIT", "GLOBX", "RIVL", "DSRP", "AGRN"};
        target = MutableRow.create(encoder.schema());
        for (int i = 0; i < RECORDS; i++)
        {
            trades[i] = new Trade(i, symbols[random.nextInt(symbols.length)], random.nextDouble() * 1000,
                random.nextInt(1, 10_000), random.nextBoolean(), 1_700_000_000_000_000L + i * 1000L);
            rows[i] = MutableRow.create(encoder.schema());
            toRowByHand(trades[i], rows[i]);
            encoder.toRow(trades[i], target);
            if (!target.equals(rows[i]) || !encoder.fromRow(rows[i]).equals(trades[i])
                || !fromRowByHand(target).equals(trades[i]))
            {
                throw new IllegalStateException("encoder and hand-written conversion disagree on " + trades[i]
                    + ": " + target + " vs " + rows[i]);
            }
        }
    }

    @Benchmark
    public MutableRow toRow()
    {
        encoder.toRow(trades[index++ & MASK], target);
        return target;
    }

    @Benchmark
    public MutableRow toRowByHand()
    {
        toRowByHand(trades[index++ & MASK], target);
        return target;
    }

    @Benchmark
    public Trade fromRow()
    {
        return encoder.fromRow(rows[index++ & MASK]);
    }

    @Benchmark
    public Trade fromRowByHand()
    {
        return fromRowByHand(rows[index++ & MASK]);
    }

    private static void toRowByHand(final Trade trade, final MutableRow row)
    {
        row.setLong(0, trade.id());
        row.setString(1, trade.symbol());
        row.setDouble(2, trade.price());
        row.setInt(3, trade.qty());
        row.setBoolean(4, trade.buy());
        row.setLong(5, trade.tsMicros());
    }

    private static Trade fromRowByHand(final Row row)
    {
        return new Trade(row.getLong(0), row.getString(1), row.getDouble(2), row.getInt(3), row.getBoolean(4),
            row.getLong(5));
    }
}
