package io.rivulet.operators.state;

import io.rivulet.operators.KeyedOperator;
import io.rivulet.operators.Output;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator contract harness (Jet's {@code TestSupport} idea): runs a script of steps (keyed
 * records, watermarks, epoch ends, end of input) through a keyed, checkpointed operator and proves
 * that snapshot and restore are invisible in its output.
 *
 * <ol>
 *   <li><b>Straight through</b>: one instance runs the whole script; its output (records in order,
 *       watermark-released ones included, side output wrapped in {@link Side}) is the reference.</li>
 *   <li><b>Restore after every step</b>: after each snapshot point, {@code snapshotState} →
 *       {@code writeTo(KeyGroupBuffers)} → restore into a <em>fresh</em> instance, which goes on with
 *       the script. The output must equal the reference, in order.</li>
 *   <li><b>Snapshot, then mutate</b>: at each snapshot point, take a snapshot, let the old instance
 *       process the next few steps (its output discarded), only then write the snapshot and restore
 *       it into a fresh instance that replays those steps. Proves the snapshot does not see changes
 *       made after {@code snapshotState} returned (it is written later, on another thread).</li>
 *   <li><b>Long-lived snapshots</b>: one instance runs the whole script and snapshots at every point,
 *       writing every one, every second or every third (the rest abandoned, as a runtime that
 *       falls behind skips them); each written snapshot is restored into a fresh instance that
 *       finishes the script. Proves snapshots stay right over a long chain of incremental ones.</li>
 *   <li><b>Rescale</b>: records are routed by key group ({@link KeyGroups#partitionOf}) to 2
 *       partitions, watermarks, epoch ends and the end broadcast; at each snapshot point both are
 *       snapshotted and restored into 1 and into 3 partitions (each restoring the key groups of its
 *       {@link KeyGroups#rangeOf} range from both old snapshots, and both operator states), which
 *       finish the script. The union of all partitions' output must equal the reference as a
 *       multiset.</li>
 *   <li><b>Kept key groups</b>: one instance writes its snapshots into a {@link KeepingStore} (a
 *       checkpoint storage whose writer lets the image keep unchanged key groups), completing some
 *       writes, aborting some and skipping some, and now and then carries on as an instance restored
 *       from the store; after each completed write a fresh instance restored from the store's blocks
 *       finishes the script. With rescaling on, 2 partitions write keeping snapshots, are restored
 *       into 1 and 3 partitions whose first snapshot keeps key groups of the restored blocks, and a
 *       third generation restored from those finishes the script.</li>
 * </ol>
 *
 * <h2>Plugging in an operator</h2>
 * Any {@link KeyedOperator} that also implements {@link CheckpointedOperator} runs here: give a
 * {@link Factory} that builds a fresh instance (wiring the side output it receives to the
 * operator's late or error output, or ignoring it) and a {@link Script}. A keyed process operator
 * with event-time timers needs nothing more (timers fire on {@link Watermark} steps); an operator
 * with processing-time timers needs a new {@link Step} kind for "advance the clock" in
 * {@link Instance#apply}. Operators that may only be snapshotted right after {@code onEpoch} (their
 * state lives within an epoch) use {@link SnapshotPoints#AFTER_EPOCH}; operators that run in one
 * partition turn {@link #rescale} off. Results are compared with {@code equals}: operators whose
 * output holds arrays should map them to lists in the factory's operator or in the script's
 * expectations.
 *
 * <p>Not thread-safe; a test's own.
 *
 * @param <K> key type
 * @param <I> input record type
 * @param <O> output record type
 */
public final class OperatorContractHarness<K, I, O> {
    /** One step of a script. */
    public sealed interface Step permits Item, Watermark, EpochEnd, EndOfInput {
    }

    /**
     * A record and its key.
     *
     * @param key the key
     * @param value the record
     */
    public record Item(Object key, Object value) implements Step {
    }

    /**
     * The watermark advances.
     *
     * @param watermarkMs the new watermark
     */
    public record Watermark(long watermarkMs) implements Step {
    }

    /**
     * The epoch ends: {@code onEpoch}, a snapshot point in every mode.
     *
     * @param epochId the epoch
     */
    public record EpochEnd(long epochId) implements Step {
    }

    /** Every input ended: {@code onEnd}. */
    public record EndOfInput() implements Step {
    }

    /**
     * A record the operator sent to its side (late, error) output.
     *
     * @param value the record
     */
    public record Side(Object value) {
    }

    /** Where snapshots are taken. */
    public enum SnapshotPoints {
        /** Between any two steps: the strongest check, for operators whose state is complete at any point. */
        EVERY_STEP,
        /** Only right after an {@link EpochEnd}: the runtime's contract. */
        AFTER_EPOCH
    }

    /**
     * Builds a fresh operator instance.
     *
     * @param <K> key type
     * @param <I> input type
     * @param <O> output type
     */
    @FunctionalInterface
    public interface Factory<K, I, O> {
        /**
         * @param sideOutput where the operator sends late (or error) records
         * @return a fresh instance; must implement {@link CheckpointedOperator}
         */
        KeyedOperator<K, I, O> create(Output<Object> sideOutput);
    }

    /** A script of steps, built in order; epoch ids count from 0. */
    public static final class Script {
        private final List<Step> steps = new ArrayList<>();
        private long nextEpochId;

        /**
         * @param key the record's key
         * @param value the record
         * @return this
         */
        public Script record(Object key, Object value) {
            steps.add(new Item(key, value));
            return this;
        }

        /**
         * @param watermarkMs the new watermark
         * @return this
         */
        public Script watermark(long watermarkMs) {
            steps.add(new Watermark(watermarkMs));
            return this;
        }

        /** @return this, after an epoch end */
        public Script epoch() {
            steps.add(new EpochEnd(nextEpochId++));
            return this;
        }

        /** @return this, after the end of input */
        public Script end() {
            steps.add(new EndOfInput());
            return this;
        }

        /** @return the steps */
        public List<Step> steps() {
            return steps;
        }
    }

    private final Factory<K, I, O> factory;
    private final List<Step> steps;
    private int maxParallelism = KeyGroups.DEFAULT_MAX_PARALLELISM;
    private SnapshotPoints points = SnapshotPoints.EVERY_STEP;
    private boolean rescale = true;
    private int laterSteps = 3;

    private OperatorContractHarness(Factory<K, I, O> factory, Script script) {
        this.factory = Objects.requireNonNull(factory, "factory");
        this.steps = List.copyOf(script.steps);
    }

    /**
     * @param factory builds fresh instances
     * @param script the steps to run
     * @param <K> key type
     * @param <I> input type
     * @param <O> output type
     * @return the harness
     */
    public static <K, I, O> OperatorContractHarness<K, I, O> of(Factory<K, I, O> factory, Script script) {
        return new OperatorContractHarness<>(factory, script);
    }

    /** @return a new, empty script */
    public static Script script() {
        return new Script();
    }

    /**
     * @param points where snapshots are taken; {@link SnapshotPoints#EVERY_STEP} by default
     * @return this
     */
    public OperatorContractHarness<K, I, O> snapshotPoints(SnapshotPoints points) {
        this.points = points;
        return this;
    }

    /**
     * @param rescale whether to run the rescale check (on by default)
     * @return this
     */
    public OperatorContractHarness<K, I, O> rescale(boolean rescale) {
        this.rescale = rescale;
        return this;
    }

    /**
     * @param maxParallelism the number of key groups
     * @return this
     */
    public OperatorContractHarness<K, I, O> maxParallelism(int maxParallelism) {
        this.maxParallelism = KeyGroups.checkMaxParallelism(maxParallelism);
        return this;
    }

    /**
     * Runs every check.
     *
     * @return the reference output, for the caller's own assertions
     */
    public List<Object> run() {
        List<Object> expected = straight();
        restoreAfterEveryStep(expected);
        snapshotThenMutate(expected);
        longLivedSnapshots(expected);
        keptKeyGroups(expected);
        if (rescale) {
            rescaleEverywhere(expected);
            rescaleKeepingEverywhere(expected);
        }
        return expected;
    }

    private List<Object> straight() {
        Instance instance = new Instance(new ArrayList<>());
        for (Step step : steps) {
            instance.apply(step);
        }
        return instance.sink;
    }

    private void restoreAfterEveryStep(List<Object> expected) {
        List<Object> sink = new ArrayList<>();
        Instance instance = new Instance(sink);
        for (int i = 0; i < steps.size(); i++) {
            instance.apply(steps.get(i));
            if (isSnapshotPoint(i)) {
                KeyGroupBuffers buffers = KeyGroupBuffers.all(maxParallelism);
                OperatorSnapshot snapshot = instance.checkpointed().snapshotState(instance.lastEpochId);
                snapshot.writeTo(buffers);
                snapshot.release();
                Instance fresh = new Instance(sink);
                fresh.lastEpochId = instance.lastEpochId;
                buffers.restoreInto(fresh.checkpointed(), buffers.range());
                instance = fresh;
            }
        }
        assertThat(sink).as("output with a restore into a fresh instance after every snapshot point").isEqualTo(expected);
    }

    private void snapshotThenMutate(List<Object> expected) {
        for (int at = 0; at < steps.size(); at++) {
            if (!isSnapshotPoint(at)) {
                continue;
            }
            List<Object> sink = new ArrayList<>();
            Instance old = new Instance(sink);
            for (int i = 0; i <= at; i++) {
                old.apply(steps.get(i));
            }
            OperatorSnapshot snapshot = old.checkpointed().snapshotState(old.lastEpochId);
            old.sink = new ArrayList<>();
            for (int i = at + 1; i < Math.min(steps.size(), at + 1 + laterSteps); i++) {
                old.apply(steps.get(i));
            }
            KeyGroupBuffers buffers = KeyGroupBuffers.all(maxParallelism);
            snapshot.writeTo(buffers);
            snapshot.release();
            Instance fresh = new Instance(sink);
            fresh.lastEpochId = old.lastEpochId;
            buffers.restoreInto(fresh.checkpointed(), buffers.range());
            for (int i = at + 1; i < steps.size(); i++) {
                fresh.apply(steps.get(i));
            }
            assertThat(sink).as("output when the snapshot taken after step %d (%s) is written only after %d more steps",
                at, steps.get(at), laterSteps).isEqualTo(expected);
        }
    }

    private void longLivedSnapshots(List<Object> expected) {
        for (int skip : new int[] {1, 2, 3}) {
            List<Object> sink = new ArrayList<>();
            Instance instance = new Instance(sink);
            int point = 0;
            for (int at = 0; at < steps.size(); at++) {
                instance.apply(steps.get(at));
                if (!isSnapshotPoint(at)) {
                    continue;
                }
                OperatorSnapshot snapshot = instance.checkpointed().snapshotState(instance.lastEpochId);
                if (point++ % skip != 0) {
                    snapshot.release();
                    continue;
                }
                KeyGroupBuffers buffers = KeyGroupBuffers.all(maxParallelism);
                snapshot.writeTo(buffers);
                snapshot.release();
                List<Object> resumed = new ArrayList<>(sink);
                Instance fresh = new Instance(resumed);
                fresh.lastEpochId = instance.lastEpochId;
                buffers.restoreInto(fresh.checkpointed(), buffers.range());
                for (int i = at + 1; i < steps.size(); i++) {
                    fresh.apply(steps.get(i));
                }
                assertThat(resumed).as("output restored from snapshot %d of one long-lived instance (after step %d, %s),"
                    + " writing one snapshot in %d", point - 1, at, steps.get(at), skip).isEqualTo(expected);
            }
            assertThat(sink).as("output of the long-lived instance that took the snapshots").isEqualTo(expected);
        }
    }

    private void rescaleEverywhere(List<Object> expected) {
        Map<Object, Integer> reference = multiset(expected);
        for (int at = 0; at < steps.size(); at++) {
            if (isSnapshotPoint(at)) {
                for (int to : new int[] {1, 3}) {
                    assertThat(multiset(rescaled(2, to, at))).as("output (as a multiset) rescaled from 2 to %d partitions"
                        + " after step %d (%s)", to, at, steps.get(at)).isEqualTo(reference);
                }
            }
        }
    }

    private List<Object> rescaled(int from, int to, int at) {
        List<Object> sink = new ArrayList<>();
        List<Instance> old = partitions(from, sink);
        for (int i = 0; i <= at; i++) {
            route(old, from, steps.get(i));
        }
        List<KeyGroupBuffers> saved = new ArrayList<>();
        for (int p = 0; p < from; p++) {
            KeyGroupBuffers buffers = new KeyGroupBuffers(maxParallelism, KeyGroups.rangeOf(p, maxParallelism, from));
            OperatorSnapshot snapshot = old.get(p).checkpointed().snapshotState(old.get(p).lastEpochId);
            snapshot.writeTo(buffers);
            snapshot.release();
            saved.add(buffers);
        }
        List<Instance> restored = partitions(to, sink);
        for (int q = 0; q < to; q++) {
            KeyGroupRange range = KeyGroups.rangeOf(q, maxParallelism, to);
            for (KeyGroupBuffers buffers : saved) {
                buffers.restoreInto(restored.get(q).checkpointed(), range);
            }
        }
        for (int i = at + 1; i < steps.size(); i++) {
            route(restored, to, steps.get(i));
        }
        return sink;
    }

    /** Point kinds in rotation: write and complete, write and abort, skip, complete and go on from a restore. */
    private void keptKeyGroups(List<Object> expected) {
        KeyGroupRange all = new KeyGroupRange(0, maxParallelism);
        KeepingStore store = new KeepingStore(maxParallelism, all);
        List<Object> sink = new ArrayList<>();
        Instance instance = new Instance(sink);
        int point = 0;
        for (int at = 0; at < steps.size(); at++) {
            instance.apply(steps.get(at));
            if (!isSnapshotPoint(at)) {
                continue;
            }
            OperatorSnapshot snapshot = instance.checkpointed().snapshotState(instance.lastEpochId);
            int kind = point++ % 4;
            if (kind == 2) {
                snapshot.release();
                continue;
            }
            KeepingStore.Write write = store.begin();
            snapshot.writeTo(write);
            snapshot.release();
            if (kind == 1) {
                write.abort();
                continue;
            }
            write.complete();
            List<Object> resumed = new ArrayList<>(sink);
            Instance fresh = new Instance(resumed);
            fresh.lastEpochId = instance.lastEpochId;
            store.restoreInto(fresh.checkpointed(), all);
            for (int i = at + 1; i < steps.size(); i++) {
                fresh.apply(steps.get(i));
            }
            assertThat(resumed).as("output restored from the kept key groups after step %d (%s)", at, steps.get(at))
                .isEqualTo(expected);
            if (kind == 3) {
                Instance restored = new Instance(sink);
                restored.lastEpochId = instance.lastEpochId;
                store.restoreInto(restored.checkpointed(), all);
                instance = restored;
            }
        }
        assertThat(sink).as("output of the instances that wrote kept key groups").isEqualTo(expected);
    }

    private void rescaleKeepingEverywhere(List<Object> expected) {
        Map<Object, Integer> reference = multiset(expected);
        for (int at = 0; at < steps.size(); at++) {
            if (isSnapshotPoint(at)) {
                for (int to : new int[] {1, 3}) {
                    assertThat(multiset(rescaledKeeping(2, to, at))).as("output (as a multiset) rescaled from 2 to %d"
                        + " partitions after step %d (%s), then restored from key groups kept from that restore", to, at,
                        steps.get(at)).isEqualTo(reference);
                }
            }
        }
    }

    /**
     * {@code from} partitions write a keeping snapshot at every point up to {@code at}; {@code to}
     * partitions restore from them and write one keeping snapshot at the next point (keeping the
     * restored blocks); a third generation restores from that and finishes the script.
     */
    private List<Object> rescaledKeeping(int from, int to, int at) {
        List<Object> sink = new ArrayList<>();
        List<Instance> old = partitions(from, sink);
        List<KeepingStore> oldStores = new ArrayList<>();
        for (int p = 0; p < from; p++) {
            oldStores.add(new KeepingStore(maxParallelism, KeyGroups.rangeOf(p, maxParallelism, from)));
        }
        for (int i = 0; i <= at; i++) {
            route(old, from, steps.get(i));
            if (isSnapshotPoint(i)) {
                writeKeeping(old, oldStores);
            }
        }
        Map<Integer, byte[]> blocks = new HashMap<>();
        for (KeepingStore store : oldStores) {
            blocks.putAll(store.blocks());
        }
        List<Instance> restored = partitions(to, sink);
        List<KeepingStore> stores = new ArrayList<>();
        for (int q = 0; q < to; q++) {
            KeyGroupRange range = KeyGroups.rangeOf(q, maxParallelism, to);
            Map<Integer, byte[]> own = new HashMap<>();
            blocks.forEach((g, bytes) -> {
                if (range.contains(g)) {
                    own.put(g, bytes);
                }
            });
            stores.add(new KeepingStore(maxParallelism, range).restoredFrom(1_000, own));
            for (KeepingStore store : oldStores) {
                store.restoreInto(restored.get(q).checkpointed(), range);
                restored.get(q).lastEpochId = old.get(0).lastEpochId;
            }
        }
        int next = at + 1;
        while (next < steps.size() && !isSnapshotPoint(next)) {
            route(restored, to, steps.get(next++));
        }
        if (next >= steps.size()) {
            return sink;
        }
        route(restored, to, steps.get(next));
        writeKeeping(restored, stores);
        List<Instance> third = partitions(to, sink);
        for (int q = 0; q < to; q++) {
            stores.get(q).restoreInto(third.get(q).checkpointed(), KeyGroups.rangeOf(q, maxParallelism, to));
            third.get(q).lastEpochId = restored.get(q).lastEpochId;
        }
        for (int i = next + 1; i < steps.size(); i++) {
            route(third, to, steps.get(i));
        }
        return sink;
    }

    private void writeKeeping(List<Instance> instances, List<KeepingStore> stores) {
        for (int p = 0; p < instances.size(); p++) {
            Instance instance = instances.get(p);
            OperatorSnapshot snapshot = instance.checkpointed().snapshotState(instance.lastEpochId);
            KeepingStore.Write write = stores.get(p).begin();
            snapshot.writeTo(write);
            snapshot.release();
            write.complete();
        }
    }

    private List<Instance> partitions(int count, List<Object> sink) {
        List<Instance> instances = new ArrayList<>();
        for (int p = 0; p < count; p++) {
            instances.add(new Instance(sink));
        }
        return instances;
    }

    private void route(List<Instance> partitions, int parallelism, Step step) {
        if (step instanceof Item item) {
            int group = KeyGroups.keyGroupOf(item.key(), maxParallelism);
            partitions.get(KeyGroups.partitionOf(group, maxParallelism, parallelism)).apply(step);
        } else {
            for (Instance instance : partitions) {
                instance.apply(step);
            }
        }
    }

    private boolean isSnapshotPoint(int index) {
        Step step = steps.get(index);
        if (step instanceof EndOfInput) {
            return false;
        }
        return points == SnapshotPoints.EVERY_STEP || step instanceof EpochEnd;
    }

    private static Map<Object, Integer> multiset(List<Object> records) {
        Map<Object, Integer> counts = new HashMap<>();
        for (Object record : records) {
            counts.merge(record, 1, Integer::sum);
        }
        return counts;
    }

    /** One operator instance and the list its output goes to. */
    private final class Instance {
        final KeyedOperator<K, I, O> operator;
        final Output<O> out;
        List<Object> sink;
        long lastEpochId = -1;

        Instance(List<Object> sink) {
            this.sink = sink;
            this.operator = factory.create(record -> this.sink.add(new Side(record)));
            this.out = record -> this.sink.add(record);
        }

        @SuppressWarnings("unchecked")
        void apply(Step step) {
            if (step instanceof Item item) {
                operator.process((K) item.key(), (I) item.value(), out);
            } else if (step instanceof Watermark watermark) {
                operator.onWatermark(watermark.watermarkMs(), out);
            } else if (step instanceof EpochEnd epoch) {
                operator.onEpoch(epoch.epochId(), out);
                lastEpochId = epoch.epochId();
            } else {
                operator.onEnd(out);
            }
        }

        CheckpointedOperator checkpointed() {
            if (!(operator instanceof CheckpointedOperator checkpointed)) {
                throw new IllegalArgumentException(operator.getClass().getName() + " does not implement CheckpointedOperator");
            }
            return checkpointed;
        }
    }
}
