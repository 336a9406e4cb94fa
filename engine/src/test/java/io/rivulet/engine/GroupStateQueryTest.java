package io.rivulet.engine;

import io.rivulet.engine.sink.MemorySink;
import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.source.MemoryStream;
import io.rivulet.engine.source.Sources;
import io.rivulet.operators.KeyValue;
import io.rivulet.operators.OutputMode;
import io.rivulet.operators.groupstate.GroupState;
import io.rivulet.operators.groupstate.GroupStateTimeout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code mapGroupsWithState} / {@code flatMapGroupsWithState} in running queries: Spark's output-mode
 * rules at start, continuous mode, late rows, and state with its timeouts across a restart.
 */
@ExtendWith(NoLeakedThreads.class)
class GroupStateQueryTest {
    record Login(String account, long tsMs) {
    }

    @TempDir
    Path checkpoints;

    /** Counts logins per account; an account idle for 5 s of event time emits "idle" and is forgotten. */
    static Iterator<String> sessions(String account, Iterator<Login> logins, GroupState<Long> state) {
        if (state.hasTimedOut()) {
            long count = state.get();
            state.remove();
            return List.of(account + " idle after " + count).iterator();
        }
        long count = state.getOption().orElse(0L);
        long latest = 0;
        while (logins.hasNext()) {
            count++;
            latest = Math.max(latest, logins.next().tsMs());
        }
        state.update(count);
        state.setTimeoutTimestamp(Math.max(latest + 5_000, state.getCurrentWatermarkMs()));
        return List.of(account + "=" + count).iterator();
    }

    private static Stream<String> sessionQuery(Rivulet rivulet, MemoryStream<Login> input) {
        return rivulet.readStream(input)
            .withWatermark(Login::tsMs, Duration.ZERO)
            .keyBy(Login::account)
            .flatMapGroupsWithState(OutputMode.UPDATE, GroupStateTimeout.EVENT_TIME_TIMEOUT, GroupStateQueryTest::sessions);
    }

    @Test
    void shouldRejectAFlatMapGroupsWithStateWhoseOutputModeIsNotTheQuerysAtStart() {
        try (Rivulet rivulet = Rivulet.create()) {
            Stream<String> appendOp = rivulet.readStream(Sources.<Login>memoryStream("in")).keyBy(Login::account)
                .flatMapGroupsWithState(OutputMode.APPEND, GroupStateTimeout.NO_TIMEOUT,
                    (String key, Iterator<Login> rows, GroupState<Long> state) -> List.of(key).iterator());
            assertThatThrownBy(() -> appendOp.writeStream(Sinks.memory("a")).outputMode(OutputMode.UPDATE).start())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("flatMapGroupsWithState in append mode is not supported with Update output mode");
            assertThat(rivulet.streams().active()).isEmpty();
        }
    }

    @Test
    void shouldRejectAnUpdateModeFlatMapGroupsWithStateInAQueryWithAnAggregation() {
        try (Rivulet rivulet = Rivulet.create()) {
            Stream<KeyValue<String, Long>> counted = rivulet.readStream(Sources.<Login>memoryStream("in"))
                .keyBy(Login::account)
                .flatMapGroupsWithState(OutputMode.UPDATE, GroupStateTimeout.NO_TIMEOUT,
                    (String key, Iterator<Login> rows, GroupState<Long> state) -> List.of(key).iterator())
                .keyBy(key -> key).count();
            assertThatThrownBy(() -> counted.writeStream(Sinks.memory("b")).outputMode(OutputMode.UPDATE).start())
                .hasMessageContaining("flatMapGroupsWithState in update mode is not supported with aggregation");
        }
    }

    @Test
    void shouldRejectAnEventTimeTimeoutWithoutAWatermark() {
        try (Rivulet rivulet = Rivulet.create()) {
            Stream<String> noWatermark = rivulet.readStream(Sources.<Login>memoryStream("in")).keyBy(Login::account)
                .flatMapGroupsWithState(OutputMode.UPDATE, GroupStateTimeout.EVENT_TIME_TIMEOUT, GroupStateQueryTest::sessions);
            assertThatThrownBy(() -> noWatermark.writeStream(Sinks.memory("c")).outputMode(OutputMode.UPDATE).start())
                .hasMessageContaining("Event-time timeout not supported without watermark");
        }
    }

    @Test
    void shouldCallOncePerRecordAndTimeOutAsTheWatermarkPassesInContinuousMode() throws Exception {
        MemoryStream<Login> input = Sources.memoryStream("logins");
        MemorySink<String> sink = Sinks.memory("sessions");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = sessionQuery(rivulet, input).writeStream(sink).outputMode(OutputMode.UPDATE)
                .trigger(Trigger.continuous(Duration.ofMillis(10))).start();
            input.addData(List.of(new Login("ann", 1_000), new Login("ann", 2_000), new Login("bob", 3_000)));
            query.processAllAvailable();
            input.addData(List.of(new Login("bob", 20_000), new Login("ann", 500)));
            query.processAllAvailable();
            Conditions.await("ann times out", () -> sink.rows().contains("ann idle after 2"));
            query.stop();
        }
        assertThat(sink.rows()).as("one call per record; ann@500 is late").startsWith("ann=1", "ann=2", "bob=1")
            .contains("bob=2", "ann idle after 2").doesNotContain("ann=3");
    }

    @Test
    void shouldKeepStateAndTimeoutsAcrossARestartFromTheCheckpoint() throws Exception {
        MemoryStream<Login> input = Sources.memoryStream("logins");
        MemorySink<String> sink = Sinks.memory("sessions");
        for (int run = 0; run < 2; run++) {
            try (Rivulet rivulet = Rivulet.create()) {
                StreamingQuery query = sessionQuery(rivulet, input).writeStream(sink).outputMode(OutputMode.UPDATE)
                    .trigger(Trigger.processingTime(Duration.ZERO)).checkpointLocation(checkpoints).start();
                if (run == 0) {
                    input.addData(List.of(new Login("ann", 1_000), new Login("bob", 2_000)));
                } else {
                    input.addData(List.of(new Login("bob", 9_000)));
                }
                query.processAllAvailable();
                query.stop();
            }
        }
        assertThat(sink.rows()).as("bob's count and ann's timeout (6 s, fired by the watermark of 9 s) survived the restart")
            .containsExactly("ann=1", "bob=1", "bob=2", "ann idle after 1");
    }
}
