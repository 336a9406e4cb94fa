package io.rivulet.operators.state;

/**
 * How keys map to key groups, and key groups to partitions.
 *
 * <p>A key hashes to one of {@code maxParallelism} key groups; partition {@code p} of a stage with
 * {@code parallelism} partitions owns a contiguous range of key groups ({@link #rangeOf}). State is
 * snapshotted per key group, so a checkpoint taken with one partition count restores into another:
 * each new partition loads the key groups of its range. The key group of a key must be the same in
 * every JVM, so the hash is stable: {@code hashCode()} of the key, except that an enum hashes by its
 * name (an enum's {@code hashCode()} is its identity hash, different in each run), spread by
 * Murmur3's finaliser. Keys whose {@code hashCode()} is an identity hash (a class that does not
 * override it, or a record holding such a value or an enum) are not stable; restore detects them
 * ({@link #checkRestoredKey}).
 *
 * <p>Stateless and thread-safe.
 */
public final class KeyGroups {
    /** The default number of key groups: the most partitions a stage can be rescaled to. */
    public static final int DEFAULT_MAX_PARALLELISM = 128;
    /** The largest number of key groups allowed. */
    public static final int UPPER_BOUND_MAX_PARALLELISM = 1 << 15;

    private KeyGroups() {
    }

    /**
     * @param key a key; never {@code null}
     * @param maxParallelism the number of key groups
     * @return the key's group, in {@code [0, maxParallelism)}
     */
    public static int keyGroupOf(Object key, int maxParallelism) {
        return keyGroupOfHash(stableHash(key), maxParallelism);
    }

    /**
     * The key group of a {@code long} key: the same as {@code keyGroupOf(Long.valueOf(key), ...)}.
     *
     * @param key a key
     * @param maxParallelism the number of key groups
     * @return the key's group, in {@code [0, maxParallelism)}
     */
    public static int keyGroupOf(long key, int maxParallelism) {
        return keyGroupOfHash(Long.hashCode(key), maxParallelism);
    }

    /**
     * @param hash a key's {@link #stableHash}
     * @param maxParallelism the number of key groups
     * @return the key group of that hash
     */
    public static int keyGroupOfHash(int hash, int maxParallelism) {
        return (fmix(hash) & Integer.MAX_VALUE) % maxParallelism;
    }

    /**
     * @param key a key
     * @return its hash as used for key groups: {@code hashCode()}, or the name's for an enum
     */
    public static int stableHash(Object key) {
        if (key instanceof Enum<?> e) {
            return e.name().hashCode();
        }
        return key.hashCode();
    }

    /**
     * @param keyGroup a key group
     * @param maxParallelism the number of key groups
     * @param parallelism the stage's partition count, {@code 1..maxParallelism}
     * @return the partition that owns the key group
     */
    public static int partitionOf(int keyGroup, int maxParallelism, int parallelism) {
        return (int) ((long) keyGroup * parallelism / maxParallelism);
    }

    /**
     * @param partition a partition, {@code 0..parallelism-1}
     * @param maxParallelism the number of key groups
     * @param parallelism the stage's partition count, {@code 1..maxParallelism}
     * @return the key groups the partition owns: exactly those {@code g} with
     *     {@code partitionOf(g, maxParallelism, parallelism) == partition}
     */
    public static KeyGroupRange rangeOf(int partition, int maxParallelism, int parallelism) {
        checkParallelism(parallelism, maxParallelism);
        if (partition < 0 || partition >= parallelism) {
            throw new IllegalArgumentException("partition " + partition + " is outside 0.." + (parallelism - 1));
        }
        int start = (int) (((long) partition * maxParallelism + parallelism - 1) / parallelism);
        int end = (int) (((long) (partition + 1) * maxParallelism + parallelism - 1) / parallelism);
        return new KeyGroupRange(start, end);
    }

    /**
     * A table from key group to partition, for routing without a division per record.
     *
     * @param maxParallelism the number of key groups
     * @param parallelism the stage's partition count
     * @return {@code table[g] == partitionOf(g, maxParallelism, parallelism)}
     */
    public static int[] partitionTable(int maxParallelism, int parallelism) {
        checkParallelism(parallelism, maxParallelism);
        int[] table = new int[maxParallelism];
        for (int g = 0; g < maxParallelism; g++) {
            table[g] = partitionOf(g, maxParallelism, parallelism);
        }
        return table;
    }

    /**
     * Validates a max parallelism setting.
     *
     * @param maxParallelism the number of key groups
     * @return it
     * @throws IllegalArgumentException naming the rule
     */
    public static int checkMaxParallelism(int maxParallelism) {
        if (maxParallelism < 1 || maxParallelism > UPPER_BOUND_MAX_PARALLELISM) {
            throw new IllegalArgumentException("maxParallelism must be in 1.." + UPPER_BOUND_MAX_PARALLELISM
                + ", got " + maxParallelism);
        }
        return maxParallelism;
    }

    /**
     * Validates a stage's partition count against the max parallelism.
     *
     * @param parallelism the partition count
     * @param maxParallelism the number of key groups
     * @throws IllegalArgumentException naming the rule
     */
    public static void checkParallelism(int parallelism, int maxParallelism) {
        checkMaxParallelism(maxParallelism);
        if (parallelism < 1 || parallelism > maxParallelism) {
            throw new IllegalArgumentException("partitions (" + parallelism + ") must be in 1..maxParallelism ("
                + maxParallelism + "): state is kept in maxParallelism key groups, each owned by one partition");
        }
    }

    /**
     * Checks that a key read from a snapshot of key group {@code keyGroup} still hashes to it.
     *
     * @param key the restored key
     * @param keyGroup the key group it was snapshotted in
     * @param maxParallelism the number of key groups
     * @throws IllegalStateException if the key's hash changed between runs (an identity hash)
     */
    public static void checkRestoredKey(Object key, int keyGroup, int maxParallelism) {
        int now = keyGroupOf(key, maxParallelism);
        if (now != keyGroup) {
            throw new IllegalStateException("key " + key + " of " + key.getClass().getName() + " was saved in key group "
                + keyGroup + " but hashes to key group " + now + " in this run: its hashCode() is not stable across"
                + " JVM runs (an identity hash, or a record holding an enum or an object without hashCode());"
                + " key by a String, a number or a record of those");
        }
    }

    private static int fmix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
