package io.rivulet.operators.state;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link SnapshotImage} writes only the key groups that changed since the writer's base, and keeps the others. */
class SnapshotImageKeepTest {
    private static final int MAX_PARALLELISM = 128;
    private static final KeyGroupRange ALL = new KeyGroupRange(0, MAX_PARALLELISM);
    private static final SnapshotImage.EntryWriter<String, Long> ENTRY_WRITER = (slot, key, value, out) ->
        out.writeByte(1).writeLong(slot).writeString(key).writeLong(value);

    private final SnapshotImage<String, Long> image = new SnapshotImage<>(ENTRY_WRITER);
    private final KeepingStore store = new KeepingStore(MAX_PARALLELISM, ALL);
    /** What the image should hold: "slot/key" to value. */
    private final TreeMap<String, Long> expected = new TreeMap<>();
    private long epoch;

    private static int group(String key) {
        return KeyGroups.keyGroupOf(key, MAX_PARALLELISM);
    }

    private static BitSet groups(int... keyGroups) {
        BitSet set = new BitSet();
        for (int g : keyGroups) {
            set.set(g);
        }
        return set;
    }

    /** Two keys of different key groups, and a third in the same key group as the first. */
    private static String[] keysInGroups() {
        String a = "a";
        String b = null;
        String c = null;
        for (int i = 0; b == null || c == null; i++) {
            String k = "k" + i;
            if (b == null && group(k) != group(a)) {
                b = k;
            } else if (c == null && group(k) == group(a)) {
                c = k;
            }
        }
        return new String[] {a, b, c};
    }

    /** Fills 1 000 keys in slot 0 and writes the first snapshot (complete). */
    private void fill() {
        SnapshotImage.Delta<String, Long> delta = image.delta(epoch++);
        for (int i = 0; i < 1000; i++) {
            delta.put(0, "k" + i, (long) i);
            expected.put("0/k" + i, (long) i);
        }
        KeepingStore.Write first = write(delta.snapshot(w -> { })).complete();
        assertThat(first.keptGroups().isEmpty()).isTrue();
        assertThat(first.writtenGroups().cardinality()).isEqualTo(MAX_PARALLELISM);
    }

    private KeepingStore.Write write(OperatorSnapshot snapshot) {
        KeepingStore.Write write = store.begin();
        snapshot.writeTo(write);
        return write;
    }

    private OperatorSnapshot change(String key, long value) {
        expected.put("0/" + key, value);
        return image.delta(epoch++).put(0, key, value).snapshot(w -> { });
    }

    /** Decodes the store's durable blocks, skipping extras (tag 2), as "slot/key" to value. */
    private static TreeMap<String, Long> decode(Map<Integer, byte[]> blocks) {
        TreeMap<String, Long> entries = new TreeMap<>();
        blocks.forEach((g, bytes) -> {
            SnapshotInput in = new SnapshotInput(bytes);
            while (in.hasRemaining()) {
                byte tag = in.readByte();
                if (tag == 1) {
                    long slot = in.readLong();
                    String key = in.readString();
                    assertThat(group(key)).as("key %s in block %s", key, g).isEqualTo(g);
                    assertThat(entries.put(slot + "/" + key, in.readLong())).isNull();
                } else {
                    in.readString();
                }
            }
        });
        return entries;
    }

    @Test
    void shouldWriteOnlyTheKeyGroupOfAChangedEntryAndKeepTheOthers() {
        fill();
        KeepingStore.Write second = write(change("k7", 70L)).complete();
        assertThat(second.writtenGroups()).isEqualTo(groups(group("k7")));
        BitSet others = new BitSet();
        others.set(0, MAX_PARALLELISM);
        others.clear(group("k7"));
        assertThat(second.keptGroups()).isEqualTo(others);
        assertThat(decode(store.blocks())).isEqualTo(expected);
    }

    @Test
    void shouldWriteNothingButOperatorStateWhenNothingChanged() {
        fill();
        KeepingStore.Write second = write(image.delta(epoch++).snapshot(w -> w.operatorState().writeLong(5))).complete();
        assertThat(second.writtenGroups().isEmpty()).isTrue();
        assertThat(second.keptGroups().cardinality()).isEqualTo(MAX_PARALLELISM);
        assertThat(store.operatorState()).hasSize(8);
        assertThat(decode(store.blocks())).isEqualTo(expected);
    }

