package io.rivulet.operators.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Built-in {@link StateCodec}s: fixed-width ones for the common types, {@link #dynamic()} for values
 * of any supported type (the default where the user gave no codec), and typed helpers that build a
 * codec for one record or enum class, nullable values, lists and primitive arrays.
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

    /**
     * The self-describing codec used wherever the user gave none (keys of any type, aggregate
     * accumulators): a tag byte per value, then its payload. Handles {@code null}, boxed primitives,
     * {@code String}, {@code byte[]}/{@code long[]}/{@code int[]}/{@code double[]}/{@code boolean[]},
     * {@code Object[]} (with its component class), {@code List}/{@code Set}/{@code Map} (read back as
     * {@code ArrayList}/{@code LinkedHashSet}/{@code LinkedHashMap}), enums (class and name), records
     * (class and components, through the canonical constructor), {@code Instant} and
     * {@code Duration}, nested to any depth up to 64. As a fallback, an object of another class with
     * a no-arg constructor is written field by field (non-static, non-transient fields, by
     * reflection: a class in a named module must be opened with {@code --add-opens}). A class is
     * written by name once per {@link SnapshotOutput} and by a small id after that, so a block must be
     * read from its start.
     *
     * <p>A value it cannot write (a lambda, a {@code Thread}, a class without a no-arg constructor)
     * fails at write time with an {@link IllegalArgumentException} naming its class; a class the
     * snapshot names that is missing on restore fails with a {@link StateFormatException} naming it.
     * {@link StateCodec#copy} returns a deep copy (immutable values themselves).
     *
     * @param <T> the static type the caller holds values as (the codec itself accepts any supported value)
     * @return the dynamic codec; {@link StateCodec#describe()} is {@code dynamic}
     */
    @SuppressWarnings("unchecked")
    public static <T> StateCodec<T> dynamic() {
        return (StateCodec<T>) DynamicCodec.INSTANCE;
    }

    /**
     * A codec of one record class: its components in order, each written as {@link #dynamic()}
     * writes it, without the record's class (one byte of tag per component).
     *
     * @param type the record class
     * @param <R> the record type
     * @return the codec; describes itself as {@code record(<class name>)}
     * @throws IllegalArgumentException if {@code type} is not a record class, or its members cannot be
     *     reached by reflection
     */
    public static <R extends Record> StateCodec<R> record(Class<R> type) {
        if (!Objects.requireNonNull(type, "type").isRecord()) {
            throw new IllegalArgumentException("type " + type.getName() + " is not a record class");
        }
        DynamicCodec.RecordShape shape = DynamicCodec.recordShape(type);
        String name = "record(" + type.getName() + ")";
        return new StateCodec<>() {
            @Override
            public void write(R value, SnapshotOutput out) {
                DynamicCodec.INSTANCE.writeComponents(Objects.requireNonNull(value, "value"), shape, out, 1);
            }

            @Override
            public R read(SnapshotInput in) {
                return type.cast(DynamicCodec.INSTANCE.readComponents(in, type, shape, 1));
            }

            @Override
            public R copy(R value) {
                return type.cast(DynamicCodec.INSTANCE.copyComponents(value, shape, 1));
            }

            @Override
            public String describe() {
                return name;
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    /**
     * A codec of one enum's constants, by name (so reordering the constants keeps old snapshots
     * readable; renaming one does not).
     *
     * @param type the enum class
     * @param <E> the enum type
     * @return the codec; describes itself as {@code enum(<class name>)}
     */
    public static <E extends Enum<E>> StateCodec<E> enumOf(Class<E> type) {
        Objects.requireNonNull(type, "type");
        return new Simple<>("enum(" + type.getName() + ")") {
            @Override
            public void write(E value, SnapshotOutput out) {
                out.writeString(value.name());
            }

            @Override
            public E read(SnapshotInput in) {
                return type.cast(DynamicCodec.enumConstant(type, in.readString()));
            }
        };
    }

    /**
     * A codec that accepts {@code null} as well as every value {@code codec} accepts: a presence byte,
     * then the value.
     *
     * @param codec the codec of non-null values
     * @param <T> value type
     * @return the codec; describes itself as {@code nullable(<codec>)}
     */
    public static <T> StateCodec<T> nullable(StateCodec<T> codec) {
        Objects.requireNonNull(codec, "codec");
        String name = "nullable(" + codec.describe() + ")";
        return new StateCodec<>() {
            @Override
            public void write(T value, SnapshotOutput out) {
                out.writeBoolean(value != null);
                if (value != null) {
                    codec.write(value, out);
                }
            }

            @Override
            public T read(SnapshotInput in) {
                return in.readBoolean() ? codec.read(in) : null;
            }

            @Override
            public T copy(T value) {
                return value == null ? null : codec.copy(value);
            }

            @Override
            public String describe() {
                return name;
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    /**
     * A codec of lists: the size, then each element with {@code elements}; read back as an
     * {@code ArrayList}.
     *
     * @param elements the codec of the elements
     * @param <T> element type
     * @return the codec; describes itself as {@code list(<codec>)}
     */
    public static <T> StateCodec<List<T>> listOf(StateCodec<T> elements) {
        Objects.requireNonNull(elements, "elements");
        String name = "list(" + elements.describe() + ")";
        return new StateCodec<>() {
            @Override
            public void write(List<T> value, SnapshotOutput out) {
                int size = value.size();
                out.writeVarInt(size);
                for (int i = 0; i < size; i++) {
                    elements.write(value.get(i), out);
                }
            }

            @Override
            public List<T> read(SnapshotInput in) {
                int size = in.readVarInt();
                if (size > in.remaining()) {
                    throw new StateFormatException("list of " + size + " elements in " + in.remaining() + " bytes");
                }
                ArrayList<T> list = new ArrayList<>(size);
                for (int i = 0; i < size; i++) {
                    list.add(elements.read(in));
                }
                return list;
            }

            @Override
            public List<T> copy(List<T> value) {
                ArrayList<T> list = new ArrayList<>(value.size());
                for (int i = 0, n = value.size(); i < n; i++) {
                    list.add(elements.copy(value.get(i)));
                }
                return list;
            }

            @Override
            public String describe() {
                return name;
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    /** @return a codec of non-null {@code long[]}: length and values; {@code copy} clones */
    public static StateCodec<long[]> longArrays() {
        return LONG_ARRAYS;
    }

    /** @return a codec of non-null {@code double[]}: length and values; {@code copy} clones */
    public static StateCodec<double[]> doubleArrays() {
        return DOUBLE_ARRAYS;
    }

    private static final StateCodec<long[]> LONG_ARRAYS = new StateCodec<>() {
        @Override
        public void write(long[] value, SnapshotOutput out) {
            out.writeVarInt(value.length);
            for (long v : value) {
                out.writeLong(v);
            }
        }

        @Override
        public long[] read(SnapshotInput in) {
            int length = in.readVarInt();
            if (length > in.remaining() / 8) {
                throw new StateFormatException("long[" + length + "] in " + in.remaining() + " bytes");
            }
            long[] value = new long[length];
            for (int i = 0; i < length; i++) {
                value[i] = in.readLong();
            }
            return value;
        }

        @Override
        public long[] copy(long[] value) {
            return value.clone();
        }

        @Override
        public String describe() {
            return "long[]";
        }
    };

    private static final StateCodec<double[]> DOUBLE_ARRAYS = new StateCodec<>() {
        @Override
        public void write(double[] value, SnapshotOutput out) {
            out.writeVarInt(value.length);
            for (double v : value) {
                out.writeDouble(v);
            }
        }

        @Override
        public double[] read(SnapshotInput in) {
            int length = in.readVarInt();
            if (length > in.remaining() / 8) {
                throw new StateFormatException("double[" + length + "] in " + in.remaining() + " bytes");
            }
            double[] value = new double[length];
            for (int i = 0; i < length; i++) {
                value[i] = in.readDouble();
            }
            return value;
        }

        @Override
        public double[] copy(double[] value) {
            return value.clone();
        }

        @Override
        public String describe() {
            return "double[]";
        }
    };

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
