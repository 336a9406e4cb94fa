package io.rivulet.bench.jmh;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.rivulet.engine.sql.Row;
import io.rivulet.engine.sql.internal.formats.JsonRowDecoder;
import io.rivulet.engine.types.StructType;
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
import java.util.function.Supplier;

/**
 * One JSON line of a 6-column schema (string, bigint, double, int, timestamp, boolean) into a row: issue 13's target
 * is at least 1 M rows/s on one core (at most 1 000 ns per row). Each invocation decodes the same {@value #LINES}
 * pre-generated lines (the shape of {@link JsonLinesBenchmark}'s, with an ISO timestamp string and a boolean) and
 * checks the sum of {@code qty}, so a fast wrong answer fails.
 *
 * <ul>
 *   <li>{@code jacksonTree} (baseline): Jackson's tree model ({@code ObjectMapper.readTree}), the plain way to read a
 *       JSON line without a class; {@code qty} read from the tree, nothing converted;</li>
 *   <li>{@code jacksonTokens} (floor): Jackson's streaming parser walked token by token over the line, {@code qty}
 *       read as a long, every other value left unread: what any decoder on that parser costs at least;</li>
 *   <li>{@code databindRecord} (baseline): Jackson databind into a Java record, as the typed
 *       {@code FileSource.jsonLines(dir, Trade.class)} does; it leaves the timestamp a string (no parsing);</li>
 *   <li>{@code rowDecoder}: {@link JsonRowDecoder}, what {@code FileSource.json(dir, schema)} runs per line: its
 *       byte scanner into a fresh row, the timestamp parsed to microseconds;</li>
 *   <li>{@code rowDecoderJackson} (A/B): the same decoder with the byte scanner off
 *       ({@value JsonRowDecoder#BYTE_SCANNER_PROPERTY}{@code =false}), its Jackson streaming path alone.</li>
 * </ul>
 */
@State(Scope.Thread)
public class JsonRowDecoderBenchmark extends BenchmarkDefaults
{
    /** Lines per invocation. */
    public static final int LINES = 4096;

    /** The baseline's record. */
    public record Trade(String symbol, long qty, double price, int venue, String ts, boolean buy)
    {
    }

    private byte[] bytes;
    private int[] starts;
    private long expectedQty;
    private ObjectReader reader;
    private ObjectMapper tree;
    private JsonFactory factory;
    private JsonRowDecoder decoder;
    private JsonRowDecoder jacksonDecoder;

    @Setup(Level.Trial)
    public void setUp()
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
        reader = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .readerFor(Trade.class);
        tree = new ObjectMapper();
        factory = new JsonFactory();
        StructType schema = StructType.fromDDL("symbol STRING, qty BIGINT, price DOUBLE, venue INT, ts TIMESTAMP, buy BOOLEAN");
        decoder = JsonRowDecoder.create(schema, Map.of());
        jacksonDecoder = withoutByteScanner(() -> JsonRowDecoder.create(schema, Map.of()));
    }

    /** @return what {@code make} builds with the JSON byte scanner off (the system property set only meanwhile). */
    static <T> T withoutByteScanner(Supplier<T> make)
    {
        String before = System.getProperty(JsonRowDecoder.BYTE_SCANNER_PROPERTY);
        System.setProperty(JsonRowDecoder.BYTE_SCANNER_PROPERTY, "false");
        try
        {
            return make.get();
        }
        finally
        {
            if (before == null)
            {
                System.clearProperty(JsonRowDecoder.BYTE_SCANNER_PROPERTY);
            }
            else
            {
                System.setProperty(JsonRowDecoder.BYTE_SCANNER_PROPERTY, before);
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public long jacksonTree(Blackhole blackhole) throws Exception
    {
        long qty = 0;
        for (int i = 0; i < LINES; i++)
        {
            JsonNode node = tree.readTree(bytes, starts[i], starts[i + 1] - starts[i] - 1);
            qty += node.get("qty").longValue();
            blackhole.consume(node);
        }
        return check(qty);
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public long jacksonTokens() throws Exception
    {
        long qty = 0;
        for (int i = 0; i < LINES; i++)
        {
            try (JsonParser p = factory.createParser(bytes, starts[i], starts[i + 1] - starts[i] - 1))
            {
                JsonToken t;
                while ((t = p.nextToken()) != null)
                {
                    if (t == JsonToken.VALUE_NUMBER_INT && "qty".equals(p.currentName()))
                    {
                        qty += p.getLongValue();
                    }
                }
            }
        }
        return check(qty);
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public long databindRecord(Blackhole blackhole) throws Exception
    {
        long qty = 0;
        for (int i = 0; i < LINES; i++)
        {
            Trade trade = reader.readValue(bytes, starts[i], starts[i + 1] - starts[i] - 1);
            qty += trade.qty();
            blackhole.consume(trade);
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

    @Benchmark
    @OperationsPerInvocation(LINES)
    public long rowDecoderJackson(Blackhole blackhole) throws Exception
    {
        long qty = 0;
        for (int i = 0; i < LINES; i++)
        {
            Row row = jacksonDecoder.decode(bytes, starts[i], starts[i + 1] - starts[i] - 1);
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
