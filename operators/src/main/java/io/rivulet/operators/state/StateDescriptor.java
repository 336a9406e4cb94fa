package io.rivulet.operators.state;

import java.util.Objects;

/**
 * Names a keyed state and says how it is stored: its kind, its codec(s) and an optional
 * {@link StateTtl}. State names are unique per operator; the name is what a snapshot records, so it
 * must stay the same across versions of a query for its state to be restored.
 *
 * <p>Immutable and thread-safe.
 *
 * @param <S> the handle type the descriptor yields
 */
public final class StateDescriptor<S> {
    /** The kinds of keyed state. */
    public enum Kind {
        /** {@link ValueState}. */
        VALUE,
        /** {@link ListState}. */
        LIST,
        /** {@link MapState}. */
        MAP,
        /** {@link LongValueState}. */
        LONG_VALUE
    }

    private final String name;
    private final Kind kind;
    private final StateCodec<?> valueCodec;
    private final StateCodec<?> userKeyCodec;
    private final StateTtl ttl;
    private final long defaultLong;

    private StateDescriptor(String name, Kind kind, StateCodec<?> valueCodec, StateCodec<?> userKeyCodec, StateTtl ttl,
                            long defaultLong) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("state name must be non-empty, got " + (name == null ? "null" : "\"\""));
        }
        this.name = name;
        this.kind = kind;
        this.valueCodec = valueCodec;
        this.userKeyCodec = userKeyCodec;
        this.ttl = ttl;
        this.defaultLong = defaultLong;
    }

    /**
     * @param name the state's name, unique in its operator
     * @param codec writes the values
     * @param <V> value type
     * @return a {@link ValueState} descriptor without TTL
     */
    public static <V> StateDescriptor<ValueState<V>> value(String name, StateCodec<V> codec) {
        return new StateDescriptor<>(name, Kind.VALUE, Objects.requireNonNull(codec, "codec"), null, null, 0);
    }

    /**
     * @param name the state's name, unique in its operator
     * @param codec writes the elements
     * @param <V> element type
     * @return a {@link ListState} descriptor without TTL
     */
    public static <V> StateDescriptor<ListState<V>> list(String name, StateCodec<V> codec) {
        return new StateDescriptor<>(name, Kind.LIST, Objects.requireNonNull(codec, "codec"), null, null, 0);
    }

    /**
     * @param name the state's name, unique in its operator
     * @param userKeyCodec writes the user keys (immutable values with stable {@code equals}/{@code hashCode})
     * @param valueCodec writes the user values
     * @param <UK> user key type
     * @param <UV> user value type
     * @return a {@link MapState} descriptor without TTL
     */
    public static <UK, UV> StateDescriptor<MapState<UK, UV>> map(String name, StateCodec<UK> userKeyCodec,
                                                                 StateCodec<UV> valueCodec) {
        return new StateDescriptor<>(name, Kind.MAP, Objects.requireNonNull(valueCodec, "valueCodec"),
            Objects.requireNonNull(userKeyCodec, "userKeyCodec"), null, 0);
    }

    /**
     * @param name the state's name, unique in its operator
     * @param defaultValue what {@link LongValueState#value()} returns for a key without a value
     * @return a {@link LongValueState} descriptor (no TTL)
     */
    public static StateDescriptor<LongValueState> longValue(String name, long defaultValue) {
        return new StateDescriptor<>(name, Kind.LONG_VALUE, null, null, null, defaultValue);
    }

    /**
     * @param ttl the time to live of each key's entry
     * @return a copy of this descriptor with the TTL
     * @throws IllegalArgumentException for a {@link Kind#LONG_VALUE} state, which has no TTL
     */
    public StateDescriptor<S> withTtl(StateTtl ttl) {
        if (kind == Kind.LONG_VALUE) {
            throw new IllegalArgumentException("state '" + name + "': a LongValueState has no TTL");
        }
        return new StateDescriptor<>(name, kind, valueCodec, userKeyCodec, Objects.requireNonNull(ttl, "ttl"), defaultLong);
    }

    /** @return the state's name */
    public String name() {
        return name;
    }

    /** @return the state's kind */
    public Kind kind() {
        return kind;
    }

    /** @return the value (or element, or user value) codec; {@code null} for {@link Kind#LONG_VALUE} */
    public StateCodec<?> valueCodec() {
        return valueCodec;
    }

    /** @return the user key codec of a {@link Kind#MAP} state, else {@code null} */
    public StateCodec<?> userKeyCodec() {
        return userKeyCodec;
    }

    /** @return the TTL, or {@code null} if entries live until cleared */
    public StateTtl ttl() {
        return ttl;
    }

    /** @return the default value of a {@link Kind#LONG_VALUE} state */
    public long defaultLong() {
        return defaultLong;
    }

    /**
     * @param other another descriptor
     * @return whether both describe the same stored state (kind, codecs by class and description, TTL, default)
     */
    boolean compatibleWith(StateDescriptor<?> other) {
        return kind == other.kind && sameCodec(valueCodec, other.valueCodec) && sameCodec(userKeyCodec, other.userKeyCodec)
            && Objects.equals(ttl, other.ttl) && defaultLong == other.defaultLong;
    }

    private static boolean sameCodec(StateCodec<?> a, StateCodec<?> b) {
        if (a == b) {
            return true;
        }
        return a != null && b != null && a.getClass() == b.getClass() && a.describe().equals(b.describe());
    }

    /** @return a description of the state for error messages */
    String describe() {
        return kind + " state '" + name + "'"
            + (valueCodec == null ? "" : " codec " + valueCodec.describe())
            + (userKeyCodec == null ? "" : " user-key codec " + userKeyCodec.describe())
            + (ttl == null ? "" : " ttl " + ttl);
    }

    @Override
    public String toString() {
        return describe();
    }
}
