package io.rivulet.engine.source;

/**
 * What a source partition knows about where it runs. Clock values are read once per duty cycle of
 * the source task and cached, so a reader sees the same time throughout one {@code poll}.
 *
 * <p>Not thread-safe; owned by the partition's source task.
 */
public interface SourceContext {
    /**
     * @return the partition this reader reads, from 0
     */
    int partition();

    /**
     * @return the number of partitions of the source
     */
    int numPartitions();

    /**
     * @return the name of the query reading the source
     */
    String queryName();

    /**
     * @return monotonic time in nanoseconds, as of the current duty cycle
     */
    long nanoTime();

    /**
     * @return wall-clock time in epoch milliseconds, as of the current duty cycle
     */
    long epochMillis();
}
