package io.rivulet.engine;

import io.rivulet.engine.internal.Options;
import io.rivulet.engine.internal.PlanNode;
import io.rivulet.engine.internal.QueryOptions;
import io.rivulet.engine.runtime.QueryLauncher;
import io.rivulet.engine.sink.Sink;
import io.rivulet.operators.OutputMode;
import io.rivulet.operators.state.KeyGroups;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.Locale;

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
    /** Complete checkpoints kept when {@link #minBatchesToRetain} is not set. */
    public static final int DEFAULT_MIN_BATCHES_TO_RETAIN = 10;
    /**
     * Progress reports {@link StreamingQuery#recentProgress()} keeps when
     * {@link #numRecentProgressUpdates} is not set: Spark's default.
     */
    public static final int DEFAULT_RECENT_PROGRESS_UPDATES = QueryOptions.DEFAULT_RECENT_PROGRESS_UPDATES;

    private final Rivulet rivulet;
    private final PlanNode<T> node;
    private final Sink<? super T> sink;
    private String queryName;
    private Trigger trigger = Trigger.continuous(Trigger.DEFAULT_EPOCH_INTERVAL);
    private OutputMode outputMode = OutputMode.APPEND;
    private boolean noDataMicroBatches = true;
    private boolean maxWatermarkPolicy;
    private Duration idleInputTimeout = Duration.ZERO;
    private WaitStrategy waitStrategy;
    private int ringCapacity;
    private int workerThreads = QueryOptions.AUTO_WORKER_THREADS;
    private int maxParallelism;
    private int latencySampling = 1;
    private boolean fuseKeyedStages = true;
    private Duration stopTimeout;
    private Path checkpointLocation;
    private int minBatchesToRetain = DEFAULT_MIN_BATCHES_TO_RETAIN;
    private RestartStrategy restartStrategy;
    private ErrorPolicy errorPolicy = ErrorPolicy.fail();
    private int numRecentProgressUpdates = DEFAULT_RECENT_PROGRESS_UPDATES;

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
     * @param mode what the sink receives each epoch (default {@link OutputMode#APPEND}, as in Spark);
     *     checked against Spark's rules at {@link #start()}
     * @return this
     */
    public DataStreamWriter<T> outputMode(OutputMode mode) {
        this.outputMode = Objects.requireNonNull(mode, "outputMode");
        return this;
    }

    /**
     * @param mode {@code append}, {@code update} or {@code complete} (any case), as Spark takes it
     * @return this
     * @throws IllegalArgumentException naming the allowed values
     */
    public DataStreamWriter<T> outputMode(String mode) {
        Objects.requireNonNull(mode, "outputMode");
        for (OutputMode m : OutputMode.values()) {
            if (m.name().equalsIgnoreCase(mode.trim())) {
                return outputMode(m);
            }
        }
        throw new IllegalArgumentException("unknown output mode '" + mode + "'; allowed: append, update, complete");
    }

    /**
     * Micro-batch only: whether a batch without data runs when the watermark moved, so that windows
     * it closes are emitted at once (Spark's {@code spark.sql.streaming.noDataMicroBatches.enabled},
     * default true).
     *
     * @param enabled the setting
     * @return this
     */
    public DataStreamWriter<T> noDataMicroBatches(boolean enabled) {
        this.noDataMicroBatches = enabled;
        return this;
    }

    /**
     * How the watermarks of several inputs combine (Spark's
     * {@code spark.sql.streaming.multipleWatermarkPolicy}): {@code min} (default: the slowest input
     * holds it back, nothing it sends is late) or {@code max} (the fastest drives it; the slower
     * input's rows may be dropped as late).
     *
     * @param policy {@code min} or {@code max}
     * @return this
     */
    public DataStreamWriter<T> multipleWatermarkPolicy(String policy) {
        Objects.requireNonNull(policy, "policy");
        switch (policy.trim().toLowerCase(Locale.ROOT)) {
            case "min" -> maxWatermarkPolicy = false;
            case "max" -> maxWatermarkPolicy = true;
            default -> throw new IllegalArgumentException("unknown multipleWatermarkPolicy '" + policy + "'; allowed: min, max");
        }
        return this;
    }

    /**
     * Continuous only: an input that sends nothing for this long stops holding the watermark back
     * until it sends again (its rows may then be late). Zero (default) turns it off.
     *
     * @param timeout zero or positive
     * @return this
     */
    public DataStreamWriter<T> idleInputTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "idleInputTimeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("idleInputTimeout must be zero (off) or positive, got " + timeout);
        }
        this.idleInputTimeout = timeout;
        return this;
    }

    /**
     * @param trigger continuous with an epoch interval (default {@code Trigger.continuous(100 ms)}),
     *     or a micro-batch trigger
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
     * Overrides the engine's {@link Rivulet.Builder#workerThreads(int) workerThreads} for this query:
     * how many threads run the keyed partitions that no source task hosts; 0 runs them on the source
     * task's thread, for a query with one source task ({@link #start()} refuses it with several).
     * Default: the processors left after one per source task and one for the JVM's own work; if that
     * leaves none, none with one source task and one with several. Continuous mode; a micro-batch query
     * runs on one thread.
     *
     * @param threads {@code >= 0}
     * @return this
     * @throws IllegalArgumentException unless {@code threads >= 0}
     */
    public DataStreamWriter<T> workerThreads(int threads) {
        this.workerThreads = Options.nonNegative("workerThreads", threads);
        return this;
    }

    /**
     * Overrides the engine's {@link Rivulet.Builder#maxParallelism(int) maxParallelism} for this
     * query: the number of key groups keys are routed and state is saved by, and so the most
     * partitions a keyed stage may have. {@link #start()} rejects a keyed stage with more partitions.
     *
     * @param keyGroups 1..{@value KeyGroups#UPPER_BOUND_MAX_PARALLELISM}
     * @return this
     * @throws IllegalArgumentException naming the range
     */
    public DataStreamWriter<T> maxParallelism(int keyGroups) {
        this.maxParallelism = KeyGroups.checkMaxParallelism(keyGroups);
        return this;
    }

    /**
     * Continuous mode: whether a keyed stage with one partition, fed by one task (a source with one
     * partition, or another one-partition keyed stage), runs on that task's thread (default
     * {@code true}). Fused, records reach the keyed operator by a method call: no ring, no copy, no
     * hand-off between cores, and a window fires on the thread that saw the watermark pass. A
     * one-partition stage fed by several tasks (a union) keeps its rings but shares the first
     * producer's thread, one thread fewer. Not fused,
     * the stage runs behind a ring on one of the query's worker threads ({@link #workerThreads(int)}),
     * which pipelines the work over two cores, if the machine has a core for it, at the cost of a
     * cross-core hand-off per record; that pays only when both sides are expensive.
     * Results are the same either way. Micro-batch queries run every stage on the driver thread.
     *
     * @param fuse {@code false} to run every keyed partition behind a ring on a worker thread
     * @return this
     */
    public DataStreamWriter<T> fuseKeyedStages(boolean fuse) {
        this.fuseKeyedStages = fuse;
        return this;
    }

    /**
     * Records the end-to-end latency (progress, {@code latencyHistogram()}) of every n-th record
     * written instead of every one. Each sample reads the clock (~20-40 ns on a virtual machine);
     * a query at millions of records per second keeps an accurate distribution with 1 in 16 or 64.
     *
     * @param everyN 1 (default: every record) or another power of two
     * @return this
     */
    public DataStreamWriter<T> latencySampling(int everyN) {
        if (everyN < 1 || Integer.bitCount(everyN) != 1) {
            throw new IllegalArgumentException("latencySampling must be a power of two >= 1, got " + everyN);
        }
        this.latencySampling = everyN;
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
     * Keeps the query's checkpoints in {@code directory} (Spark's {@code checkpointLocation}): at the
     * end of each epoch the state of every stateful operator and the position of every source are
     * saved there before the sink commits, so a query started again with the same directory resumes
     * exactly where the last checkpoint left it (see {@code docs/guarantees.md}). Without one, a
     * restart starts over and loses all state.
     *
     * @param directory the checkpoint directory; created if missing; one running query at a time
     * @return this
     */
    public DataStreamWriter<T> checkpointLocation(Path directory) {
        this.checkpointLocation = Objects.requireNonNull(directory, "checkpointLocation").toAbsolutePath();
        return this;
    }

    /**
     * @param directory the checkpoint directory, see {@link #checkpointLocation(Path)}
     * @return this
     */
    public DataStreamWriter<T> checkpointLocation(String directory) {
        Objects.requireNonNull(directory, "checkpointLocation");
        if (directory.isBlank()) {
            throw new IllegalArgumentException("checkpointLocation must not be blank");
        }
        return checkpointLocation(Path.of(directory));
    }

    /**
     * @param checkpoints complete checkpoints kept in the checkpoint location, at least 1 (Spark's
     *     {@code minBatchesToRetain}; default {@value #DEFAULT_MIN_BATCHES_TO_RETAIN})
     * @return this
     */
    public DataStreamWriter<T> minBatchesToRetain(int checkpoints) {
        this.minBatchesToRetain = Options.positive("minBatchesToRetain", checkpoints);
        return this;
    }

    /**
     * What a failure does: restart from the last checkpoint inside this JVM, with backoff, up to a
     * number of attempts in a row. Needs a checkpoint location (a restart without one would process
     * the input again from the start). Default: {@link RestartStrategy#DEFAULT} with a checkpoint
     * location, {@link RestartStrategy#none()} without.
     *
     * @param strategy the strategy
     * @return this
     */
    public DataStreamWriter<T> restartStrategy(RestartStrategy strategy) {
        this.restartStrategy = Objects.requireNonNull(strategy, "restartStrategy");
        return this;
    }

    /**
     * What a record a user function throws on does (Kafka Streams' {@code processing.exception.handler}):
     * {@link ErrorPolicy#fail()} (default) fails the query; {@link ErrorPolicy#skip()} drops and counts
     * it; {@link ErrorPolicy#deadLetter(Sink)} writes it, with its stage, exception and source position,
     * to a sink of its own, committed with the query's. Skipped and dead-lettered records are counted in
     * {@link QueryProgress#numRowsFailed()}. See {@link ErrorPolicy} for which calls it covers.
     *
     * @param policy the policy; a dead-letter sink must not be this query's sink, nor one of its
     *     late-data or side-output sinks ({@link #start()} rejects it)
     * @return this
     */
    public DataStreamWriter<T> errorPolicy(ErrorPolicy policy) {
        ErrorPolicy checked = Objects.requireNonNull(policy, "errorPolicy");
        if (checked.deadLetterSink() != null && checked.deadLetterSink() == sink) {
            throw new IllegalArgumentException("errorPolicy: the dead-letter sink " + sink.description()
                + " is the query's own sink; give dead letters a sink of their own");
        }
        this.errorPolicy = checked;
        return this;
    }

    /**
     * @param reports progress reports {@link StreamingQuery#recentProgress()} keeps, at least 1 (Spark's
     *     {@code spark.sql.streaming.numRecentProgressUpdates}; default {@value #DEFAULT_RECENT_PROGRESS_UPDATES});
     *     {@link StreamingQuery#lastProgress()} does not depend on it
     * @return this
     * @throws IllegalArgumentException if {@code reports} is below 1
     */
    public DataStreamWriter<T> numRecentProgressUpdates(int reports) {
        this.numRecentProgressUpdates = QueryOptions.checkRecentProgressUpdates(reports);
        return this;
    }

    /**
     * Sets an option by Spark's name: {@code checkpointLocation}, {@code minBatchesToRetain} or
     * {@code numRecentProgressUpdates}.
     *
     * @param key the option's name
     * @param value its value
     * @return this
     * @throws IllegalArgumentException for an unknown option or a bad value
     */
    public DataStreamWriter<T> option(String key, String value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value of option " + key);
        return switch (key) {
            case "checkpointLocation" -> checkpointLocation(value);
            case "minBatchesToRetain" -> {
                try {
                    yield minBatchesToRetain(Integer.parseInt(value.trim()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("minBatchesToRetain must be an integer, got '" + value + "'");
                }
            }
            case "numRecentProgressUpdates" -> {
                try {
                    yield numRecentProgressUpdates(Integer.parseInt(value.trim()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("numRecentProgressUpdates must be an integer, got '" + value + "'");
                }
            }
            default -> throw new IllegalArgumentException("unknown writeStream option '" + key
                + "'; known: checkpointLocation, minBatchesToRetain, numRecentProgressUpdates");
        };
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
        DStreamOperators.checkTrigger(node, trigger);
        Rivulet.Config config = rivulet.config();
        String name = queryName != null ? queryName : "query-" + UUID.randomUUID().toString().substring(0, 8);
        QueryOptions.Execution execution = switch (trigger.kind()) {
            case CONTINUOUS -> QueryOptions.Execution.CONTINUOUS;
            case PROCESSING_TIME -> QueryOptions.Execution.PROCESSING_TIME;
            case ONCE -> QueryOptions.Execution.ONCE;
            case AVAILABLE_NOW -> QueryOptions.Execution.AVAILABLE_NOW;
        };
        QueryOptions options = new QueryOptions(name, outputMode, execution, trigger.interval().toNanos(),
            noDataMicroBatches, maxWatermarkPolicy, idleInputTimeout.toNanos(),
            (waitStrategy != null ? waitStrategy : config.waitStrategy()).factory(), latencySampling,
            ringCapacity != 0 ? ringCapacity : config.ringCapacity(), config.defaultParallelism(),
            maxParallelism != 0 ? maxParallelism : config.maxParallelism(), fuseKeyedStages,
            (stopTimeout != null ? stopTimeout : config.stopTimeout()).toNanos(), checkpointLocation, minBatchesToRetain,
            restartStrategy != null ? restartStrategy
                : checkpointLocation != null ? RestartStrategy.DEFAULT : RestartStrategy.none(),
            config.nanoClock(), config.epochClock(), errorPolicy, numRecentProgressUpdates,
            workerThreads != QueryOptions.AUTO_WORKER_THREADS ? workerThreads : config.workerThreads());
        return rivulet.streams().start(name, () -> QueryLauncher.start(node, (Sink<T>) sink, options, rivulet.streams().events()));
    }
}
