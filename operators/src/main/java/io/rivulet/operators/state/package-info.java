/**
 * State that survives a restart: key groups, codecs and the snapshot contract.
 *
 * <p>Keys hash to a fixed number of key groups ({@link io.rivulet.operators.state.KeyGroups}); each
 * partition of a keyed stage owns a contiguous range of them. A
 * {@link io.rivulet.operators.state.CheckpointedOperator} captures its state at an aligned barrier
 * and writes it per key group, with {@link io.rivulet.operators.state.StateCodec}s (never Java
 * serialization; {@link io.rivulet.operators.state.StateCodecs#dynamic()} where the user gave
 * none), so a checkpoint restores into any partition count:
 *
 * <pre>
 *  barrier e ─► operator.onEpoch(e) ─► operator.snapshotState(e) ─► OperatorSnapshot
 *                                                                       │ writeTo (later, any thread)
 *                                       KeyGroupWriter: key group g ─► SnapshotOutput ─► checkpoint file
 *  restart  ─► fresh operator.restoreKeyGroup(g, SnapshotInput) for g in the partition's range
 * </pre>
 *
 * <p>Keyed state lives in a {@link io.rivulet.operators.state.KeyedStateBackend} (one per operator
 * instance): handles ({@link io.rivulet.operators.state.ValueState},
 * {@link io.rivulet.operators.state.ListState}, {@link io.rivulet.operators.state.MapState},
 * {@link io.rivulet.operators.state.LongValueState}) named by
 * {@link io.rivulet.operators.state.StateDescriptor}s act on the current key; maps are kept per key
 * group and snapshotted copy-on-write; {@link io.rivulet.operators.state.KeyedTimers} are per key
 * group too.
 */
package io.rivulet.operators.state;
