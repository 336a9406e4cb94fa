package io.rivulet.bench.jmh;

import io.rivulet.engine.source.SourceContext;

/**
 * The context a benchmark hands a source reader it drives by hand: partition 0 of 1, query "bench", a clock
 * that stands still (nano time 0, wall time 2023-11-14). Benchmarks extend it with the output that checks what
 * the reader emits. Not thread-safe; one per benchmark thread.
 */
abstract class SingleReaderContext implements SourceContext
{
    @Override
    public int partition()
    {
        return 0;
    }

    @Override
    public int numPartitions()
    {
        return 1;
    }

    @Override
    public String queryName()
    {
        return "bench";
    }

    @Override
    public long nanoTime()
    {
        return 0;
    }

    @Override
    public long epochMillis()
    {
        return 1_700_000_000_000L;
    }
}
