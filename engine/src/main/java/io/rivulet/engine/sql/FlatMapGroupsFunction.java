package io.rivulet.engine.sql;

import java.util.Iterator;

/**
 * Spark's Java {@code FlatMapGroupsFunction}: any number of results from a key and all its values. Only the signature
 * of {@link KeyValueGroupedDataset#flatMapGroups}, which a stream rejects (as Spark does).
 *
 * @param <K> key type
 * @param <V> value type
 * @param <U> result type
 */
@FunctionalInterface
public interface FlatMapGroupsFunction<K, V, U> {
    /**
     * @param key the group's key
     * @param values the group's values
     * @return the results
     * @throws Exception fails the group
     */
    Iterator<U> call(K key, Iterator<V> values) throws Exception;
}
