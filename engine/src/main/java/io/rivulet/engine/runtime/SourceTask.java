package io.rivulet.engine.runtime;

import io.rivulet.engine.source.Source;
import io.rivulet.engine.source.SourceContext;
import io.rivulet.engine.source.SourceOutput;
import io.rivulet.engine.source.SourceReader;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.NanoClock;

/**
 * Polls one source partition and pushes its records through the fused chain, on its own thread.
 *
 * <p>Each duty cycle reads the clocks once, ends the current epoch with a barrier when its interval
 * has passed, then polls the reader for up to {@link #POLL_LIMIT} records. When the input ends or
 * the query is stopped, it ends the epoch in progress, sends end-of-input down the chain and
 * terminates. Not thread-safe; owned by its agent thread.
 */
final class SourceTask<T> implements Agent, SourceOutput<T>, SourceContext {
    static final int POLL_LIMIT = 256;

    private final TaskContext context;
    private final Source<T> source;
    private SourceReader<T> reader;
    private final int partition;
    private final int numPartitions;
    private final NanoClock nanoClock;
    private final EpochClock epochClock;
    private final long epochIntervalNs;
    private Link<T> chain;
    private long nowNs;
    private long nowMs;
    private long epoch;
    private long nextBarrierNs;
    private long watermarkMs = Long.MIN_VALUE;
    private long recordsRead;
    private boolean finished;

    SourceTask(TaskContext context, Source<T> source, int partition, int numPartitions,
               NanoClock nanoClock, EpochClock epochClock, long epochIntervalNs, long startNs) {
        this.context = context;
        this.source = source;
        this.partition = partition;
        this.numPartitions = numPartitions;
        this.nanoClock = nanoClock;
        this.epochClock = epochClock;
        this.epochIntervalNs = epochIntervalNs;
        this.nextBarrierNs = startNs + epochIntervalNs;
    }

    void chain(Link<T> chain) {
        this.chain = chain;
    }

    TaskContext context() {
        return context;
    }

    @Override
    public int doWork() throws Exception {
        QueryRuntime query = context.query;
        if (query.isAborted() || finished) {
            throw new AgentTerminationException();
        }
        nowNs = nanoClock.nanoTime();
        nowMs = epochClock.time();
        context.ingestNs = nowNs;
        if (query.isStopRequested()) {
            finish();
        }
        int work = 0;
        if (nowNs >= nextBarrierNs) {
            chain.onEpoch(epoch++);
            nextBarrierNs = nextBoundary(nowNs);
            work++;
        }
        int polled = reader.poll(this, POLL_LIMIT);
        if (polled == SourceReader.END_OF_INPUT) {
            finish();
        }
        context.recordsIn.lazySet(recordsRead);
        return work + polled;
    }

    private long nextBoundary(long now) {
        // A task that fell behind ends one epoch per cycle, not a burst of empty ones.
        long late = now - nextBarrierNs;
        return nextBarrierNs + (late / epochIntervalNs + 1) * epochIntervalNs;
    }

    private void finish() {
        finished = true;
        chain.onEpoch(epoch++);
        chain.onEnd();
        context.recordsIn.lazySet(recordsRead);
        throw new AgentTerminationException();
    }

    @Override
    public void onClose() {
        context.query.taskEnded(this);
    }

    @Override
    public String roleName() {
        return context.name;
    }

    @Override
    public void emit(T record) {
        if (record == null) {
            throw new NullPointerException("source reader emitted null in " + context.name);
        }
        recordsRead++;
        chain.emit(record);
    }

    @Override
    public void emitWatermark(long watermarkMs) {
        if (watermarkMs > this.watermarkMs) {
            this.watermarkMs = watermarkMs;
            chain.onWatermark(watermarkMs);
        }
    }

    @Override
    public int partition() {
        return partition;
    }

    @Override
    public int numPartitions() {
        return numPartitions;
    }

    @Override
    public String queryName() {
        return context.query.name();
    }

    @Override
    public long nanoTime() {
        return nowNs;
    }

    @Override
    public long epochMillis() {
        return nowMs;
    }

    /**
     * Opens this partition's reader, on the starting thread, before the task's thread starts.
     *
     * @throws Exception when the reader cannot be opened
     */
    void open() throws Exception {
        nowNs = nanoClock.nanoTime();
        nowMs = epochClock.time();
        reader = source.open(this);
        if (reader == null) {
            throw new IllegalStateException("source " + source.description() + " opened a null reader");
        }
    }

    SourceReader<T> reader() {
        return reader;
    }
}
