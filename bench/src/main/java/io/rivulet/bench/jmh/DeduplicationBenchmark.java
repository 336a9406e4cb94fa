package io.rivulet.bench.jmh;

import io.rivulet.operators.Output;
import io.rivulet.operators.dedup.DeduplicateOperator;
import org.agrona.collections.Long2LongHashMap;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * {@code dropDuplicatesWithinWatermark} over 10 M ids, one record per operation, as one partition of a continuous
 * query runs it: the real {@link DeduplicateOperator} gets the key as the exchange hands it (a boxed {@code Long},
 * pre-boxed here), the record (one reused instance, as with {@code copyingRecords}) and, each time event time moves
 * on by a millisecond, the watermark (event time − {@code delayMs}), which evicts the ids whose first record is
 * {@code delayMs} behind.
 *
 * <p>The input: a pre-generated sequence of {@value #SEQUENCE} records, {@code eventsPerMs} per millisecond of event
 * time; three in four carry the next id of a random permutation of {@value #IDS} ids (wrapping round, by when the
 * ids' first records have long expired), one in four repeats the id of the record three before it (a resend, which is
 * dropped). An id is remembered until the watermark, itself {@code delayMs} behind event time, reaches its first
 * event time + {@code delayMs}: {@code 2 × delayMs} of event time, 16 M records with the defaults, longer than one
 * pass over the permutation (13.3 M records). So in steady state the operator holds almost all 10 M ids (≈ 60 % of
 * a 2<sup>24</sup>-slot table), each id is admitted every other pass and dropped as a duplicate in between, and
 * as many ids expire per second as are admitted.
 *
 * <p>Baselines, same ids, same harness (a countdown moves event time on; no division per record):
 * <ul>
 *   <li>{@code harnessOnly}: reads the record's id (unboxing it) and moves event time on, nothing else: what the
 *       benchmark itself costs per record, to subtract from the others;</li>
 *   <li>{@code rawMapWithFifoEviction}: an Agrona {@code Long2LongHashMap} ({@code putIfAbsent}) that removes the id
 *       admitted {@code delayMs × eventsPerMs} records earlier: a hand-written dedup with perfectly ordered expiry,
 *       no late check, no expiry index and no counters (two random accesses per new id: the insert and the
 *       removal);</li>
 *   <li>{@code rawTableOneProbe}: a hand-written floor: one probe per record into an open-addressing
 *       {@code long[]} of 2<sup>24</sup> slots (key and expiry interleaved, the operator's table size at 10 M live ids);
 *       an expired entry reads as absent and the first expired slot of the chain is reused; never swept, which is
 *       enough here only because the id universe is bounded (10 M ids fill at most 60 % of the slots).</li>
 * </ul>
 */
@State(Scope.Thread)
public class DeduplicationBenchmark extends BenchmarkDefaults
{
    /** Distinct ids. */
    public static final int IDS = 10_000_000;
    /** Records in the pre-generated sequence; a power of two above {@link #IDS}. */
    public static final int SEQUENCE = 1 << 24;
    private static final int TABLE_BITS = 24;
    private static final long PHI = 0x9E3779B97F4A7C15L;

    /** The watermark delay, the time an id is remembered. */
    @Param({"1000"})
    public long delayMs;

    /**
     * Records per millisecond of event time: 8 keeps about 12 000 ids live (cache-resident); 8000 is event time
     * moving at the target rate, 8 M records/s, so a 1 s delay keeps almost all 10 M ids live (a DRAM miss per
     * probe).
     */
    @Param({"8", "8000"})
    public int eventsPerMs;

    /** A record whose only field the operator reads: its event time. Reused, as a copying exchange does. */
    public static final class Event
    {
        /** Event time, epoch ms. */
        public long tsMs;
    }

    private final Long[] keys = new Long[SEQUENCE];
    private final Event event = new Event();
    private DeduplicateOperator<Long, Event> operator;
    private Output<Event> out;
    private long emitted;
    private long n;
    private long tsMs;
    private int leftInMs;
    private Long2LongHashMap raw;
    private long rawEvictLag;
    private long[] table;
    private long tableWatermarkMs = Long.MIN_VALUE;
    private long checksum;

    /** Generates the sequence and builds the operator and the baseline's map. */
    @Setup
    public void setUp()
    {
        final SplittableRandom random = new SplittableRandom(42);
        final int[] permutation = new int[IDS];
        for (int i = 0; i < IDS; i++)
        {
            permutation[i] = i;
        }
        for (int i = IDS - 1; i > 0; i--)
        {
            final int j = random.nextInt(i + 1);
            final int t = permutation[i];
            permutation[i] = permutation[j];
            permutation[j] = t;
        }
        int next = 0;
        for (int i = 0; i < SEQUENCE; i++)
        {
            if ((i & 3) == 3)
            {
                keys[i] = keys[i - 3];
            }
            else
            {
                keys[i] = (long)permutation[next];
                next = next + 1 == IDS ? 0 : next + 1;
            }
        }
        operator = DeduplicateOperator.withinWatermark(e -> e.tsMs, delayMs, null);
        out = record -> emitted++;
        raw = new Long2LongHashMap(Long.MIN_VALUE);
        rawEvictLag = delayMs * eventsPerMs;
        table = new long[2 << TABLE_BITS];
        Arrays.fill(table, Long.MIN_VALUE);
        leftInMs = eventsPerMs;
    }

    /** @return whether event time moved on a millisecond with this record */
    private boolean tick()
    {
        if (--leftInMs == 0)
        {
            leftInMs = eventsPerMs;
            tsMs++;
            return true;
        }
        return false;
    }

    /**
     * What the harness costs: the record's id read and unboxed, event time moved on.
     *
     * @return a checksum of the ids, so nothing is optimised away
     */
    @Benchmark
    public long harnessOnly()
    {
        final long i = n++;
        if (tick())
        {
            checksum += tsMs;
        }
        checksum += keys[(int)(i & (SEQUENCE - 1))];
        return checksum;
    }

    /**
     * Floor: one probe per record into a {@code long[]} table with lazy expiry (see the class comment).
     *
     * @return ids admitted so far
     */
    @Benchmark
    public long rawTableOneProbe()
    {
        final long i = n++;
        if (tick())
        {
            tableWatermarkMs = tsMs - delayMs;
        }
        final long key = keys[(int)(i & (SEQUENCE - 1))];
        final long[] table = this.table;
        final long watermarkMs = tableWatermarkMs;
        final int mask = (1 << TABLE_BITS) - 1;
        int reuse = -1;
        int s = (int)((key * PHI) >>> (64 - TABLE_BITS));
        while (true)
        {
            final long expiry = table[2 * s + 1];
            if (expiry == Long.MIN_VALUE)
            {
                break;
            }
            if (table[2 * s] == key)
            {
                if (expiry > watermarkMs)
                {
                    return emitted;
                }
                reuse = s;
                break;
            }
            if (reuse < 0 && expiry <= watermarkMs)
            {
                reuse = s;
            }
            s = (s + 1) & mask;
        }
        final int at = reuse < 0 ? s : reuse;
        table[2 * at] = key;
        table[2 * at + 1] = tsMs + delayMs;
        return ++emitted;
    }

    /**
     * Baseline: an Agrona map with FIFO eviction of the id admitted {@code delayMs × eventsPerMs} records earlier.
     *
     * @return ids admitted so far
     */
    @Benchmark
    public long rawMapWithFifoEviction()
    {
        final long i = n++;
        tick();
        final long key = keys[(int)(i & (SEQUENCE - 1))];
        if (raw.putIfAbsent(key, tsMs) == Long.MIN_VALUE)
        {
            emitted++;
        }
        if (i >= rawEvictLag)
        {
            raw.remove((long)keys[(int)((i - rawEvictLag) & (SEQUENCE - 1))]);
        }
        return emitted;
    }

    /**
     * One record through {@link DeduplicateOperator#withinWatermark}, and the watermark when event time moved on.
     *
     * @return records emitted so far
     */
    @Benchmark
    public long withinWatermark()
    {
        final long i = n++;
        if (tick())
        {
            operator.onWatermark(tsMs - delayMs, out);
        }
        event.tsMs = tsMs;
        operator.process(keys[(int)(i & (SEQUENCE - 1))], event, out);
        return emitted;
    }
}
