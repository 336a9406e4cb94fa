/**
 * What the engine's packages share and users never name; not public API and may change without
 * notice. No public or protected signature of {@code io.rivulet.engine}, {@code .source} or
 * {@code .sink} mentions a type from here ({@code ApiSurfaceTest} checks it).
 *
 * <ul>
 *   <li>{@link io.rivulet.engine.internal.PlanNode}: the logical plan the public {@code Stream} API
 *       builds and the runtime's planner turns into tasks, with
 *       {@link io.rivulet.engine.internal.PlanNode.KeyedKind} for the output-mode rules;</li>
 *   <li>{@link io.rivulet.engine.internal.LongKeyFunction}: the key function of a {@code long}-keyed
 *       stage, which the exchanges carry unboxed;</li>
 *   <li>{@link io.rivulet.engine.internal.QueryOptions}: one query's validated settings;</li>
 *   <li>{@link io.rivulet.engine.internal.OperatorContext}: what a keyed operator's factory learns at
 *       start;</li>
 *   <li>{@link io.rivulet.engine.internal.QueryEvents}: the lifecycle callbacks a running query makes
 *       to its engine's query manager;</li>
 *   <li>{@link io.rivulet.engine.internal.Options}: setting validation and the string options of
 *       sources and sinks;</li>
 *   <li>{@link io.rivulet.engine.internal.ProgressJson}: progress and status as Spark's JSON.</li>
 * </ul>
 *
 * <pre>
 *  Stream / DataStreamWriter ──PlanNode, QueryOptions──► runtime.QueryLauncher ──► tasks
 *  StreamingQueryManager ◄──────────QueryEvents────────── running query
 * </pre>
 */
package io.rivulet.engine.internal;
