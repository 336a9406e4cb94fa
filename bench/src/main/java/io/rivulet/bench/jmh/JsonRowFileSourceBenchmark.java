package io.rivulet.bench.jmh;

import io.rivulet.engine.source.SourceContext;
import io.rivulet.engine.source.SourceOutput;
import io.rivulet.engine.source.SourceReader;
import io.rivulet.engine.source.file.FileSource;
import io.rivulet.engine.sql.Row;
import io.rivulet.engine.sql.internal.formats.JsonRowDecoder;
import io.rivulet.engine.types.StructType;
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
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * The structured API's JSON-lines file source end to end ({@code rivulet.readStream().schema(s).json(dir)} is
 * {@link FileSource#json(Path, StructType)}), one row of a 6-column schema (string, bigint, double, int, timestamp as
 * an ISO string, boolean) per operation; issue 13's target is at least 1 M rows/s on one core. A file of
 * {@value #LINES} lines is read whole per invocation; each invocation checks the row count and the sum of
 * {@code qty}, so a fast wrong answer fails.
 *
 * <ul>
 *   <li>{@code decoderLoop} (baseline): the same {@link JsonRowDecoder} over an in-memory copy of the file, lines
 *       already split: the decoder alone;</li>
 *   <li>{@code fileSource}: the real source's reader opened fresh on the directory (one listing, one file), reading
 *       the file through its line splitter and the decoder into an output that sums the quantities;</li>
 *   <li>{@code fileSourceJackson} (A/B): the same source built with the decoder's byte scanner off
 *       ({@value JsonRowDecoder#BYTE_SCANNER_PROPERTY}{@code =false}).</li>
 * </ul>
 */
@State(Scope.Thread)
public class JsonRowFileSourceBenchmark extends BenchmarkDefaults
{
    /** Lines in the file. */
    public static final int LINES = 65_536;
    /** The rows' schema: 6 columns. */
    public static final StructType SCHEMA =
        StructType.fromDDL("symbol STRING, qty BIGINT, price DOUBLE, venue INT, ts TIMESTAMP, buy BOOLEAN");

    private Path dir;
    private byte[] bytes;
    private int[] starts;
    private long expectedQty;
    private JsonRowDecoder decoder;
    private FileSource<Row> source;
    private FileSource<Row> jacksonSource;

    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        SplittableRandom random = new SplittableRandom(7);
        String[] symbols = {"AAPL", "MSFT", "GOOG", "AMZN", "NVDA", "META", "TSLA", "IBM"};
        StringBuilder text = new StringBuilder(LINES * 110);
        starts = new int[LINES + 1];
        for (int i = 0; i < LINES; i++)
        {
            long qty = 1 + random.nextInt(1_000);
            expectedQty += qty;
            text.append("{\"symbol\":\"").append(symbols[i & 7]).append("\",\"qty\":").append(qty)
                .append(",\"price\":").append(100 + random.nextInt(100_000) / 100.0)
                .append(",\"venue\":").append(random.nextInt(16))
                .append(",\"ts\":\"").append(Instant.ofEpochMilli(1_700_000_000_000L + i * 7L)).append('"')
                .append(",\"buy\":").append((i & 1) == 0).append("}\n");
        }
        bytes = text.toString().getBytes(StandardCharsets.US_ASCII);
        int line = 0;
        for (int i = 0; i < bytes.length; i++)
        {
            if (bytes[i] == '\n')
            {
                starts[++line] = i + 1;
            }
        }
        dir = Files.createTempDirectory("rivulet-jsonrows");
        Files.write(dir.resolve("trades.json"), bytes);
        Files.setLastModifiedTime(dir.resolve("trades.json"), FileTime.fromMillis(0));
        decoder = JsonRowDecoder.create(SCHEMA, Map.of());
        source = FileSource.json(dir, SCHEMA).fileSettleTime(Duration.ZERO);
        jacksonSource = JsonRowDecoderBenchmark.withoutByteScanner(
            () -> FileSource.json(dir, SCHEMA).fileSettleTime(Duration.ZERO));
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
    public long decoderLoop(Blackhole blackhole) throws Exception
    {
        long qty = 0;
        for (int i = 0; i < LINES; i++)
        {
            Row row = decoder.decode(bytes, starts[i], starts[i + 1] - starts[i] - 1);
            qty += row.getLong(1);
            blackhole.consume(row);
        }
        return check(qty, LINES);
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public long fileSource(Blackhole blackhole) throws Exception
    {
        return readWhole(source, blackhole);
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public long fileSourceJackson(Blackhole blackhole) throws Exception
    {
        return readWhole(jacksonSource, blackhole);
    }

    private long readWhole(FileSource<Row> from, Blackhole blackhole) throws Exception
    {
        Summing out = new Summing(blackhole);
        try (SourceReader<Row> rows = from.open(out))
        {
            while (rows.poll(out, 4096) > 0)
            {
                // polls until the file is read whole
            }
        }
        return check(out.qty, out.rows);
    }

    private long check(long qty, long rows)
    {
        if (qty != expectedQty || rows != LINES)
        {
            throw new IllegalStateException("read " + rows + " rows summing qty " + qty + ", expected " + LINES + " rows summing "
                + expectedQty);
        }
        return qty;
    }

    /** Context and output of one read: a fixed clock, no checkpoint; sums what it is given. */
    private static final class Summing extends SingleReaderContext implements SourceOutput<Row>
    {
        private final Blackhole blackhole;
        long qty;
        long rows;

        Summing(Blackhole blackhole)
        {
            this.blackhole = blackhole;
        }

        @Override
        public void emit(Row row)
        {
            qty += row.getLong(1);
            rows++;
            blackhole.consume(row);
        }

        @Override
        public void emitWatermark(long watermarkMs)
        {
        }
    }
}
