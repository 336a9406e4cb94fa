package io.rivulet.bench.harness;

import io.rivulet.bench.workload.Trade;
import io.rivulet.engine.Rivulet;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.source.Source;
import io.rivulet.engine.source.Sources;
import io.rivulet.journal.JournalOptions;
import io.rivulet.journal.JournalPretouch;
import io.rivulet.journal.codec.Codec;
import net.openhft.chronicle.bytes.Bytes;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/**
 * J1: W1 over a journaled trade source. Every trade is appended to a Chronicle Queue journal and read back from it before
 * the fused W1 chain sees it, so comparing J1 with W1 at the same offered rate measures what the journal adds to the
 * write-to-read path (the "journaled vs non-journaled pipeline"). The journal lives in a fresh temporary
 * directory, pretouched by a background thread (`-Drivulet.bench.pretouch=OFF|OWNER|BACKGROUND`), deleted when the JVM
 * exits. Not thread-safe; one instance per run.
 */
final class J1Scenario implements Scenario
{
    private final W1Scenario w1 = new W1Scenario();

    /** Trades as 44 bytes: seq, ts, symbol, price, qty, orderId; read back into the reader's reused trade. */
    static final Codec<Trade> TRADE_CODEC = new Codec<>()
    {
        @Override
        public void write(final Trade trade, final Bytes<?> out)
        {
            out.writeLong(trade.seq()).writeLong(trade.tsMs()).writeInt(trade.symbol()).writeDouble(trade.price())
                .writeLong(trade.qty()).writeLong(trade.orderId());
        }

        @Override
        public Trade read(final Bytes<?> in, final Trade reuse)
        {
            final Trade trade = reuse != null ? reuse : new Trade();
            return trade.set(in.readLong(), in.readLong(), in.readInt(), in.readDouble(), in.readLong(), in.readLong());
        }
    };

    @Override
    public String id()
    {
        return "J1";
    }

    @Override
    public boolean reusesTrade()
    {
        return true;
    }

    @Override
    public StreamingQuery start(final Rivulet rivulet, final Source<Trade> source, final Pacer pacer,
        final MeasuredWindow window, final HarnessOptions options, final String queryName)
    {
        final Path directory = temporaryDirectory();
        final JournalOptions journal = JournalOptions.of(directory).pretouch(JournalPretouch.valueOf(System.getProperty("rivulet.bench.pretouch", "BACKGROUND")));
        return w1.start(rivulet, Sources.journaled(source, journal, TRADE_CODEC).reuseRecords(true), pacer, window, options,
            queryName);
    }

    private static Path temporaryDirectory()
    {
        try
        {
            final Path directory = Files.createTempDirectory("rivulet-bench-j1-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(directory), "j1-journal-cleanup"));
            return directory;
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot create the J1 journal directory", e);
        }
    }

    private static void delete(final Path directory)
    {
        try (var paths = Files.walk(directory))
        {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (final IOException ignored)
        {
            // best effort: a temporary directory
        }
    }

    @Override
    public Histogram latency()
    {
        return w1.latency();
    }

    @Override
    public long results()
    {
        return w1.results();
    }

    @Override
    public long checksum()
    {
        return w1.checksum();
    }

    @Override
    public long lastResultNs()
    {
        return w1.lastResultNs();
    }

    @Override
    public ResultCheck check(final long trades, final long eventRate, final boolean reference)
    {
        return w1.check(trades, eventRate, reference);
    }
}
