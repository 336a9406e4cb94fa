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

    /** A handed-over entry: slot, key and a mutable {@code long[1]} value. */
    private static final class Cell extends SnapshotCell<long[]> {
        final long slot;
        final String key;

        Cell(long slot, String key, long value, long seq) {
            super(new long[] {value}, seq);
            this.slot = slot;
            this.key = key;
        }
    }

    /** Copies a {@code long[]} (and counts the copies). */
    private static final class ArrayCodec implements StateCodec<long[]> {
        int copies;

        @Override
        public void write(long[] value, SnapshotOutput out) {
            out.writeLong(value[0]);
        }

        @Override
        public long[] read(SnapshotInput in) {
            return new long[] {in.readLong()};
        }

        @Override
        public long[] copy(long[] value) {
            copies++;
            return value.clone();
        }
    }

    private final ArrayCodec codec = new ArrayCodec();
    private final SnapshotImage.Freezer<Cell, String, Long> freezer = new SnapshotImage.Freezer<>() {
        @Override
        public long slot(Cell cell) {
            return cell.slot;
        }

        @Override
        public String key(Cell cell) {
            return cell.key;
        }

        @Override
        public Long freeze(Cell cell, long seq) {
            return cell.valueAt(seq)[0];
        }
    };

    /** What an operator does on a record: first change in the epoch (list it, maybe copy), then mutate in place. */
    private void add(ArrayList<Cell> changed, Cell cell, long delta) {
        if (!cell.isChangedIn(image.seq())) {
            cell.markChanged(image.seq(), image.consumedSeq(), codec);
            changed.add(cell);
        }
        cell.value()[0] += delta;
    }

    @Test
    void shouldWriteHandedOverEntriesAsOfTheBarrierThoughTheOwnerChangedThemSince() {
        ArrayList<Cell> changed = new ArrayList<>();
        Cell a = new Cell(1, "a", 1, image.seq());
        Cell b = new Cell(1, "b", 2, image.seq());
        changed.add(a);
        changed.add(b);
        SnapshotImage.Delta<String, Long> d0 = image.delta(0);
        ArrayList<Cell> next = d0.handOver(changed, freezer);
        assertThat(next).isNotSameAs(changed).isEmpty();
        OperatorSnapshot s0 = d0.snapshot(w -> { });
        assertThat(codec.copies).isZero();

        add(next, a, 10);
        add(next, a, 100);
        assertThat(codec.copies).as("one copy-on-write for a, at its first change after the barrier").isEqualTo(1);
        assertThat(next).containsExactly(a);
        assertThat(written(s0)).containsExactly("1/a=1", "1/b=2");
        assertThat(image.consumedSeq()).isEqualTo(d0.seq());
    }

    @Test
    void shouldNotCopyOnWriteOnceTheWriterConsumedTheDelta() {
        ArrayList<Cell> changed = new ArrayList<>();
        Cell a = new Cell(0, "a", 1, image.seq());
        changed.add(a);
        SnapshotImage.Delta<String, Long> d0 = image.delta(0);
        changed = d0.handOver(changed, freezer);
        assertThat(written(d0.snapshot(w -> { }))).containsExactly("0/a=1");
        long[] before = a.value();
        add(changed, a, 5);
        assertThat(codec.copies).isZero();
        assertThat(a.value()).isSameAs(before);
        SnapshotImage.Delta<String, Long> d1 = image.delta(1);
        d1.handOver(changed, freezer);
        assertThat(written(d1.snapshot(w -> { }))).containsExactly("0/a=6");
    }

    @Test
    void shouldKeepEachBarriersVersionWhenTheWriterLagsSeveralBarriers() {
        ArrayList<Cell> changed = new ArrayList<>();
        Cell a = new Cell(0, "a", 1, image.seq());
        Cell b = new Cell(0, "b", 1, image.seq());
        changed.add(a);
        changed.add(b);
        List<OperatorSnapshot> snapshots = new ArrayList<>();
        for (int epoch = 0; epoch < 4; epoch++) {
            SnapshotImage.Delta<String, Long> delta = image.delta(epoch);
            changed = delta.handOver(changed, freezer);
            snapshots.add(delta.snapshot(w -> { }));
            add(changed, a, 10);
            if (epoch % 2 == 0) {
                add(changed, b, 100);
            }
        }
        // a: 1, 11, 21, 31; b: 1, 101, 101, 201
        assertThat(written(snapshots.get(1))).containsExactly("0/a=11", "0/b=101");
        assertThat(written(snapshots.get(2))).containsExactly("0/a=21", "0/b=101");
        assertThat(written(snapshots.get(3))).containsExactly("0/a=31", "0/b=201");
        assertThat(a.value()[0]).isEqualTo(41);
    }

    @Test
    void shouldApplyAHandOverBeforeTheRemovalsOfItsDelta() {
        image.delta(0).put(1, "old", 7L).put(2, "kept", 8L).snapshot(w -> { });
        ArrayList<Cell> changed = new ArrayList<>();
        changed.add(new Cell(1, "new", 1, image.seq()));
        changed.add(new Cell(3, "other", 2, image.seq()));
        SnapshotImage.Delta<String, Long> d1 = image.delta(1);
        d1.handOver(changed, freezer);
        d1.removeSlot(1);
        assertThat(written(d1.snapshot(w -> { }))).containsExactly("2/kept=8", "3/other=2");
    }

    @Test
    void shouldGiveTheOwnerBackTheListTheWriterEmptied() {
        ArrayList<Cell> first = new ArrayList<>();
        first.add(new Cell(0, "a", 1, image.seq()));
        SnapshotImage.Delta<String, Long> d0 = image.delta(0);
        ArrayList<Cell> second = d0.handOver(first, freezer);
        written(d0.snapshot(w -> { }));
        SnapshotImage.Delta<String, Long> d1 = image.delta(1);
        assertThat(d1.handOver(second, freezer)).isSameAs(first).isEmpty();
        assertThatThrownBy(() -> d1.handOver(new ArrayList<>(), freezer)).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("already has its hand-over");
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
