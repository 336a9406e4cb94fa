package io.rivulet.operators.state;

/**
 * Built-in {@link StateCodec}s.
 *
 * <p>All are immutable and thread-safe.
 */
public final class StateCodecs {
    private static final StateCodec<Long> LONGS = new Simple<>("long") {
        @Override
        public void write(Long value, SnapshotOutput out) {
            out.writeLong(value);
        }

        @Override
        public Long read(SnapshotInput in) {
            return in.readLong();
        }
    };
    private static final StateCodec<Integer> INTS = new Simple<>("int") {
        @Override
        public void write(Integer value, SnapshotOutput out) {
            out.writeInt(value);
        }

        @Override
        public Integer read(SnapshotInput in) {
            return in.readInt();
        }
    };
    private static final StateCodec<Double> DOUBLES = new Simple<>("double") {
        @Override
        public void write(Double value, SnapshotOutput out) {
            out.writeDouble(value);
        }

        @Override
        public Double read(SnapshotInput in) {
            return in.readDouble();
        }
    };
    private static final StateCodec<Boolean> BOOLEANS = new Simple<>("boolean") {
        @Override
        public void write(Boolean value, SnapshotOutput out) {
            out.writeBoolean(value);
        }

        @Override
        public Boolean read(SnapshotInput in) {
            return in.readBoolean();
        }
    };
    private static final StateCodec<String> STRINGS = new Simple<>("string") {
        @Override
        public void write(String value, SnapshotOutput out) {
            out.writeString(value);
        }

        @Override
        public String read(SnapshotInput in) {
            return in.readString();
        }
    };

    private StateCodecs() {
    }

    /** @return a codec of non-null {@code Long}s */
    public static StateCodec<Long> longs() {
        return LONGS;
    }

    /** @return a codec of non-null {@code Integer}s */
    public static StateCodec<Integer> ints() {
        return INTS;
    }

    /** @return a codec of non-null {@code Double}s */
    public static StateCodec<Double> doubles() {
        return DOUBLES;
    }

    /** @return a codec of non-null {@code Boolean}s */
    public static StateCodec<Boolean> booleans() {
        return BOOLEANS;
    }

    /** @return a codec of non-null {@code String}s (UTF-8) */
    public static StateCodec<String> strings() {
        return STRINGS;
    }

    /** Codecs of immutable values: {@link #copy} returns the value. */
    private abstract static class Simple<T> implements StateCodec<T> {
        private final String name;

        Simple(String name) {
            this.name = name;
        }

        @Override
        public T copy(T value) {
            return value;
        }

        @Override
        public String describe() {
            return name;
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
