/**
 * Checkpoint storage: the files in a query's {@code checkpointLocation} that let it restart exactly
 * once. Internal: not API; the checkpoint coordinator is its only caller, on its own thread.
 *
 * <pre>
 *  checkpointLocation/
 *    metadata            query id, format version, maxParallelism, stateful plan fingerprint (first start)
 *    lock                held by the open CheckpointStorage: one query per location
 *    offsets/&lt;e&gt;          manifest of the checkpoint of epoch e; the checkpoint is complete once it is in place
 *    commits/&lt;e&gt;          the sink committed epoch e
 *    state/&lt;e&gt;-&lt;id&gt;.state  the key group and operator state blocks checkpoint e wrote
 *
 *  coordinator:  begin(e) ─► putKeyGroup / reuseKeyGroup / putOperatorState / putSourcePosition / putProperty
 *                        ─► complete(): state file (force, rename, dir force) ─► offsets/e (same)
 *                ─► Sink.commit(e) ─► commit(e): commits/e ─► retain(minBatchesToRetain)
 * </pre>
 *
 * <p><b>Why one state file per checkpoint.</b> With 128 key groups, several operators and an epoch
 * every 10 ms, a file per key group would mean hundreds of files, forces and renames per epoch, and
 * a file per (operator, partition) still one force per partition. A checkpoint instead appends every
 * block it writes, in the order they come, to one file through a 1 MB staging buffer, and forces it
 * once: a checkpoint costs two file forces (state file, manifest) and two directory forces whatever
 * its shape. The manifest locates each key group as (file, offset, length, CRC32C), so a key group
 * that did not change is not written again: the new manifest points into the older file
 * ({@link io.rivulet.engine.internal.checkpoint.CheckpointBuilder#reuseKeyGroup}). The price of a
 * coarse file is that one live block keeps a whole file; compaction bounds it: a file the new
 * checkpoint would keep for less than half its bytes has those blocks copied into the new file. A
 * state file is deleted by {@link io.rivulet.engine.internal.checkpoint.CheckpointStorage#retain}
 * once no retained manifest references it (a "still referenced" check over the retained manifests,
 * which the storage keeps parsed: no reference counts to get wrong after a crash).
 *
 * <p><b>Damage.</b> Every file is checksummed (CRC32C: small files as a whole, state files per
 * header and per block) and written atomically (temporary file, force, atomic rename, directory
 * force). Loading verifies the newest checkpoint's manifest and every block it references, and falls
 * back to the previous complete checkpoint, saying why, when one does not verify; it never returns a
 * checkpoint it has not fully verified.
 */
package io.rivulet.engine.internal.checkpoint;
