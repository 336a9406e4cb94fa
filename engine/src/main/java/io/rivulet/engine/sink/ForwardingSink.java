package io.rivulet.engine.sink;

import io.rivulet.operators.OutputMode;

import java.util.Objects;

/**
 * A sink that wraps another and hands every lifecycle call to it unchanged: extend it to change only what the
 * wrapper is for (convert records in {@link #createWriter}, time the commits, ...). Every method of {@link Sink}
 * and {@link OutputModeAware} is forwarded here, so that a wrapper cannot silently drop one (a wrapper written
 * by hand that missed {@link #recover} would turn an exactly-once sink into one that loses its in-doubt epochs);
 * a test keeps this class complete when {@link Sink} grows.
 *
 * <p>Thread-safety as the wrapped sink's.
 *
 * @param <T> the records this sink takes
 * @param <U> the records the wrapped sink takes
 */
public abstract class ForwardingSink<T, U> implements Sink<T>, OutputModeAware {
    /** The wrapped sink. */
    protected final Sink<U> delegate;

    /**
     * @param delegate the sink every call goes to
     */
    protected ForwardingSink(Sink<U> delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public String description() {
        return delegate.description();
    }

    @Override
    public void open(String queryName, int numWriters) throws Exception {
        delegate.open(queryName, numWriters);
    }

    @Override
    public void open(String queryName, int numWriters, OutputMode outputMode) throws Exception {
        delegate.open(queryName, numWriters, outputMode);
    }

    @Override
    public void open(String queryName, int numWriters, OutputMode outputMode, boolean microBatch) throws Exception {
        delegate.open(queryName, numWriters, outputMode, microBatch);
    }

    @Override
    public void prepareCommit(long epochId) throws Exception {
        delegate.prepareCommit(epochId);
    }

    @Override
    public void commit(long epochId) throws Exception {
        delegate.commit(epochId);
    }

    @Override
    public void close() throws Exception {
        delegate.close();
    }

    @Override
    public Delivery delivery() {
        return delegate.delivery();
    }

    @Override
    public boolean requiresCheckpointLocation() {
        return delegate.requiresCheckpointLocation();
    }

    @Override
    public void recover(long checkpointedEpoch, long lastCommittedEpoch) throws Exception {
        delegate.recover(checkpointedEpoch, lastCommittedEpoch);
    }

    /**
     * @param mode an output mode
     * @return what the wrapped sink says, or {@code true} when it takes every mode (it is not {@link OutputModeAware})
     */
    @Override
    public boolean supports(OutputMode mode) {
        return !(delegate instanceof OutputModeAware aware) || aware.supports(mode);
    }
}
