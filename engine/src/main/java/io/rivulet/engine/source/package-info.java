/**
 * Sources: where a query's records come from.
 *
 * <p>A {@link io.rivulet.engine.source.Source} is a validated description with a number of
 * partitions; at start the runtime opens one {@link io.rivulet.engine.source.SourceReader} per
 * partition, each polled by its own source task. A reader never blocks: {@code poll} emits what is
 * available now and returns, so the task can insert epoch barriers and notice a stop on time.
 *
 * <pre>
 *   SourceReader.poll(out) ──► out.emit(record) ──► fused chain (same thread) ──► exchange / sink
 *                        └──► out.emitWatermark(wm)     (in-band control)
 * </pre>
 *
 * <p>Built-in sources are created through {@link io.rivulet.engine.source.Sources}.
 */
package io.rivulet.engine.source;
