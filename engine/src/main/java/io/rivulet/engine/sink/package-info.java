/**
 * Sinks: where a query's results go.
 *
 * <p>A {@link io.rivulet.engine.sink.Sink} gets one {@link io.rivulet.engine.sink.SinkWriter} per
 * task of the query's last stage. Writers see records as they arrive; at each epoch barrier a
 * writer ends its epoch, and once every writer has ended epoch {@code e} the sink makes it
 * durable ({@code prepareCommit}: where disk forces belong, off the writers' data threads), the
 * epoch's checkpoint is written, and the sink commits it. Prepares and commits happen in epoch
 * order, one at a time, on the query's checkpoint thread (or the micro-batch driver).
 *
 * <pre>
 *   task 0 ─► writer 0 ─ write* ─ endEpoch(e) ─┐
 *   task 1 ─► writer 1 ─ write* ─ endEpoch(e) ─┴─► Sink.prepareCommit(e) ─► checkpoint e ─► Sink.commit(e)
 * </pre>
 *
 * <p>Built-in sinks are created through {@link io.rivulet.engine.sink.Sinks}.
 */
package io.rivulet.engine.sink;
