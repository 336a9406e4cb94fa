package io.rivulet.engine;

import io.rivulet.engine.internal.Options;
import io.rivulet.engine.runtime.PlanNode;
import io.rivulet.engine.runtime.QueryOptions;
import io.rivulet.engine.runtime.QueryRuntime;
import io.rivulet.engine.sink.Sink;

import java.time.Duration;
import java.util.Objects;
import java.util.UUID;

/**
 * Describes how a query runs, then starts it: Spark's {@code DataStreamWriter}. Settings not given
 * here come from the engine's defaults.
 *
 * <p>Not thread-safe; a builder used by one thread. Every setting is validated when set; the plan
 * is validated by {@link #start()}, and an invalid query never starts.
 *
 * @param <T> record type written
 */
public final class DataStreamWriter<T> {
    private final Rivulet rivulet;
    private final PlanNode<T> node;
    private final Sink<? super T> sink;
    private String queryName;
    private Trigger trigger = Trigger.continuous(Trigger.DEFAULT_EPOCH_INTERVAL);
    private WaitStrategy waitStrategy;
    private int ringCapacity;
    private Duration stopTimeout;

    DataStreamWriter(Rivulet rivulet, PlanNode<T> node, Sink<? super T> sink) {
        this.rivulet = rivulet;
        this.node = node;
        this.sink = sink;
    }

    /**
     * @param name unique among the engine's active queries; letters, digits, '-', '_' and '.'
     * @return this
     */
    public DataStreamWriter<T> queryName(String name) {
        Objects.requireNonNull(name, "queryName");
        if (!name.matches("[A-Za-z0-9_.-]{1,100}")) {
            throw new IllegalArgumentException("queryName must be 1-100 letters, digits, '-', '_' or '.', got '" + name + "'");
        }
        this.queryName = name;
        return this;
    }

    /**
     * @param trigger the epoch interval (default {@code Trigger.continuous(100 ms)})
     * @return this
     */
    public DataStreamWriter<T> trigger(Trigger trigger) {
        this.trigger = Objects.requireNonNull(trigger, "trigger");
        return this;
    }

    /**
     * @param waitStrategy how this query's idle threads wait
     * @return this
     */
    public DataStreamWriter<T> waitStrategy(WaitStrategy waitStrategy) {
        this.waitStrategy = Objects.requireNonNull(waitStrategy, "waitStrategy");
        return this;
    }

    /**
     * @param slots slots of each of this query's rings, a power of two
     * @return this
     */
    public DataStreamWriter<T> ringCapacity(int slots) {
        this.ringCapacity = Options.powerOfTwo("ringCapacity", slots);
        return this;
    }

    /**
     * @param timeout how long {@code stop()} lets this query drain before aborting it
     * @return this
     */
    public DataStreamWriter<T> stopTimeout(Duration timeout) {
        this.stopTimeout = Options.positive("stopTimeout", timeout);
        return this;
    }

    /**
     * Validates the plan, opens the sink and the sources and starts the query's threads.
     *
     * @return the running query
     * @throws IllegalArgumentException if the query is invalid (the message names the rule)
     * @throws IllegalStateException if a source or the sink cannot be opened
     */
    @SuppressWarnings("unchecked")
    public StreamingQuery start() {
        Rivulet.Config config = rivulet.config();
        String name = queryName != null ? queryName : "query-" + UUID.randomUUID().toString().substring(0, 8);
        QueryOptions options = new QueryOptions(name, trigger.epochInterval().toNanos(),
            (waitStrategy != null ? waitStrategy : config.waitStrategy()).factory(),
            ringCapacity != 0 ? ringCapacity : config.ringCapacity(), config.defaultParallelism(),
            (stopTimeout != null ? stopTimeout : config.stopTimeout()).toNanos(), config.nanoClock(), config.epochClock());
        return rivulet.streams().start(name, () -> QueryRuntime.start(node, (Sink<T>) sink, options, rivulet.streams()));
    }
}
