package io.rivulet.bench.workload;

/**
 * Accumulates a run's result count and checksum (wrapping {@code long} sum of {@link Checksum} terms).
 *
 * <p>Not thread-safe: keep one per sink instance and {@link #merge(ChecksumAccumulator)} them at the end
 * (the sum is order independent).
 */
public final class ChecksumAccumulator
{
    private long count;
    private long sum;

    /** Creates an empty accumulator. */
    public ChecksumAccumulator()
    {
    }

    /**
     * Records one result.
     *
     * @param h checksum term of the result.
     */
    public void add(final long h)
    {
        count++;
        sum += h;
    }

    /**
     * Adds another accumulator's results to this one.
     *
     * @param other accumulator to merge; not modified.
     */
    public void merge(final ChecksumAccumulator other)
    {
        count += other.count;
        sum += other.sum;
    }

    /** Resets to no results. */
    public void reset()
    {
        count = 0;
        sum = 0;
    }

    /** @return number of results recorded. */
    public long count()
    {
        return count;
    }

    /** @return wrapping sum of the recorded checksum terms. */
    public long sum()
    {
        return sum;
    }

    /** {@inheritDoc} */
    @Override
    public String toString()
    {
        return "ChecksumAccumulator{count=" + count + ", sum=" + sum + '}';
    }
}
