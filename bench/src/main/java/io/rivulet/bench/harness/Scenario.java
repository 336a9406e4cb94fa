package io.rivulet.bench.harness;

import io.rivulet.bench.workload.Trade;
import io.rivulet.engine.Rivulet;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.source.Source;
import org.HdrHistogram.Histogram;

import java.util.List;
import java.util.Locale;

/**
 * A workload as a real Rivulet query over the trade stream, with the sink that measures it and the check of its
 * result. One instance per run: it holds the run's sink.
 *
 * <p>Not thread-safe; used by the harness thread. The sink's state is read only after the query ended.
 */
public interface Scenario
{
    /** Workload ids the harness runs. */
    List<String> IDS = List.of("W1", "K1", "K1L", "W2", "W3", "W4", "W5", W5HandwrittenScenario.ID, "J1", "W1U", "W2U", "W1S", "W2S");

    /**
     * @param id {@code W1} (stateless filter and map, fused into the source thread) or {@code K1} (per-symbol running
     *           count and sum of qty through a keyed stage), {@code K1L} (running sum over 2^20 {@code long} keys,
     *           {@code keyByLong}), {@code W2}-{@code W4}, {@code W5} (the engine's long-key join) or {@code W5-handwritten}
     *           (the same with the hand-written join operator it replaced, a baseline), {@code J1}, or the user-shaped
     *           {@code W1U} and {@code W2U} ({@link UserShapedScenario}), or the structured-API
     *           {@code W1S} and {@code W2S} ({@link StructuredScenario}); case-insensitive.
     * @return a fresh scenario.
     * @throws IllegalArgumentException naming the known ids if {@code id} is unknown.
     */
    static Scenario create(final String id)
    {
        return switch (id.trim().toUpperCase(Locale.ROOT))
        {
            case "W1" -> new W1Scenario();
            case "K1" -> new K1Scenario();
            case "K1L" -> new K1LScenario();
            case "W2" -> new W2Scenario();
            case "W3" -> new W3Scenario();
            case "W4" -> new W4Scenario();
            case "W5" -> new W5Scenario();
            case W5HandwrittenScenario.ID -> new W5HandwrittenScenario();
            case "J1" -> new J1Scenario();
            case "W1U" -> new W1UScenario();
            case "W2U" -> new W2UScenario();
            case "W1S" -> new W1SScenario();
            case "W2S" -> new W2SScenario();
            default -> throw new IllegalArgumentException("unknown workload '" + id + "'; known: " + IDS);
        };
    }

    /**
     * @param id a workload id
     * @return whether it is W5 or its hand-written baseline: one order per ten trades, counted as events
     */
    static boolean joinsOrders(final String id)
    {
        return "W5".equalsIgnoreCase(id) || W5HandwrittenScenario.ID.equalsIgnoreCase(id);
    }

    /** @return the workload id. */
    String id();

    /** @return whether the source may refill one {@code Trade} for every event (the query is fully fused). */
    boolean reusesTrade();

    /** @return whether the trades carry W5's order ids. */
    default boolean needsOrderIds()
    {
        return false;
    }

    /**
     * @return events the scenario's own sources emitted so far besides the trades (W5's orders); thread-safe, read
     *     while the query runs.
     */
    default long extraEvents()
    {
        return 0;
    }

    /**
     * Builds the query and starts it.
     *
     * @param rivulet   the engine.
     * @param source    the trade stream.
     * @param pacer     the schedule, or {@code null} in throughput mode.
     * @param window    due times whose latency is recorded; {@code null} in throughput mode.
     * @param options   the run's settings (partitions, epoch interval).
     * @param queryName the query's name (its threads are named after it).
     * @return the running query.
     */
    StreamingQuery start(Rivulet rivulet, Source<Trade> source, Pacer pacer, MeasuredWindow window,
        HarnessOptions options, String queryName);

    /** @return the merged latency histogram of the sink's writers, ns. */
    Histogram latency();

    /** @return results received by the sink. */
    long results();

    /** @return the results' checksum. */
    long checksum();

    /** @return monotonic time the last result reached the sink, ns. */
    long lastResultNs();

    /**
     * Checks the computed result against the spec's reference (throughput mode, N in the table, not truncated) or
     * against a direct computation over the trades the source emitted.
     *
     * @param trades     trades the source emitted.
     * @param eventRate  nominal event-time rate R of the generator.
     * @param reference  whether a reference row may be used (throughput mode and not truncated).
     * @return the verdict.
     */
    ResultCheck check(long trades, long eventRate, boolean reference);
}
