package io.rivulet.engine;

import io.rivulet.engine.internal.PlanNode;
import io.rivulet.engine.sink.Sink;
import io.rivulet.operators.KeyValue;
import io.rivulet.operators.dstream.BatchWindowOperator;
import io.rivulet.operators.function.ReduceFunction;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Spark Streaming's DStream on a Rivulet stream: a sequence of batches, one per batch interval, made
 * with {@link Stream#batches(Duration)}. The batch interval is the query's micro-batch trigger
 * ({@link #writeStream} sets {@code Trigger.processingTime(batchInterval)}; {@code start()} rejects any
 * other trigger): batch {@code n} is the {@code n}-th trigger since the query started, and a batch
 * runs at every trigger while an operation holds state, with data or not, as Spark runs a job every
 * interval.
 *
 * <p>Per-batch operations ({@link #reduce}, {@link #countByValue}; {@link PairDStream#reduceByKey})
 * give one result per key per batch, not a running one. Window operations ({@link #window},
 * {@link #reduceByWindow}, {@link #countByWindow}, {@link #countByValueAndWindow};
 * {@link PairDStream#reduceByKeyAndWindow}) work on windows of whole batches: length and slide are
 * multiples of this stream's slide (the batch interval, or a window's slide), checked when the
 * operation is built, in Spark's words. State ({@link PairDStream#updateStateByKey},
 * {@link PairDStream#mapWithState}) is kept per key in the engine's state store, checkpointed and
 * restored like every other operator's. For windows of event time, see {@code docs/dstreams.md}: they
 * are {@code keyBy(..).window(Windows.sliding(..), eventTime)} on the {@link Stream}.
 *
 * <p>Immutable and thread-safe, like {@link Stream}. What each operation compiles to is in
 * {@code docs/dstreams.md}.
 *
 * @param <T> record type
 */
public class DStream<T> {
    private static final Boolean SINGLE_KEY = Boolean.TRUE;

    final Stream<T> stream;
    final Duration batchInterval;
    /** Spark's {@code slideDuration}: how often this stream emits, a multiple of the batch interval. */
    final Duration slide;

    DStream(Stream<T> stream, Duration batchInterval, Duration slide) {
        this.stream = stream;
        this.batchInterval = batchInterval;
        this.slide = slide;
    }

    /**
     * @return the batch interval: the query's micro-batch trigger interval
     */
    public Duration batchInterval() {
        return batchInterval;
    }

    /**
     * @return how often this stream emits (Spark's {@code slideDuration}): the batch interval, or the
     *     slide of the window it comes from
     */
    public Duration slideDuration() {
        return slide;
    }

    /**
     * Transforms each record (Spark's {@code map}).
     *
     * @param fn the function; must not return {@code null}
     * @param <R> result type
     * @return the transformed DStream
     */
    public <R> DStream<R> map(Function<? super T, ? extends R> fn) {
        return new DStream<>(stream.map(fn), batchInterval, slide);
    }

    /**
     * Keeps the records that satisfy {@code predicate} (Spark's {@code filter}).
     *
     * @param predicate the test
     * @return the filtered DStream
     */
    public DStream<T> filter(Predicate<? super T> predicate) {
        return new DStream<>(stream.filter(predicate), batchInterval, slide);
    }

    /**
     * Expands each record into the elements of the iterable {@code fn} returns (Spark's {@code flatMap}).
     *
     * @param fn the function
     * @param <R> element type
     * @return the expanded DStream
     */
    public <R> DStream<R> flatMap(Function<? super T, ? extends Iterable<? extends R>> fn) {
        return new DStream<>(stream.flatMapIterable(fn), batchInterval, slide);
    }

    /**
     * Turns each record into a key and value (Spark's {@code mapToPair}): the pair operations are on
     * the result.
     *
     * @param fn the function; must not return {@code null} nor a pair with a {@code null} key
     * @param <K> key type
     * @param <V> value type
     * @return the pair DStream
     */
    public <K, V> PairDStream<K, V> mapToPair(Function<? super T, KeyValue<K, V>> fn) {
        return new PairDStream<>(stream.map(fn), batchInterval, slide);
    }

    /**
     * Reduces each batch to one record (Spark's {@code reduce}); an empty batch emits nothing.
     *
     * @param fn associative, commutative reduce
     * @return one record per batch
     */
    public DStream<T> reduce(ReduceFunction<T> fn) {
        Objects.requireNonNull(fn, "fn");
        return reduceByWindow(fn, slide, slide);
    }

    /**
     * Counts each distinct record in each batch (Spark's {@code countByValue}): {@code (record, count)}
     * per distinct record per batch.
     *
     * @return the counts of each batch
     */
    public PairDStream<T, Long> countByValue() {
        return this.<T, Long>mapToPair(record -> new KeyValue<>(record, 1L)).reduceByKey(Long::sum);
    }

    /**
     * The records of the last {@code length} of batches, every {@code slide} (Spark's {@code window}).
     *
     * @param length window length, a multiple of {@link #slideDuration()}
     * @param slide how often a window is emitted, a multiple of {@link #slideDuration()}
     * @return every record of each window, batch by batch in arrival order
     * @throws IllegalArgumentException if length or slide is not a positive multiple of this stream's slide
     */
    public DStream<T> window(Duration length, Duration slide) {
        checkWindow(length, slide);
        Stream<T> windowed = stream.keyBy("window", record -> SINGLE_KEY, 1).keyed("window(" + length + ", " + slide + ")",
            PlanNode.KeyedKind.STATEFUL, new DStreamOperators.Factory<Boolean, T, T, T>("window", batchInterval.toMillis(),
                Function.identity(), settings -> BatchWindowOperator.collect(settings, length.toMillis(), slide.toMillis())));
        return new DStream<>(windowed, batchInterval, slide);
    }

    /**
     * {@link #window(Duration, Duration)} sliding by this stream's slide.
     *
     * @param length window length, a multiple of {@link #slideDuration()}
     * @return every record of each window
     */
    public DStream<T> window(Duration length) {
        return window(length, slide);
    }

    /**
     * Reduces the records of each window to one (Spark's {@code reduceByWindow}); an empty window
     * emits nothing.
     *
     * @param fn associative, commutative reduce
     * @param length window length, a multiple of {@link #slideDuration()}
     * @param slide how often, a multiple of {@link #slideDuration()}
     * @return one record per window
     */
    public DStream<T> reduceByWindow(ReduceFunction<T> fn, Duration length, Duration slide) {
        return single().reduceByKeyAndWindow(fn, length, slide).values();
    }

    /**
     * Reduces the records of each window incrementally (Spark's {@code reduceByWindow} with an inverse
     * function): each window is the previous one plus the batches that entered minus those that left.
     * Once a record was seen, every window emits (the inverse's value when none is left, e.g. 0).
     *
     * @param fn associative, commutative reduce
     * @param inverse undoes {@code fn}: {@code inverse(fn(a, b), b) == a}
     * @param length window length, a multiple of {@link #slideDuration()}
     * @param slide how often, a multiple of {@link #slideDuration()}
     * @return one record per window
     */
    public DStream<T> reduceByWindow(ReduceFunction<T> fn, ReduceFunction<T> inverse, Duration length, Duration slide) {
        return single().reduceByKeyAndWindow(fn, inverse, length, slide).values();
    }

    /**
     * Counts the records of each window (Spark's {@code countByWindow}: an incremental
     * {@code reduceByWindow} of 1s with subtraction, so once a record was seen every window emits,
     * 0 when it is empty).
     *
     * @param length window length, a multiple of {@link #slideDuration()}
     * @param slide how often, a multiple of {@link #slideDuration()}
     * @return one count per window
     */
    public DStream<Long> countByWindow(Duration length, Duration slide) {
        return this.map(record -> 1L).reduceByWindow(Long::sum, (a, b) -> a - b, length, slide);
    }

    /**
     * Counts each distinct record in each window (Spark's {@code countByValueAndWindow}: an
     * incremental {@code reduceByKeyAndWindow} of 1s with subtraction, dropping records whose count
     * fell to 0).
     *
     * @param length window length, a multiple of {@link #slideDuration()}
     * @param slide how often, a multiple of {@link #slideDuration()}
     * @return {@code (record, count)} for each distinct record in each window
     */
    public PairDStream<T, Long> countByValueAndWindow(Duration length, Duration slide) {
        return this.<T, Long>mapToPair(record -> new KeyValue<>(record, 1L))
            .reduceByKeyAndWindow(Long::sum, (a, b) -> a - b, length, slide, kv -> kv.value() != 0L);
    }

    private PairDStream<Boolean, T> single() {
        return new PairDStream<>(stream.map(record -> new KeyValue<>(SINGLE_KEY, record)), batchInterval, slide, 1);
    }

    /**
     * Spark's rule ({@code WindowedDStream}): window length and slide are positive multiples of the
     * parent's slide.
     */
    void checkWindow(Duration length, Duration windowSlide) {
        checkMultiple("window", length);
        checkMultiple("slide", windowSlide);
    }

    private void checkMultiple(String what, Duration duration) {
        Objects.requireNonNull(duration, what);
        long ms = duration.toMillis();
        long parentMs = slide.toMillis();
        if (duration.isNegative() || duration.isZero() || !Duration.ofMillis(ms).equals(duration) || ms % parentMs != 0) {
            throw new IllegalArgumentException("The " + what + " duration of windowed DStream (" + duration.toMillis()
                + " ms) must be a multiple of the slide duration of parent DStream (" + parentMs + " ms): DStream windows"
                + " are made of whole batches");
        }
    }

    /**
     * The records of this DStream as a {@link Stream}, for the rest of the API; write it with
     * {@code Trigger.processingTime(batchInterval())}.
     *
     * @return the stream
     */
    public Stream<T> toStream() {
        return stream;
    }

    /**
     * Starts describing a query that writes this DStream to {@code sink}, with its trigger set to
     * {@code Trigger.processingTime(batchInterval())} (setting another fails at {@code start()}).
     *
     * @param sink the sink
     * @return the writer
     */
    public DataStreamWriter<T> writeStream(Sink<? super T> sink) {
        return stream.writeStream(sink).trigger(Trigger.processingTime(batchInterval));
    }

    @Override
    public String toString() {
        return "DStream[" + batchInterval + ", " + stream + "]";
    }
}
