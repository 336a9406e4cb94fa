package io.rivulet.examples;

import io.rivulet.engine.DStream;
import io.rivulet.engine.PairDStream;
import io.rivulet.engine.StateSpec;
import io.rivulet.operators.KeyValue;
import io.rivulet.operators.dstream.State;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The course's stateful running word count, written with Spark's DStream operations: once with
 * {@code updateStateByKey} (the function gets a word's new 1s of the batch and its last count) and
 * once with {@code mapWithState} (the function gets one 1 at a time with the word's state). Both
 * keep their counts in Rivulet's state store, so with a checkpoint location they survive a restart.
 * {@link StatefulWordCountMain} runs them.
 */
public final class StatefulWordCount {
    private StatefulWordCount() {
    }

    /**
     * {@code lines.flatMap(_.split(" ")).map(word => (word, 1))}.
     *
     * @param lines a DStream of text lines
     * @return {@code (word, 1)} per word
     */
    public static PairDStream<String, Integer> pairs(DStream<String> lines) {
        return lines.flatMap((String line) -> Arrays.stream(line.split(" ")).filter(w -> !w.isEmpty()).toList())
            .mapToPair(word -> new KeyValue<>(word, 1));
    }

    /**
     * {@code updateStateByKey(updateFunc)} with {@code updateFunc(new_values, last_sum) = sum(new_values)
     * + (last_sum or 0)}: every word's running count, after every batch.
     *
     * @param lines a DStream of text lines
     * @return {@code (word, count)} for every word seen so far, each batch
     */
    public static PairDStream<String, Integer> withUpdateStateByKey(DStream<String> lines) {
        return pairs(lines).updateStateByKey(StatefulWordCount::updateFunc);
    }

    /**
     * The {@code updateStateByKey} function of the course.
     *
     * @param newValues the word's 1s of this batch (none if it did not appear)
     * @param lastSum its count so far, if any
     * @return the new count
     */
    static Optional<Integer> updateFunc(List<Integer> newValues, Optional<Integer> lastSum) {
        int sum = lastSum.orElse(0);
        for (int value : newValues) {
            sum += value;
        }
        return Optional.of(sum);
    }

    /**
     * {@code mapWithState(StateSpec.function(updateFunc))}: the running count of each word, emitted
     * for each occurrence (only the words of the batch: Spark's "partial updates").
     *
     * @param lines a DStream of text lines
     * @return {@code (word, count)} per word occurrence
     */
    public static DStream<KeyValue<String, Integer>> withMapWithState(DStream<String> lines) {
        return pairs(lines).mapWithState(StateSpec.function(StatefulWordCount::mappingFunc));
    }

    /**
     * The {@code mapWithState} function of the course.
     *
     * @param key the word
     * @param value its 1
     * @param state its count so far
     * @return {@code (word, new count)}
     */
    static KeyValue<String, Integer> mappingFunc(String key, Optional<Integer> value, State<Integer> state) {
        int sum = value.orElse(0) + state.getOption().orElse(0);
        state.update(sum);
        return new KeyValue<>(key, sum);
    }
}
