package io.rivulet.engine.sql;

import java.util.Iterator;

/**
 * Spark's Java {@code MapGroupsFunction}: one result from a key and all its values. Only the signature of
 * {@link KeyValueGroupedDataset#mapGroups}, which a stream rejects (as Spark does).
 *
 * @param <K> key type
 * @param <V> value type
 * @param <U> result type
 */
@FunctionalInterface
public interface MapGroupsFunction<K, V, U> {
    /**
     * @param key the group's key
     * @param values the group's values
     * @return the result
     * @throws Exception fails the group
     */
    U call(K key, Iterator<V> values) throws Exception;
}
