/**
 * Per-key stateful operators. Records reach them with their key already extracted by the
 * runtime's exchange, and each instance owns the state of the keys routed to its partition.
 *
 * <pre>
 *   (key, record) ──► state.get(key) ──► update ──► emit now        (EmitPolicy.EVERY_RECORD)
 *                                          └──────► emit at barrier  (EmitPolicy.ON_EPOCH)
 * </pre>
 */
package io.rivulet.operators.keyed;
