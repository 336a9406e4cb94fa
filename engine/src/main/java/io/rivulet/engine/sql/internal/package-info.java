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
 * {@link io.rivulet.engine.sql.internal.Rows} holds the value equality, hash and printing every row shares. A
 * structured aggregation's group state lives here too: an
 * {@link io.rivulet.engine.sql.internal.AggregationBuffer} (flat {@code long} slots plus delegate accumulators) per
 * group, updated by the code {@code AggregationCompiler} generates from a
 * {@link io.rivulet.engine.sql.internal.GroupAggregation}'s slot layout.
 */
package io.rivulet.engine.sql.internal;
