package io.rivulet.engine;

import io.rivulet.operators.groupstate.GroupStateTimeout;
import io.rivulet.operators.state.StateCodec;
import io.rivulet.operators.state.StateCodecs;

import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * How a {@link KeyedStream#mapGroupsWithState} / {@link KeyedStream#flatMapGroupsWithState} runs:
 * its timeout kind, the codec its state is checkpointed with and the event time that decides which rows
 * are late. Late rows go to the keyed stream's {@link KeyedStream#lateData} sink, if it has one.
 * Spark's initial state is not an option here (it is typed by the key, which these options are not):
 * pass it to {@link KeyedStream#mapGroupsWithState(GroupStateOptions, java.util.Map, io.rivulet.operators.groupstate.MapGroupsWithStateFunction)}
 * or the matching {@code flatMapGroupsWithState} overload.
 *
 * <p>Immutable and thread-safe; each {@code with…} method returns a copy.
 *
 * @param <T> input record type
 * @param <S> state type
 */
public final class GroupStateOptions<T, S> {
    private final GroupStateTimeout timeout;
    private final StateCodec<S> stateCodec;
    private final ToLongFunction<? super T> eventTimeMs;

    private GroupStateOptions(GroupStateTimeout timeout, StateCodec<S> stateCodec, ToLongFunction<? super T> eventTimeMs) {
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.stateCodec = Objects.requireNonNull(stateCodec, "stateCodec");
        this.eventTimeMs = eventTimeMs;
    }

    /**
     * Options with a timeout kind, state written with {@link StateCodecs#dynamic()}, the event time of
     * the {@code withWatermark} the keyed records come straight from (filters may come between), if any.
     *
     * @param timeout the timeout kind
     * @param <T> input record type
     * @param <S> state type
     * @return the options
     */
    public static <T, S> GroupStateOptions<T, S> of(GroupStateTimeout timeout) {
        return new GroupStateOptions<>(timeout, StateCodecs.dynamic(), null);
    }

    /**
     * @param stateCodec writes the state values into checkpoints (e.g. {@link StateCodecs#record(Class)})
     * @return a copy with it
     */
    public GroupStateOptions<T, S> withStateCodec(StateCodec<S> stateCodec) {
        return new GroupStateOptions<>(timeout, stateCodec, eventTimeMs);
    }

    /**
     * The event time of a row, epoch ms: a row at or behind the watermark is late and never reaches the
     * function (Spark filters on the watermark column). Needed only when the stream between
     * {@code withWatermark} and {@code keyBy} holds an operator other than {@code filter}; otherwise the watermark's own
     * event time is used.
     *
     * @param eventTimeMs a record's event time
     * @return a copy with it
     */
    public GroupStateOptions<T, S> withEventTime(ToLongFunction<? super T> eventTimeMs) {
        return new GroupStateOptions<>(timeout, stateCodec, Objects.requireNonNull(eventTimeMs, "eventTimeMs"));
    }

    /** @return the timeout kind */
    GroupStateTimeout timeout() {
        return timeout;
    }

    /** @return the state codec */
    StateCodec<S> stateCodec() {
        return stateCodec;
    }

    /** @return a row's event time, or {@code null} for the watermark's own */
    ToLongFunction<? super T> eventTimeMs() {
        return eventTimeMs;
    }
}
