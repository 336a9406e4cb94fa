package io.rivulet.engine;

import io.rivulet.engine.sink.MemorySink;
import io.rivulet.engine.sink.Delivery;
import io.rivulet.engine.sink.Sink;
import io.rivulet.engine.sink.SinkWriter;
import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.source.JournaledSource;
import io.rivulet.engine.source.MemoryStream;
import io.rivulet.engine.source.Sources;
import io.rivulet.journal.JournalOptions;
import io.rivulet.journal.codec.Codecs;
import io.rivulet.operators.Output;
import io.rivulet.operators.OutputMode;
import io.rivulet.operators.process.KeyedProcessFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The error policy (issue 10, item 4): a record a user function throws on fails the query (default),
 * is skipped and counted, or goes to a dead-letter sink with its stage, exception and source position;
 * in every stage, on every placement, and past a poison record after a restart.
 */
@ExtendWith(NoLeakedThreads.class)
class ErrorPolicyTest {
    private static final List<String> INPUT = List.of("1", "2", "A,x,4", "4");

    @TempDir
    Path dir;

    private static long failedRows(StreamingQuery query) {
        return query.recentProgress().stream().mapToLong(QueryProgress::numRowsFailed).sum();
    }

    /** Progress reports lag commits (they are published off the data threads): waits for the count. */
    private static void awaitFailedRows(StreamingQuery query, long expected) throws InterruptedException {
        Conditions.await("numRowsFailed reaching " + expected, () -> failedRows(query) >= expected);
        assertThat(failedRows(query)).isEqualTo(expected);
    }

    /** The same poison record fails a different stage in each plan. */
    private static Stream<String> plan(Stream<String> input, String stage, int partitions) {
        return switch (stage) {
            case "map" -> input.map(s -> String.valueOf(Integer.parseInt(s)));
            case "filter" -> input.filter(s -> Integer.parseInt(s) > 0);
            case "flatMap" -> input.flatMap((String s, Output<String> out) -> out.emit(String.valueOf(Integer.parseInt(s))));
            case "withWatermark" -> input.withWatermark(s -> Long.parseLong(s), Duration.ZERO);
            case "keyBy" -> input.keyBy(s -> Integer.parseInt(s) % 2, partitions).reduce((a, b) -> b);
            case "reduce" -> input.keyBy(s -> "k", partitions).reduce((a, b) -> String.valueOf(Integer.parseInt(b)));
            case "parse" -> input.keyBy(s -> "k", partitions).transformWithState("parse", Parse::new);
            default -> throw new IllegalArgumentException(stage);
        };
    }

    /** A keyed process function that parses each record. */
    static final class Parse extends KeyedProcessFunction<String, String, String> {
        @Override
        public void processElement(String value, Context<String, String> ctx, Output<String> out) {
            out.emit(String.valueOf(Integer.parseInt(value)));
        }
    }

