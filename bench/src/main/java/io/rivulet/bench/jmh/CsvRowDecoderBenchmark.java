package io.rivulet.bench.jmh;

import io.rivulet.engine.sql.Row;
import io.rivulet.engine.sql.internal.formats.CsvRowDecoder;
import io.rivulet.engine.types.StructType;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One CSV line of the 6-column schema of {@link JsonRowDecoderBenchmark} into a row. Each invocation decodes the same
 * {@value #LINES} lines and checks the sum of {@code qty}.
 *
 * <ul>
 *   <li>{@code commonsCsvTokens} (baseline): commons-csv parsing the line (as the typed
 *       {@code FileSource.csv(dir, CsvDecoder)} does) and {@code Long.parseLong} of one column: tokens only;</li>
 *   <li>{@code rowDecoder}: {@link CsvRowDecoder}, what {@code FileSource.csv(dir, schema)} runs per line: its own
 *       tokenizer and Spark's conversions of all six columns into a fresh row.</li>
 * </ul>
 */
@State(Scope.Thread)
public class CsvRowDecoderBenchmark extends BenchmarkDefaults
{
    /** Lines per invocation. */
    public static final int LINES = 4096;

    private byte[] bytes;
    private int[] starts;
    private long expectedQty;
    private CSVFormat format;
    private CsvRowDecoder decoder;

    @Setup(Level.Trial)
    public void setUp()
    {
        SplittableRandom random = new SplittableRandom(7);
        String[] symbols = {"AAPL", "MSFT", "GOOG", "AMZN", "NVDA", "META", "TSLA", "IBM"};
        StringBuilder text = new StringBuilder(LINES * 64);
        starts = new int[LINES + 1];
        for (int i = 0; i < LINES; i++)
        {
            long qty = 1 + random.nextInt(1_000);
            expectedQty += qty;
            text.append(symbols[i & 7]).append(',').append(qty).append(',')
                .append(100 + random.nextInt(100_000) / 100.0).append(',').append(random.nextInt(16)).append(',')
                .append(Instant.ofEpochMilli(1_700_000_000_000L + i * 7L)).append(',').append((i & 1) == 0).append('\n');
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
        format = CSVFormat.DEFAULT.builder().setEscape('\\').setNullString("").get();
        decoder = CsvRowDecoder.create(
            StructType.fromDDL("symbol STRING, qty BIGINT, price DOUBLE, venue INT, ts TIMESTAMP, buy BOOLEAN"),
            ",", '"', '\\', "", null, Map.of());
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public long commonsCsvTokens(Blackhole blackhole) throws Exception
    {
        long qty = 0;
        for (int i = 0; i < LINES; i++)
        {
            String line = new String(bytes, starts[i], starts[i + 1] - starts[i] - 1, StandardCharsets.UTF_8);
            try (CSVParser parser = CSVParser.parse(line, format))
            {
                CSVRecord record = parser.iterator().next();
                qty += Long.parseLong(record.get(1));
                blackhole.consume(record);
            }
        }
        return check(qty);
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public long rowDecoder(Blackhole blackhole) throws Exception
    {
        long qty = 0;
        for (int i = 0; i < LINES; i++)
        {
            Row row = decoder.decode(bytes, starts[i], starts[i + 1] - starts[i] - 1);
            qty += row.getLong(1);
            blackhole.consume(row);
        }
        return check(qty);
    }

    private long check(long qty)
    {
        if (qty != expectedQty)
        {
            throw new IllegalStateException("sum of qty " + qty + ", expected " + expectedQty);
        }
        return qty;
    }
}
