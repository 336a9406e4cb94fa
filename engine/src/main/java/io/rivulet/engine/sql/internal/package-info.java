/**
 * Internal, not public API: how rows are laid out in memory.
 * <pre>
 *   PackedRow (the hot-path MutableRow)          GenericRow (RowFactory.create: no schema)
 *     kinds  byte[n]   RowKind per field           values Object[n]
 *     fixed  long[n]   int/bigint/double bits/float bits/boolean/smallint/tinyint/
 *                      timestamp micros/date days: never boxed
 *     refs   Object[n] string/decimal/binary/List/Map/Row
 *     nulls  long[(n+63)/64]  bit i set = field i is null
 * </pre>
 * {@link io.rivulet.engine.sql.internal.Rows} holds the value equality, hash and printing every row shares.
 */
package io.rivulet.engine.sql.internal;