    @ParameterizedTest(name = "{0}, {1} partition(s), {2}")
    @CsvSource({
        "map, 1, continuous", "filter, 1, continuous", "flatMap, 1, continuous", "withWatermark, 1, continuous",
        "keyBy, 1, continuous", "keyBy, 2, continuous", "reduce, 1, continuous", "reduce, 2, continuous",
        "parse, 1, continuous", "parse, 2, continuous", "map, 1, microBatch", "keyBy, 2, microBatch", "parse, 2, microBatch"})
    void shouldSendTheRecordAStageFailedOnToTheDeadLetterSinkAndGoOn(String stage, int partitions, String mode)
            throws Exception {
        MemoryStream<String> input = Sources.memoryStream("in");
        MemorySink<String> out = Sinks.memory("out");
        MemorySink<DeadLetter> deadLetters = Sinks.memory("dead");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = plan(rivulet.readStream(input), stage, partitions)
                .writeStream(out)
                .outputMode(stage.equals("keyBy") || stage.equals("reduce") ? OutputMode.UPDATE : OutputMode.APPEND)
                .trigger(mode.equals("continuous") ? Trigger.continuous(Duration.ofMillis(10)) : Trigger.processingTime(Duration.ZERO))
                .errorPolicy(ErrorPolicy.deadLetter(deadLetters))
                .start();
            input.addData(INPUT);
            query.processAllAvailable();
            assertThat(query.isActive()).isTrue();
            assertThat(deadLetters.rows()).hasSize(1);
            DeadLetter letter = deadLetters.rows().get(0);
            assertThat(letter.stage()).isEqualTo(stage);
            assertThat(letter.record()).isEqualTo("A,x,4");
            assertThat(letter.exceptionClass()).isEqualTo(NumberFormatException.class.getName());
            assertThat(letter.exceptionMessage()).contains("A,x,4");
            assertThat(letter.stackSummary()).isNotEmpty().hasSizeLessThanOrEqualTo(DeadLetter.STACK_FRAMES);
            assertThat(letter.epochId()).isGreaterThanOrEqualTo(0);
            boolean behindRing = partitions > 1 && mode.equals("continuous") && (stage.equals("reduce") || stage.equals("parse"));
            if (behindRing) {
                assertThat(letter.source()).as("past a ring the source record is unknown").isNull();
                assertThat(letter.task()).contains("keyed1-");
            } else {
                assertThat(letter.source()).contains("memory");
                assertThat(letter.sourcePartition()).isZero();
            }
            awaitFailedRows(query, 1);
            if (stage.equals("map") || stage.equals("filter") || stage.equals("flatMap") || stage.equals("withWatermark")) {
                assertThat(out.rows()).containsExactly("1", "2", "4");
            }
            query.stop();
            assertThat(query.exception()).isEmpty();
        }
    }

    @Test
    void shouldSkipAndCountTheRecordsAUserFunctionFailsOn() throws Exception {
        MemoryStream<String> input = Sources.memoryStream("in");
        MemorySink<Integer> out = Sinks.memory("out");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(input).map(Integer::parseInt)
                .writeStream(out).trigger(Trigger.continuous(Duration.ofMillis(10)))
                .errorPolicy(ErrorPolicy.skip()).start();
            input.addData("1", "x", "2", "y", "3");
            query.processAllAvailable();
            assertThat(out.rows()).containsExactly(1, 2, 3);
            awaitFailedRows(query, 2);
            assertThat(query.lastProgress().toString()).contains("numRowsFailed");
            query.stop();
            assertThat(query.exception()).isEmpty();
        }
    }

    @Test
    void shouldFailByDefaultNamingTheStageAndTheRecord() throws Exception {
        MemoryStream<String> input = Sources.memoryStream("in");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(input).filter(s -> true).map(Integer::parseInt)
                .writeStream(Sinks.memory("out")).start();
            input.addData("1", "A,x,4");
            assertThatThrownBy(query::awaitTermination)
                .isInstanceOf(StreamingQueryException.class)
                .hasCauseInstanceOf(NumberFormatException.class);
            Throwable cause = query.exception().orElseThrow().getCause();
            assertThat(cause.getSuppressed()).hasSize(1);
            // The epoch is the one the source read the record in: 0 unless the machine was slow to get there.
            assertThat(cause.getSuppressed()[0].getMessage())
                .contains("task rivulet-", "source-0", "source memory[in] partition 0")
                .containsPattern("epoch \\d+,");
            // The operator's frames are stage clones, hidden classes, which stack traces leave out
            // (-XX:+UnlockDiagnosticVMOptions -XX:+ShowHiddenFrames shows them); the user's function is there.
            assertThat(cause.getStackTrace()).as("the stack names the user's function")
                .anyMatch(frame -> frame.getClassName().equals("java.lang.Integer") && frame.getMethodName().equals("parseInt"));
        }
    }

    @Test
    void shouldFailWithTheSinksOwnFailureUnderSkipWithoutTakingItForABadRecord() throws Exception {
        MemoryStream<String> input = Sources.memoryStream("in");
        Sink<String> failing = new Sink<>() {
            @Override
            public String description() {
                return "failing";
            }

            @Override
            public SinkWriter<String> createWriter(int writerIndex) {
                return record -> {
                    throw new IllegalStateException("disk full");
                };
            }
        };
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(input).map(s -> s)
                .writeStream(failing).errorPolicy(ErrorPolicy.skip()).start();
            input.addData("1");
            assertThatThrownBy(query::awaitTermination).hasCauseInstanceOf(IllegalStateException.class)
                .hasMessageContaining("disk full");
        }
    }

    @Test
    void shouldRefuseADeadLetterSinkThatIsTheQuerysOwnOrALateDataSink() {
        MemorySink<Object> sink = Sinks.memory("both");
        try (Rivulet rivulet = Rivulet.create()) {
            assertThatThrownBy(() -> rivulet.readStream(Sources.memoryStream("in")).writeStream(sink)
                .errorPolicy(ErrorPolicy.deadLetter(sink)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("query's own sink");
            MemoryStream<Long> input = Sources.memoryStream("late");
            MemorySink<Object> late = Sinks.memory("late");
            assertThatThrownBy(() -> rivulet.readStream(input).withWatermark(t -> t, Duration.ZERO)
                .keyBy(t -> t, 1).window(Windows.tumbling(Duration.ofSeconds(1)), t -> t).lateData(late).count()
                .writeStream(Sinks.memory("counts")).errorPolicy(ErrorPolicy.deadLetter(late)).start())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("used twice");
        }
    }

    @Test
    void shouldMovePastAPoisonRecordOfAJournaledSourceAfterARestartWithDeadLetters() throws Exception {
        Path journal = dir.resolve("journal");
        Function<MemoryStream<String>, JournaledSource<String>> journaled =
            in -> Sources.journaled(in, JournalOptions.of(journal), Codecs.strings());
        MemorySink<Integer> out = Sinks.memory("parsed");
        try (Rivulet rivulet = Rivulet.create()) {
            MemoryStream<String> input = Sources.memoryStream("in");
            StreamingQuery query = rivulet.readStream(journaled.apply(input)).map(Integer::parseInt)
                .writeStream(out).trigger(Trigger.continuous(Duration.ofMillis(5))).start();
            input.addData("1", "2", "A,x,4", "4");
            assertThatThrownBy(query::awaitTermination).hasCauseInstanceOf(NumberFormatException.class);
            // Without a policy every restart replays the poison record and fails again.
            MemoryStream<String> again = Sources.memoryStream("again");
            StreamingQuery replay = rivulet.readStream(journaled.apply(again)).map(Integer::parseInt)
                .writeStream(Sinks.memory("replay")).trigger(Trigger.continuous(Duration.ofMillis(5))).start();
            assertThatThrownBy(replay::awaitTermination).hasCauseInstanceOf(NumberFormatException.class);
        }
        MemorySink<DeadLetter> deadLetters = Sinks.memory("dead");
        MemorySink<Integer> after = Sinks.memory("after");
        try (Rivulet rivulet = Rivulet.create()) {
            MemoryStream<String> more = Sources.memoryStream("more");
            StreamingQuery query = rivulet.readStream(journaled.apply(more)).map(Integer::parseInt)
                .writeStream(after).trigger(Trigger.continuous(Duration.ofMillis(5)))
                .errorPolicy(ErrorPolicy.deadLetter(deadLetters)).start();
            more.addData("5");
            more.end();
            query.awaitTermination();
        }
        assertThat(after.rows()).endsWith(4, 5).doesNotHaveDuplicates();
        assertThat(deadLetters.rows()).singleElement().satisfies(letter -> {
            assertThat(letter.record()).isEqualTo("A,x,4");
            assertThat(letter.stage()).isEqualTo("map");
            assertThat(letter.sourceOffset()).as("the journal offset of the poison record").isNotNegative();
        });
    }

    /** The memory sink, but the first write of {@code crashOn} fails (an I/O fault: no error policy covers it). */
    private static <T> Sink<T> crashingOnce(MemorySink<T> sink, T crashOn, AtomicBoolean armed) {
        return new Sink<>() {
            @Override
            public String description() {
                return sink.description();
            }

            @Override
            public void open(String queryName, int numWriters, OutputMode outputMode) {
                sink.open(queryName, numWriters, outputMode);
            }

            @Override
            public SinkWriter<T> createWriter(int writerIndex) {
                SinkWriter<T> writer = sink.createWriter(writerIndex);
                return new SinkWriter<>() {
                    @Override
                    public void write(T record) throws Exception {
                        if (record.equals(crashOn) && armed.getAndSet(false)) {
                            throw new IllegalStateException("simulated sink crash");
                        }
                        writer.write(record);
                    }

                    @Override
                    public void endEpoch(long epochId) throws Exception {
                        writer.endEpoch(epochId);
                    }
                };
            }

            @Override
            public void commit(long epochId) {
                sink.commit(epochId);
            }

            @Override
            public void recover(long checkpointedEpoch, long lastCommittedEpoch) throws Exception {
                sink.recover(checkpointedEpoch, lastCommittedEpoch);
            }

            @Override
            public Delivery delivery() {
                return sink.delivery();
            }

            @Override
            public void close() throws Exception {
                sink.close();
            }
        };
    }

    @Test
    void shouldWriteEachDeadLetterOnceAcrossARestartByTheRestartStrategy() throws Exception {
        MemoryStream<String> input = Sources.memoryStream("in");
        MemorySink<Integer> out = Sinks.memory("out");
        MemorySink<DeadLetter> deadLetters = Sinks.memory("dead");
        AtomicBoolean crashArmed = new AtomicBoolean(true);
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(input)
                .map(Integer::parseInt)
                .writeStream(crashingOnce(out, 2, crashArmed))
                .queryName("dead-letter-restart")
                .trigger(Trigger.continuous(Duration.ofMillis(10)))
                .checkpointLocation(dir.resolve("checkpoint"))
                .restartStrategy(RestartStrategy.fixedDelay(3, Duration.ofMillis(10)))
                .errorPolicy(ErrorPolicy.deadLetter(deadLetters))
                .start();
            input.addData("1", "A,x,4", "2");
            input.addData("3");
            query.processAllAvailable();
            assertThat(crashArmed).as("the run crashed once").isFalse();
            assertThat(query.isActive()).isTrue();
            query.stop();
        }
        assertThat(out.rows()).containsExactly(1, 2, 3);
        assertThat(deadLetters.rows()).extracting(DeadLetter::record).containsExactly("A,x,4");
    }
}
