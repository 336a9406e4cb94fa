package io.rivulet.bench.jmh;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.rivulet.engine.source.SourceContext;
import io.rivulet.engine.source.SourceOutput;
import io.rivulet.engine.source.SourceReader;
import io.rivulet.engine.source.file.FileSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * JSON-lines parsing of a 6-column record, one line per operation (issue 13's target: at least 1 M rows/s on one
 * core): a file of {@value #LINES} lines read whole per invocation.
 *
 * <ul>
 *   <li>{@code jacksonLoop} (baseline): a plain loop binding each line of an in-memory copy of the file with the same
 *       Jackson {@code ObjectReader} settings the source uses: the floor of Jackson databind;</li>
 *   <li>{@code fileSource}: the real {@link FileSource#jsonLines} reader, opened fresh on the directory (one listing,
 *       one file), reading through its line splitter and decoder into an output that sums the quantities.</li>
 * </ul>
 * Each invocation checks its sum of {@code qty} against the file's, so a fast wrong answer fails.
 */
@State(Scope.Thread)
public class JsonLinesBenchmark extends BenchmarkDefaults
{
    /** Lines in the file. */
    public static final int LINES = 65_536;

    /** The 6-column record. */
    public record Trade(String symbol, double price, long qty, String side, long tsMs, int venue)
    {
    }

    private Path dir;
    private byte[] bytes;
    private int[] lineStarts;
    private long expectedQty;
    private ObjectReader reader;
    private FileSource<Trade> source;

    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        SplittableRandom random = new SplittableRandom(7);
        String[] symbols = {"AAPL", "MSFT", "GOOG", "AMZN", "NVDA", "META", "TSLA", "IBM"};
        StringBuilder text = new StringBuilder(LINES * 100);
        lineStarts = new int[LINES + 1];
        for (int i = 0; i < LINES; i++)
        {
            long qty = 1 + random.nextInt(1_000);
            expectedQty += qty;
            text.append("{\"symbol\":\"").append(symbols[i & 7]).append("\",\"price\":")
                .append(100 + random.nextInt(100_000) / 100.0).append(",\"qty\":").append(qty)
                .append(",\"side\":\"").append((i & 1) == 0 ? "BUY" : "SELL").append("\",\"tsMs\":")
                .append(1_700_000_000_000L + i).append(",\"venue\":").append(random.nextInt(16)).append("}\n");
        }
        bytes = text.toString().getBytes(StandardCharsets.US_ASCII);
        int line = 0;
        lineStarts[0] = 0;
        for (int i = 0; i < bytes.length; i++)
        {
            if (bytes[i] == '\n')
            {
                lineStarts[++line] = i + 1;
            }
        }
        dir = Files.createTempDirectory("rivulet-jsonlines");
        Files.write(dir.resolve("trades.json"), bytes);
        Files.setLastModifiedTime(dir.resolve("trades.json"), FileTime.fromMillis(0));
        reader = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .readerFor(Trade.class);
        source = FileSource.jsonLines(dir, Trade.class).fileSettleTime(Duration.ZERO);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException
    {
        try (Stream<Path> files = Files.walk(dir))
        {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public long jacksonLoop() throws IOException
    {
        long qty = 0;
        for (int i = 0; i < LINES; i++)
        {
            Trade trade = reader.readValue(bytes, lineStarts[i], lineStarts[i + 1] - lineStarts[i] - 1);
            qty += trade.qty();
        }
        return check(qty);
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public long fileSource(Blackhole blackhole) throws Exception
    {
        Summing out = new Summing(blackhole);
        try (SourceReader<Trade> lines = source.open(out))
        {
            int polled;
            while ((polled = lines.poll(out, 4096)) > 0)
            {
                out.polls += polled;
            }
        }
        if (out.polls != LINES)
        {
            throw new IllegalStateException("read " + out.polls + " lines, expected " + LINES);
        }
        return check(out.qty);
    }

    private long check(long qty)
    {
        if (qty != expectedQty)
        {
            throw new IllegalStateException("sum of qty " + qty + ", expected " + expectedQty);
        }
        return qty;
    }

    /** Context and output of one read: a fixed clock, no checkpoint; sums what it is given. */
    private static final class Summing extends SingleReaderContext implements SourceOutput<Trade>
    {
        private final Blackhole blackhole;
        long qty;
        long polls;

        Summing(Blackhole blackhole)
        {
            this.blackhole = blackhole;
        }

        @Override
        public void emit(Trade record)
        {
            qty += record.qty();
            blackhole.consume(record);
        }

        @Override
        public void emitWatermark(long watermarkMs)
        {
        }
    }
}
