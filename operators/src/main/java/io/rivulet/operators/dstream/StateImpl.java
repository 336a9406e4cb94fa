package io.rivulet.operators.dstream;

import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;

/** The one {@link State} a {@link MapWithStateOperator} reuses for every call. Owner thread only. */
final class StateImpl<S> implements State<S> {
    private S value;
    private boolean exists;
    private boolean updated;
    private boolean removed;
    private boolean timingOut;

    void reset(S value, boolean timingOut) {
        this.value = value;
        this.exists = value != null;
        this.updated = false;
        this.removed = false;
        this.timingOut = timingOut;
    }

    @Override
    public boolean exists() {
        return exists;
    }

    @Override
    public S get() {
        if (!exists) {
            throw new NoSuchElementException("State is not set");
        }
        return value;
    }

    @Override
    public Optional<S> getOption() {
        return exists ? Optional.of(value) : Optional.empty();
    }

    @Override
    public void update(S newState) {
        Objects.requireNonNull(newState, "newState");
        if (removed) {
            throw new IllegalArgumentException("Cannot update the state after it has been removed");
        }
        if (timingOut) {
            throw new IllegalArgumentException("Cannot update the state that is timing out");
        }
        value = newState;
        exists = true;
        updated = true;
    }

    @Override
    public void remove() {
        if (timingOut) {
            throw new IllegalArgumentException("Cannot remove the state that is timing out");
        }
        if (removed) {
            throw new IllegalArgumentException("Cannot remove the state that has already been removed");
        }
        value = null;
        exists = false;
        removed = true;
    }

    @Override
    public boolean isTimingOut() {
        return timingOut;
    }

    boolean isUpdated() {
        return updated;
    }

    boolean isRemoved() {
        return removed;
    }

    S valueOrNull() {
        return value;
    }

    /** Drops the reference to the user's state after the call. */
    void clear() {
        value = null;
        exists = false;
    }
}
