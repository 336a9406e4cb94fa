/**
 * Spark SQL's data types and schemas, with Spark's names, printed forms and semantics: the vocabulary of the
 * structured API.
 * <pre>
 *               DataType (sealed; every instance immutable)
 *   atomic singletons: StringType IntegerType LongType DoubleType FloatType BooleanType
 *                      ShortType ByteType TimestampType DateType BinaryType NullType
 *   parameterised:     DecimalType(p, s)  ArrayType(element, containsNull)
 *                      MapType(key, value, valueContainsNull)  StructType(StructField...)
 * </pre>
 * {@link io.rivulet.engine.types.DataTypes} holds the singletons and factories under Spark's Java names;
 * {@link io.rivulet.engine.types.StructType#fromDDL(String)} and
 * {@link io.rivulet.engine.types.DataType#fromDDL(String)} parse Spark's DDL
 * ({@code "id INT, ts TIMESTAMP, tags ARRAY<STRING>"}) with the generated parser in
 * {@code io.rivulet.engine.sql.parser}. Rows carrying values of these types are in {@code io.rivulet.engine.sql}.
 */
package io.rivulet.engine.types;
