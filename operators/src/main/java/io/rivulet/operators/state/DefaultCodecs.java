package io.rivulet.operators.state;

/**
 * The codec operators use for keys and state when the query gave none.
 *
 * <p>For now a minimal self-describing (tagged) codec of {@code Long}, {@code Integer},
 * {@code Double}, {@code String}, {@code Boolean}, {@code long[]}, {@code double[]} and
 * {@code Object[]} of those (nested). It is meant to be replaced by {@code StateCodecs.dynamic()}:
 * this method is the single place operators take their default codec from.
 *
 * <p>Stateless and thread-safe.
 */
public final class DefaultCodecs {
    private static final StateCodec<Object> TAGGED = new Tagged();

    private DefaultCodecs() {
    }

    /**
     * @param <T> the value type
     * @return the default codec: writes any supported value with a type tag
     */
    @SuppressWarnings("unchecked")
    public static <T> StateCodec<T> defaultCodec() {
        return (StateCodec<T>) TAGGED;
    }

    private static final class Tagged implements StateCodec<Object> {
        private static final byte LONG = 1;
        private static final byte INT = 2;
        private static final byte DOUBLE = 3;
        private static final byte STRING = 4;
        private static final byte BOOLEAN = 5;
        private static final byte LONGS = 6;
        private static final byte DOUBLES = 7;
        private static final byte OBJECTS = 8;
        private static final byte NULL = 9;

        @Override
        public void write(Object value, SnapshotOutput out) {
            if (value == null) {
                out.writeByte(NULL);
            } else if (value instanceof Long v) {
                out.writeByte(LONG).writeLong(v);
            } else if (value instanceof Integer v) {
                out.writeByte(INT).writeInt(v);
            } else if (value instanceof Double v) {
                out.writeByte(DOUBLE).writeDouble(v);
            } else if (value instanceof String v) {
                out.writeByte(STRING).writeString(v);
            } else if (value instanceof Boolean v) {
                out.writeByte(BOOLEAN).writeBoolean(v);
            } else if (value instanceof long[] v) {
                out.writeByte(LONGS).writeVarInt(v.length);
                for (long x : v) {
                    out.writeLong(x);
                }
            } else if (value instanceof double[] v) {
                out.writeByte(DOUBLES).writeVarInt(v.length);
                for (double x : v) {
                    out.writeDouble(x);
                }
            } else if (value instanceof Object[] v) {
                out.writeByte(OBJECTS).writeVarInt(v.length);
                for (Object x : v) {
                    write(x, out);
                }
            } else {
                throw new IllegalArgumentException("the default state codec cannot write a " + value.getClass().getName()
                    + ": give the operator a StateCodec for it");
            }
        }

        @Override
        public Object read(SnapshotInput in) {
            byte tag = in.readByte();
            switch (tag) {
                case NULL:
                    return null;
                case LONG:
                    return in.readLong();
                case INT:
                    return in.readInt();
                case DOUBLE:
                    return in.readDouble();
                case STRING:
                    return in.readString();
                case BOOLEAN:
                    return in.readBoolean();
                case LONGS: {
                    long[] v = new long[in.readVarInt()];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = in.readLong();
                    }
                    return v;
                }
                case DOUBLES: {
                    double[] v = new double[in.readVarInt()];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = in.readDouble();
                    }
                    return v;
                }
                case OBJECTS: {
                    Object[] v = new Object[in.readVarInt()];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = read(in);
                    }
                    return v;
                }
                default:
                    throw new StateFormatException("default codec: unknown type tag " + tag);
            }
        }

        @Override
        public Object copy(Object value) {
            if (value instanceof long[] v) {
                return v.clone();
            }
            if (value instanceof double[] v) {
                return v.clone();
            }
            if (value instanceof Object[] v) {
                Object[] copy = v.clone();
                for (int i = 0; i < copy.length; i++) {
                    copy[i] = copy(copy[i]);
                }
                return copy;
            }
            return value;
        }

        @Override
        public String describe() {
            return "default(tagged)";
        }

        @Override
        public String toString() {
            return describe();
        }
    }
}
