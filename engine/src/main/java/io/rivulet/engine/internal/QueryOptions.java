package io.rivulet.engine.internal;

import io.rivulet.operators.OutputMode;
import io.rivulet.operators.state.KeyGroups;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;

import io.rivulet.engine.ErrorPolicy;
import io.rivulet.engine.RestartStrategy;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Validated settings of one query run, assembled by the public writer API. Not public API. Immutable.
 *
 * @param name query name, unique among active queries
 * @param outputMode what the sink receives each epoch
 * @param execution continuous or one of the micro-batch triggers
 * @param intervalNs continuous: how often sources end an epoch; micro-batch processing time: the
 *     trigger interval (0 = as fast as possible)
 * @param noDataMicroBatches micro-batch: run a batch without data when the watermark moved (Spark's
 *     {@code spark.sql.streaming.noDataMicroBatches.enabled})
 * @param maxWatermarkPolicy several watermarks combine by maximum instead of minimum (Spark's
 *     {@code multipleWatermarkPolicy=max})
 * @param idleInputTimeoutNs continuous: an input silent this long stops holding the watermark back;
 *     0 = never
 * @param idleStrategies creates the idle strategy of each task thread (one instance per thread)
 * @param latencySampling record the end-to-end latency of every n-th record written, a power of two
 * @param ringCapacity slots per ring, a power of two
 * @param defaultParallelism partitions of a keyed stage that names none
 * @param maxParallelism the number of key groups keys are routed (and state is saved) by: the most
 *     partitions any keyed stage may have
 * @param fuseKeyedStages continuous: a keyed stage with one partition fed by one task runs on that
 *     task's thread, without a ring
 * @param stopTimeoutNs how long {@code stop()} waits for a graceful drain before aborting
 * @param checkpointLocation the directory checkpoints go to, or {@code null} for none
 * @param minBatchesToRetain complete checkpoints kept
 * @param restartStrategy what a failure does (restarts need a checkpoint location)
 * @param nanoClock monotonic clock for latency and epochs
 * @param epochClock wall clock for timestamps
 * @param errorPolicy what a record a user function throws on does: fail the query, skip, or dead-letter
 * @param numRecentProgressUpdates progress reports {@code recentProgress()} keeps, >= 1 (Spark's
 *     {@code spark.sql.streaming.numRecentProgressUpdates})
 * @param workerThreads continuous: threads for the keyed partitions no source task hosts; 0 = none, they
 *     run on the source tasks' threads; {@link #AUTO_WORKER_THREADS} = derived from the processors
 *     ({@code io.rivulet.engine.runtime.ThreadPlan})
 */