    @Test
    void shouldAccumulateTheChangesOfSkippedSnapshots() {
        fill();
        String[] keys = keysInGroups();
        change(keys[0], 1L).release();
        OperatorSnapshot third = change(keys[1], 2L);
        KeepingStore.Write write = write(third).complete();
        assertThat(write.writtenGroups()).isEqualTo(groups(group(keys[0]), group(keys[1])));
        assertThat(decode(store.blocks())).isEqualTo(expected);
    }

    @Test
    void shouldNotKeepKeyGroupsFromAWriteThatWasAborted() {
        fill();
        String[] keys = keysInGroups();
        KeepingStore.Write aborted = write(change(keys[0], 1L)).abort();
        assertThat(aborted.writtenGroups()).isEqualTo(groups(group(keys[0])));
        KeepingStore.Write next = write(change(keys[1], 2L));
        assertThat(next.writtenGroups()).isEqualTo(groups(group(keys[0]), group(keys[1])));
        write(change(keys[2], 3L)).abort();
        KeepingStore.Write last = write(image.delta(epoch++).snapshot(w -> { })).complete();
        // The base is still the first write: every key group changed since it is written.
        assertThat(last.writtenGroups()).isEqualTo(groups(group(keys[0]), group(keys[1])));
        assertThat(decode(store.blocks())).isEqualTo(expected);
        KeepingStore.Write after = write(image.delta(epoch++).snapshot(w -> { })).complete();
        assertThat(after.writtenGroups().isEmpty()).isTrue();
    }

    @Test
    void shouldRewriteAKeyGroupTheExtrasWroteIntoInThatSnapshotAndTheNext() {
        fill();
        String key = "k3";
        int g = group(key);
        Consumer<KeyGroupWriter> extras = w -> w.forKey(key).writeByte(2).writeString("extra");
        KeepingStore.Write withExtras = write(image.delta(epoch++).snapshot(extras)).complete();
        assertThat(withExtras.writtenGroups()).isEqualTo(groups(g));
        SnapshotInput in = new SnapshotInput(withExtras.bytes(g));
        List<Byte> tags = new ArrayList<>();
        while (in.hasRemaining()) {
            byte tag = in.readByte();
            tags.add(tag);
            if (tag == 1) {
                in.readLong();
                in.readString();
                in.readLong();
            } else {
                in.readString();
            }
        }
        assertThat(tags).as("the key group's entries, then the extras").endsWith((byte) 2);
        assertThat(tags.subList(0, tags.size() - 1)).containsOnly((byte) 1).hasSize(
            (int) expected.keySet().stream().filter(k -> group(k.substring(2)) == g).count());
        KeepingStore.Write next = write(image.delta(epoch++).snapshot(w -> { })).complete();
        assertThat(next.writtenGroups()).as("the extras are gone from the key group").isEqualTo(groups(g));
        assertThat(new SnapshotInput(next.bytes(g)).readByte()).isEqualTo((byte) 1);
        KeepingStore.Write then = write(image.delta(epoch++).snapshot(w -> { })).complete();
        assertThat(then.writtenGroups().isEmpty()).isTrue();
        assertThat(decode(store.blocks())).isEqualTo(expected);
    }

    @Test
    void shouldRewriteAKeyGroupWhoseExtrasWereWrittenBySkippedSnapshotNeverNorKeptFromIt() {
        fill();
        String key = "k3";
        image.delta(epoch++).snapshot(w -> w.forKey(key).writeByte(2).writeString("x")).release();
        KeepingStore.Write next = write(image.delta(epoch++).snapshot(w -> { })).complete();
        assertThat(next.writtenGroups().isEmpty()).isTrue();
    }

    @Test
    void shouldRewriteEveryKeyGroupWithEntriesInARemovedSlot() {
        fill();
        String[] keys = keysInGroups();
        image.delta(epoch++).put(5, keys[0], 1L).put(5, keys[1], 2L).snapshot(w -> { });
        expected.put("5/" + keys[0], 1L);
        expected.put("5/" + keys[1], 2L);
        KeepingStore.Write put = write(image.delta(epoch++).snapshot(w -> { })).complete();
        assertThat(put.writtenGroups()).isEqualTo(groups(group(keys[0]), group(keys[1])));
        expected.remove("5/" + keys[0]);
        expected.remove("5/" + keys[1]);
        KeepingStore.Write removed = write(image.delta(epoch++).removeSlot(5).snapshot(w -> { })).complete();
        assertThat(removed.writtenGroups()).isEqualTo(groups(group(keys[0]), group(keys[1])));
        assertThat(decode(store.blocks())).isEqualTo(expected);
    }

