package io.rivulet.operators.state;

/**
 * A contiguous range of key groups, {@code [start, end)}: what one partition owns.
 *
 * @param start first key group
 * @param end one past the last key group; {@code >= start}
 */
public record KeyGroupRange(int start, int end) {
    /**
     * Validates the bounds.
     *
     * @param start first key group
     * @param end one past the last
     */
    public KeyGroupRange {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("invalid key group range [" + start + ", " + end + ")");
        }
    }

    /**
     * @param keyGroup a key group
     * @return whether this range holds it
     */
    public boolean contains(int keyGroup) {
        return keyGroup >= start && keyGroup < end;
    }

    /**
     * @return the number of key groups in the range
     */
    public int size() {
        return end - start;
    }

    @Override
    public String toString() {
        return "[" + start + ", " + end + ")";
    }
}
