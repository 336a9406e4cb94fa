package io.rivulet.engine.sink;

/**
 * Writes the records of one task of the query's last stage.
 *
 * <p>Not thread-safe; owned by that task's thread. A writer that cannot keep up simply takes its
 * time in {@link #write}: the rings upstream fill and the sources stall (nothing is dropped).
 *
 * @param <T> record type
 */
public interface SinkWriter<T> {
    /**
     * Writes one record of the current epoch.
     *
     * @param record the record; never {@code null}
     * @throws Exception fails the query
     */
    void write(T record) throws Exception;

    /**
     * Ends epoch {@code epochId} on this writer: every record of the epoch has been written. The
     * sink's {@link Sink#commit} for the epoch follows once every writer has ended it.
     *
     * @param epochId the epoch that ends
     * @throws Exception fails the query
     */
    default void endEpoch(long epochId) throws Exception {
    }

    /**
     * Releases the writer. Called once, on the owning thread, when its task ends for any reason.
     *
     * @throws Exception reported, but does not hide an earlier failure
     */
    default void close() throws Exception {
    }
}
