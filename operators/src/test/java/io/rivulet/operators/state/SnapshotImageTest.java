package io.rivulet.operators.state;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SnapshotImageTest {
    private final SnapshotImage<String, Long> image = new SnapshotImage<>((slot, key, value, out) ->
        out.writeLong(slot).writeString(key).writeLong(value));

    /** Reads back every (slot, key, value) written, sorted, as "slot/key=value". */
    private static List<String> written(OperatorSnapshot snapshot) {
        KeyGroupBuffers buffers = KeyGroupBuffers.all(128);
        snapshot.writeTo(buffers);
        List<String> entries = new ArrayList<>();
        for (int g = 0; g < 128; g++) {
            byte[] bytes = buffers.keyGroupBytes(g);
            if (bytes == null) {
                continue;
            }
            SnapshotInput in = new SnapshotInput(bytes);
            while (in.hasRemaining()) {
                entries.add(in.readLong() + "/" + in.readString() + "=" + in.readLong());
            }
        }
        entries.sort(null);
        return entries;
    }

    @Test
    void shouldAskForTheWholeStateFirstThenOnlyForChanges() {
        assertThat(image.isTracking()).isFalse();
        SnapshotImage.Delta<String, Long> first = image.delta(0);
        assertThat(first.isFull()).isTrue();
        OperatorSnapshot s0 = first.put(1, "a", 1L).put(1, "b", 2L).put(2, "a", 3L).snapshot(w -> { });
        assertThat(image.isTracking()).isTrue();
        SnapshotImage.Delta<String, Long> second = image.delta(1);
        assertThat(second.isFull()).isFalse();
        OperatorSnapshot s1 = second.put(1, "b", 20L).snapshot(w -> { });
        assertThat(written(s0)).containsExactly("1/a=1", "1/b=2", "2/a=3");
        assertThat(written(s1)).containsExactly("1/a=1", "1/b=20", "2/a=3");
    }

    @Test
    void shouldApplyTheDeltasOfSkippedSnapshotsInOrder() {
        image.delta(0).put(1, "a", 1L).snapshot(w -> { });
        image.delta(1).put(1, "b", 2L).removeSlot(1).put(1, "c", 3L).snapshot(w -> { }).release();
        OperatorSnapshot s2 = image.delta(2).put(2, "d", 4L).remove(1, "c").snapshot(w -> { });
        OperatorSnapshot s3 = image.delta(3).put(2, "d", 40L).snapshot(w -> { });
        // Within a delta, removals apply before puts: "b" and "c" survive the slot's removal in delta 1,
        // "a" does not; delta 2 then removes "c".
        assertThat(written(s2)).containsExactly("1/b=2", "2/d=4");
        assertThat(written(s3)).containsExactly("1/b=2", "2/d=40");
    }

    @Test
    void shouldWriteTheStateOfItsOwnBarrierEvenWhenLaterDeltasArePending() {
        image.delta(0).put(0, "a", 1L).snapshot(w -> { });
        OperatorSnapshot s1 = image.delta(1).put(0, "a", 2L).snapshot(w -> w.operatorState().writeLong(1));
        OperatorSnapshot s2 = image.delta(2).put(0, "a", 3L).snapshot(w -> { });
        assertThat(written(s1)).containsExactly("0/a=2");
        assertThat(written(s2)).containsExactly("0/a=3");
    }

    @Test
    void shouldRefuseToWriteASnapshotOlderThanTheImage() {
        OperatorSnapshot s0 = image.delta(0).put(0, "a", 1L).snapshot(w -> { });
        OperatorSnapshot s1 = image.delta(1).put(0, "a", 2L).snapshot(w -> { });
        written(s1);
        assertThatThrownBy(() -> written(s0)).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("epoch 0").hasMessageContaining("moved on to epoch 1");
    }

    @Test
    void shouldStartIncrementalAfterEntriesWerePutDirectlyOnRestore() {
        image.put(5, "r", 9L);
        assertThat(image.isTracking()).isTrue();
        SnapshotImage.Delta<String, Long> delta = image.delta(7);
        assertThat(delta.isFull()).isFalse();
        assertThat(written(delta.put(5, "s", 1L).snapshot(w -> { }))).containsExactly("5/r=9", "5/s=1");
    }
}
