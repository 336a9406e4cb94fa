package io.rivulet.engine.runtime;

import org.agrona.concurrent.NoOpIdleStrategy;

import java.util.ArrayList;
import java.util.List;

/**
 * The end of a chain under test: records every record and control signal it receives, in order, as
 * {@code "r:<record>"}, {@code "wm:<ms>"}, {@code "epoch:<id>"} and {@code "end"}.
 */
final class RecordingLink<T> extends Link<T> {
    final List<String> events = new ArrayList<>();

    @Override
    public void emit(T record) {
        events.add("r:" + record);
    }

    @Override
    void onWatermark(long watermarkMs) {
        events.add("wm:" + watermarkMs);
    }

    @Override
    void onEpoch(long epochId) {
        events.add("epoch:" + epochId);
    }

    @Override
    void onEnd(boolean flush) {
        events.add("end");
    }

    /** @return the events so far, and forgets them */
    List<String> take() {
        List<String> taken = List.copyOf(events);
        events.clear();
        return taken;
    }

    /** A keyed head that passes every record on unchanged, ending in {@code link}. */
    static <T> KeyedHead<Object, T, T> passThrough(RecordingLink<T> link) {
        return new KeyedHead<>((key, record, out) -> out.emit(record), link, List.of(),
            new TaskContext(null, "rivulet-test-keyed", new NoOpIdleStrategy()), "keyed", null);
    }
}
