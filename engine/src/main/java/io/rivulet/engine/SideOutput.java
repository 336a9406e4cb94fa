package io.rivulet.engine;

import io.rivulet.engine.sink.Sink;
import io.rivulet.operators.process.OutputTag;

import java.util.Objects;

/**
 * Where a keyed process function's side output goes: the records it sends with
 * {@code ctx.output(tag, x)} are written to {@code sink}, which commits with the query's epochs (and,
 * with a checkpoint location, recovers with it). See
 * {@link KeyedStream#transformWithState(String, java.util.function.Supplier, SideOutput[])}.
 *
 * @param tag the tag the function emits with
 * @param sink where those records go; one side output per sink
 * @param <X> record type
 */
public record SideOutput<X>(OutputTag<X> tag, Sink<? super X> sink) {
    /**
     * Validates.
     *
     * @param tag the tag
     * @param sink the sink
     */
    public SideOutput {
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(sink, "sink");
    }

    /**
     * @param tag the tag the function emits with
     * @param sink where those records go
     * @param <X> record type
     * @return the side output
     */
    public static <X> SideOutput<X> to(OutputTag<X> tag, Sink<? super X> sink) {
        return new SideOutput<>(tag, sink);
    }
}