    @Test
    void shouldDropTheBlockOfAKeyGroupThatLostItsLastEntry() {
        image.delta(epoch++).put(0, "a", 1L).put(0, "k1", 2L).snapshot(w -> { });
        write(image.delta(epoch++).snapshot(w -> { })).complete();
        KeepingStore.Write removed = write(image.delta(epoch++).remove(0, "a").snapshot(w -> { })).complete();
        assertThat(removed.writtenGroups().isEmpty()).isTrue();
        assertThat(removed.keptGroups()).isEqualTo(groups(group("k1")));
        assertThat(store.blocks()).containsOnlyKeys(group("k1"));
    }

    @Test
    void shouldKeepRestoredKeyGroupsExceptThoseRestoredWithOtherRecords() {
        fill();
        String[] keys = keysInGroups();
        Map<Integer, byte[]> checkpoint = new TreeMap<>(store.blocks());
        SnapshotImage<String, Long> restored = new SnapshotImage<>(ENTRY_WRITER);
        decode(checkpoint).forEach((slotKey, value) ->
            restored.put(Long.parseLong(slotKey.substring(0, slotKey.indexOf('/'))), slotKey.substring(slotKey.indexOf('/') + 1), value));
        restored.restoredOtherRecords(group(keys[1]));
        KeepingStore restoredStore = new KeepingStore(MAX_PARALLELISM, ALL).restoredFrom(41, checkpoint);
        KeepingStore.Write first = restoredStore.begin();
        restored.delta(50).put(0, keys[0], -1L).snapshot(w -> { }).writeTo(first);
        first.complete();
        assertThat(first.writtenGroups()).isEqualTo(groups(group(keys[0]), group(keys[1])));
        assertThat(first.keptGroups().cardinality()).isEqualTo(MAX_PARALLELISM - 2);
        expected.put("0/" + keys[0], -1L);
        assertThat(decode(restoredStore.blocks())).isEqualTo(expected);
    }

    @Test
    void shouldKeepFromTheRestoredCheckpointAfterTheFirstWriteWasAborted() {
        fill();
        Map<Integer, byte[]> checkpoint = new TreeMap<>(store.blocks());
        SnapshotImage<String, Long> restored = new SnapshotImage<>(ENTRY_WRITER);
        decode(checkpoint).forEach((slotKey, value) -> restored.put(0, slotKey.substring(2), value));
        KeepingStore restoredStore = new KeepingStore(MAX_PARALLELISM, ALL).restoredFrom(41, checkpoint);
        KeepingStore.Write first = restoredStore.begin();
        restored.delta(50).put(0, "k9", -9L).snapshot(w -> { }).writeTo(first);
        first.abort();
        KeepingStore.Write second = restoredStore.begin();
        restored.delta(51).snapshot(w -> { }).writeTo(second);
        second.complete();
        assertThat(second.writtenGroups()).isEqualTo(groups(group("k9")));
        expected.put("0/k9", -9L);
        assertThat(decode(restoredStore.blocks())).isEqualTo(expected);
    }

    @Test
    void shouldWriteEveryKeyGroupWhenTheBaseIsNotAWriteItKnows() {
        fill();
        KeepingStore other = new KeepingStore(MAX_PARALLELISM, ALL).restoredFrom(999, store.blocks());
        KeepingStore.Write write = other.begin();
        image.delta(epoch++).snapshot(w -> { }).writeTo(write);
        assertThat(write.keptGroups().isEmpty()).isTrue();
        assertThat(write.writtenGroups().cardinality()).isEqualTo(MAX_PARALLELISM);
    }

    @Test
    void shouldWriteEveryKeyGroupIntoAWriterThatDoesNotKeep() {
        fill();
        change("k1", 5L);
        KeyGroupBuffers buffers = KeyGroupBuffers.all(MAX_PARALLELISM);
        image.delta(epoch++).snapshot(w -> { }).writeTo(buffers);
        Map<Integer, byte[]> blocks = new TreeMap<>();
        for (int g = 0; g < MAX_PARALLELISM; g++) {
            if (buffers.keyGroupBytes(g) != null) {
                blocks.put(g, buffers.keyGroupBytes(g));
            }
        }
        assertThat(decode(blocks)).isEqualTo(expected);
    }
}
