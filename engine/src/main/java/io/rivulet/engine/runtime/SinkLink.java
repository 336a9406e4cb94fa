package io.rivulet.engine.runtime;

import io.rivulet.engine.sink.SinkWriter;
import io.rivulet.operators.function.Sneaky;
import org.HdrHistogram.SingleWriterRecorder;
import org.agrona.concurrent.NanoClock;

import java.lang.invoke.MethodHandles;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The end of a chain that feeds a sink (the query's, or a side sink: late data, side outputs, dead
 * letters): writes each record, records the end-to-end latency of
 * every record (or of every n-th, with latency sampling: the clock read costs ~20-40 ns) and reports
 * epoch ends to the {@link CheckpointCoordinator}. A writer's failure reaches the task wrapped in a
 * {@link ChainFailure}, so that no stage's error policy takes it for a bad record of its own.
 *
 * <p>The per-record path ({@link #emit}) lives in the small subclass {@link Writing}, which is what a
 * {@link StageClasses stage clone} copies, so that the writer call is monomorphic per sink; everything
 * else is here, typed by this class. Fields are package-private: a clone is its own nest.
 *
 * <p>Not thread-safe; owned by the task running the chain. The latency recorder is single-writer
 * (this task) and read by the committer.
 */
abstract class SinkLink<T> extends Link<T> {
    /** Latencies above this (one hour) are recorded as one hour. */
    static final long HIGHEST_TRACKABLE_NS = 3_600_000_000_000L;

    /** The constructor's parameter types, for clones. */
    private static final Class<?>[] CONSTRUCTOR = {SinkWriter.class, CheckpointCoordinator.class,
        CheckpointCoordinator.Participant.class, TaskContext.class, NanoClock.class, int.class};

    final SinkWriter<T> writer;
    private final CheckpointCoordinator coordinator;
    private final CheckpointCoordinator.Participant participant;
    final TaskContext context;
    final NanoClock clock;
    final SingleWriterRecorder latency = new SingleWriterRecorder(1, HIGHEST_TRACKABLE_NS, 3);
    final AtomicLong recordsOut = new AtomicLong();
    long written;
    private long lastEndedEpoch;
    boolean wroteSinceEpochEnd;

    final long sampleMask;

    /**
     * @param writer the sink's writer for this task
     * @param coordinator the query's checkpoint coordinator
     * @param participant this writer's registration with it
     * @param context the task running the chain
     * @param clock the clock latencies are read from
     * @param latencySampling record the latency of every n-th record (a power of two)
     * @param <T> record type
     * @return the link: with {@link StageClasses} on, an instance of the clone of {@link Writing} for
     *     the writer's class
     */
    @SuppressWarnings("unchecked")
    static <T> SinkLink<T> create(SinkWriter<T> writer, CheckpointCoordinator coordinator,
                                  CheckpointCoordinator.Participant participant, TaskContext context, NanoClock clock,
                                  int latencySampling) {
        if (StageClasses.ENABLED) {
            try {
                Class<?> clone = StageClasses.cloneOf(Writing.class, MethodHandles.lookup(), writer.getClass());
                return (SinkLink<T>) StageClasses.newInstance(clone, MethodHandles.lookup(), CONSTRUCTOR, writer, coordinator,
                    participant, context, clock, latencySampling);
            } catch (IllegalStateException e) {
                StageClasses.warnUncloned(Writing.class, e);
            }
        }
        return new Writing<>(writer, coordinator, participant, context, clock, latencySampling);
    }

    SinkLink(SinkWriter<T> writer, CheckpointCoordinator coordinator, CheckpointCoordinator.Participant participant,
             TaskContext context, NanoClock clock, int latencySampling) {
        this.sampleMask = latencySampling - 1;
        this.writer = writer;
        this.coordinator = coordinator;
        this.participant = participant;
        this.lastEndedEpoch = coordinator.firstEpoch() - 1;
        this.context = context;
        this.clock = clock;
    }

    @Override
    void onWatermark(long watermarkMs) {
        // A sink has no use for watermarks; nothing is held behind them here.
    }

    @Override
    void onEpoch(long epochId) {
        lastEndedEpoch = epochId;
        wroteSinceEpochEnd = false;
        try {
            writer.endEpoch(epochId);
        } catch (Exception e) {
            throw Sneaky.rethrow(e);
        }
        coordinator.epochEnded(participant, epochId, null, null);
    }

    /**
     * Input ended. Records written after the last barrier (windows flushed at end of input) belong
     * to one more epoch, which this writer ends before finishing so that the sink commits them.
     */
    @Override
    void onEnd(boolean flush) {
        if (wroteSinceEpochEnd) {
            onEpoch(lastEndedEpoch + 1);
        }
        finish();
    }

    /** This writer will write no more; lets the sink commit without it. */
    void finish() {
        coordinator.finished(participant);
    }

    TaskContext context() {
        return context;
    }

    void closeWriter() throws Exception {
        writer.close();
    }

    /** The per-record path: writes, counts, samples the latency. The class a stage clone copies. */
    static final class Writing<T> extends SinkLink<T> {
        /** In a clone the exact class of its writer, else {@link SinkWriter} ({@link StageClasses#target}). */
        static final Class<?> WRITER = StageClasses.target(MethodHandles.lookup(), 1, SinkWriter.class);

        Writing(SinkWriter<T> writer, CheckpointCoordinator coordinator, CheckpointCoordinator.Participant participant,
                TaskContext context, NanoClock clock, int latencySampling) {
            super(writer, coordinator, participant, context, clock, latencySampling);
        }

        @Override
        @SuppressWarnings("unchecked")
        public void emit(T record) {
            try {
                ((SinkWriter<T>) WRITER.cast(writer)).write(record);
            } catch (RuntimeException e) {
                // A sink's failure is no stage's bad record: no error policy upstream may take it for its own.
                throw TaskContext.passThrough(e);
            } catch (Error e) {
                throw e;
            } catch (Exception e) {
                throw new ChainFailure(e);
            }
            recordsOut.lazySet(++written);
            wroteSinceEpochEnd = true;
            if ((written & sampleMask) == 0) {
                recordLatency();
            }
        }

        void recordLatency() {
            long latencyNs = clock.nanoTime() - context.ingestNs;
            latency.recordValue(Math.max(1, Math.min(latencyNs, HIGHEST_TRACKABLE_NS)));
        }
    }
}
