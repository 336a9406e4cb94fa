/**
 * Per-key stateful operators. Records reach them with their key already extracted by the
 * runtime's exchange, and each instance owns the state of the keys routed to its partition. The
 * running aggregations keep it in a {@link io.rivulet.operators.state.KeyedStateBackend}, so it is
 * snapshotted per key group at barriers and restored into any partition count.
 *
 * <pre>
 *   (key, record) ──► backend.setCurrentKey(key) ──► state.value() ──► update ──► emit now   (EVERY_RECORD)
 *                                                                        └──────► emit at barrier (ON_EPOCH,
 *                                                                                 ALL_ON_EPOCH)
 * </pre>
 *
 * <p>{@link io.rivulet.operators.keyed.LongKeyedAggregateOperator} is the primitive path for
 * {@code long} keys and {@code long} state (count, sum, a {@code LongFoldFunction}): the key arrives
 * unboxed ({@link io.rivulet.operators.LongKeyedOperator#processLong}) and lives in an open-addressing
 * {@code long[]} table ({@code LongRunningTable}), snapshotted through an unboxed image
 * ({@code LongSnapshotImage}); nothing is allocated per record.
 */
package io.rivulet.operators.keyed;
