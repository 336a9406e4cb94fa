/**
 * Sinks: where a query's results go.
 *
 * <p>A {@link io.rivulet.engine.sink.Sink} gets one {@link io.rivulet.engine.sink.SinkWriter} per
 * task of the query's last stage. Writers see records as they arrive; at each epoch barrier a
 * writer ends its epoch, and once every writer has ended epoch {@code e} the sink commits it.
 * Commits happen in epoch order, one at a time.
 *
 * <pre>
 *   task 0 ─► writer 0 ─ write* ─ endEpoch(e) ─┐
 *   task 1 ─► writer 1 ─ write* ─ endEpoch(e) ─┴─► Sink.commit(e)   (after the last writer)
 * </pre>
 *
 * <p>Built-in sinks are created through {@link io.rivulet.engine.sink.Sinks}.
 */
package io.rivulet.engine.sink;