public record QueryOptions(String name, OutputMode outputMode, Execution execution, long intervalNs,
                           boolean noDataMicroBatches, boolean maxWatermarkPolicy, long idleInputTimeoutNs,
                           Supplier<? extends IdleStrategy> idleStrategies, int latencySampling, int ringCapacity,
                           int defaultParallelism, int maxParallelism, boolean fuseKeyedStages,
                           long stopTimeoutNs, Path checkpointLocation, int minBatchesToRetain,
                           RestartStrategy restartStrategy,
                           NanoClock nanoClock, EpochClock epochClock, ErrorPolicy errorPolicy,
                           int numRecentProgressUpdates, int workerThreads) {
    /** {@code workerThreads}: as many as the processors allow. */
    public static final int AUTO_WORKER_THREADS = -1;
    /** Progress reports kept by default, as Spark's {@code spark.sql.streaming.numRecentProgressUpdates}. */
    public static final int DEFAULT_RECENT_PROGRESS_UPDATES = 100;

    /** How the query runs. */
    public enum Execution {
        /** Record at a time; epochs every interval. */
        CONTINUOUS,
        /** Micro-batches every interval (0: back to back). */
        PROCESSING_TIME,
        /** One micro-batch of what is available, then stop. */
        ONCE,
        /** Micro-batches until what was available at start is processed, then stop. */
        AVAILABLE_NOW
    }

    /**
     * Validates the settings.
     */
    public QueryOptions {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(outputMode, "outputMode");
        Objects.requireNonNull(execution, "execution");
        Objects.requireNonNull(idleStrategies, "idleStrategies");
        Objects.requireNonNull(nanoClock, "nanoClock");
        Objects.requireNonNull(epochClock, "epochClock");
        Objects.requireNonNull(errorPolicy, "errorPolicy");
        if (intervalNs < 0 || (execution == Execution.CONTINUOUS && intervalNs == 0)) {
            throw new IllegalArgumentException("trigger interval must be positive, got " + intervalNs + " ns");
        }
        if (idleInputTimeoutNs < 0) {
            throw new IllegalArgumentException("idleInputTimeout must be zero (off) or positive, got " + idleInputTimeoutNs + " ns");
        }
        if (latencySampling < 1 || Integer.bitCount(latencySampling) != 1) {
            throw new IllegalArgumentException("latencySampling must be a power of two >= 1, got " + latencySampling);
        }
        if (ringCapacity < 2 || Integer.bitCount(ringCapacity) != 1) {
            throw new IllegalArgumentException("ringCapacity must be a power of two >= 2, got " + ringCapacity);
        }
        if (defaultParallelism < 1) {
            throw new IllegalArgumentException("defaultParallelism must be >= 1, got " + defaultParallelism);
        }
        KeyGroups.checkMaxParallelism(maxParallelism);
        Objects.requireNonNull(restartStrategy, "restartStrategy");
        if (minBatchesToRetain < 1) {
            throw new IllegalArgumentException("minBatchesToRetain must be >= 1, got " + minBatchesToRetain);
        }
        if (stopTimeoutNs <= 0) {
            throw new IllegalArgumentException("stopTimeout must be positive, got " + stopTimeoutNs + " ns");
        }
        checkRecentProgressUpdates(numRecentProgressUpdates);
        if (workerThreads < AUTO_WORKER_THREADS) {
            throw new IllegalArgumentException("workerThreads must be >= 0, got " + workerThreads);
        }
    }

    /**
     * The settings with the default number of progress reports kept and worker threads.
     */
    public QueryOptions(String name, OutputMode outputMode, Execution execution, long intervalNs,
                        boolean noDataMicroBatches, boolean maxWatermarkPolicy, long idleInputTimeoutNs,
                        Supplier<? extends IdleStrategy> idleStrategies, int latencySampling, int ringCapacity,
                        int defaultParallelism, int maxParallelism, boolean fuseKeyedStages,
                        long stopTimeoutNs, Path checkpointLocation, int minBatchesToRetain,
                        RestartStrategy restartStrategy, NanoClock nanoClock, EpochClock epochClock,
                        ErrorPolicy errorPolicy) {
        this(name, outputMode, execution, intervalNs, noDataMicroBatches, maxWatermarkPolicy, idleInputTimeoutNs,
            idleStrategies, latencySampling, ringCapacity, defaultParallelism, maxParallelism, fuseKeyedStages,
            stopTimeoutNs, checkpointLocation, minBatchesToRetain, restartStrategy, nanoClock, epochClock, errorPolicy,
            DEFAULT_RECENT_PROGRESS_UPDATES, AUTO_WORKER_THREADS);
    }

    /**
     * @param numRecentProgressUpdates progress reports to keep
     * @return it
     * @throws IllegalArgumentException if it is below 1
     */
    public static int checkRecentProgressUpdates(int numRecentProgressUpdates) {
        if (numRecentProgressUpdates < 1) {
            throw new IllegalArgumentException("numRecentProgressUpdates must be >= 1, got " + numRecentProgressUpdates);
        }
        return numRecentProgressUpdates;
    }

    /**
     * The settings with the default error policy, {@link ErrorPolicy#fail()}.
     */
    public QueryOptions(String name, OutputMode outputMode, Execution execution, long intervalNs,
                        boolean noDataMicroBatches, boolean maxWatermarkPolicy, long idleInputTimeoutNs,
                        Supplier<? extends IdleStrategy> idleStrategies, int latencySampling, int ringCapacity,
                        int defaultParallelism, int maxParallelism, boolean fuseKeyedStages,
                        long stopTimeoutNs, Path checkpointLocation, int minBatchesToRetain,
                        RestartStrategy restartStrategy, NanoClock nanoClock, EpochClock epochClock) {
        this(name, outputMode, execution, intervalNs, noDataMicroBatches, maxWatermarkPolicy, idleInputTimeoutNs,
            idleStrategies, latencySampling, ringCapacity, defaultParallelism, maxParallelism, fuseKeyedStages,
            stopTimeoutNs, checkpointLocation, minBatchesToRetain, restartStrategy, nanoClock, epochClock, ErrorPolicy.fail());
    }

    /**
     * @return whether the query runs micro-batches
     */
    public boolean microBatch() {
        return execution != Execution.CONTINUOUS;
    }

    /**
     * @return continuous: the epoch interval
     */
    public long epochIntervalNs() {
        return intervalNs;
    }
}
