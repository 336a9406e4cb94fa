package io.rivulet.engine;

import io.rivulet.engine.sink.MemorySink;
import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.source.MemoryStream;
import io.rivulet.engine.source.Sources;
import io.rivulet.operators.OutputMode;
import io.rivulet.operators.groupstate.GroupState;
import io.rivulet.operators.groupstate.GroupStateTimeout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** mapGroupsWithState with Spark's initial state, through a running query and across a restart. */
@ExtendWith(NoLeakedThreads.class)
class GroupStateInitialStateQueryTest {
    record Login(String account, long tsMs) {
    }

    @TempDir
    Path checkpoints;

    /** Counts logins per account on top of its state. */
    static String count(String account, Iterator<Login> logins, GroupState<Long> state) {
        long count = state.getOption().orElse(0L);
        while (logins.hasNext()) {
            logins.next();
            count++;
        }
        state.update(count);
        return account + "=" + count;
    }

    private static Map<String, Long> initial() {
        Map<String, Long> initial = new LinkedHashMap<>();
        initial.put("ann", 100L);
        initial.put("carl", 5L);
        return initial;
    }

    @Test
    void shouldStartFromTheInitialStateOnceAndRestoreInsteadOfReapplyingItAfterARestart() throws Exception {
        MemoryStream<Login> input = Sources.memoryStream("logins");
        MemorySink<String> sink = Sinks.memory("counts");
        for (int run = 0; run < 2; run++) {
            // Data first, so that the query's first batch (where the initial state applies) has it.
            input.addData(List.of(new Login(run == 0 ? "ann" : "bob", 1_000)));
            try (Rivulet rivulet = Rivulet.create()) {
                StreamingQuery query = rivulet.readStream(input)
                    .keyBy(Login::account, 2)
                    .mapGroupsWithState(GroupStateOptions.<Login, Long>of(GroupStateTimeout.NO_TIMEOUT), initial(),
                        GroupStateInitialStateQueryTest::count)
                    .writeStream(sink).outputMode(OutputMode.UPDATE)
                    .trigger(Trigger.processingTime(Duration.ZERO)).checkpointLocation(checkpoints).start();
                query.processAllAvailable();
                query.stop();
            }
        }
        assertThat(sink.rows()).as("carl (no data) is called in the first batch; the restart restores, not re-applies")
            .containsExactlyInAnyOrder("ann=101", "carl=5", "bob=1");
    }

    @Test
    void shouldRefuseANullInitialStateValueWhenTheQueryIsBuilt() {
        try (Rivulet rivulet = Rivulet.create()) {
            Map<String, Long> initial = new LinkedHashMap<>();
            initial.put("dan", null);
            KeyedStream<String, Login> keyed = rivulet.readStream(Sources.<Login>memoryStream("logins")).keyBy(Login::account);
            assertThatThrownBy(() -> keyed.mapGroupsWithState(GroupStateOptions.<Login, Long>of(GroupStateTimeout.NO_TIMEOUT),
                initial, GroupStateInitialStateQueryTest::count))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("initialState of key dan is null");
        }
    }

    @Test
    void shouldFailTheQueryNamingTheKeyWhenMapGroupsWithStateReturnsNull() throws Exception {
        MemoryStream<Login> input = Sources.memoryStream("logins");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(input)
                .keyBy(Login::account)
                .<Long, String>mapGroupsWithState(GroupStateTimeout.NO_TIMEOUT, (account, logins, state) -> null)
                .writeStream(Sinks.memory("nulls")).outputMode(OutputMode.UPDATE)
                .trigger(Trigger.processingTime(Duration.ZERO)).start();
            input.addData(List.of(new Login("eve", 1)));
            assertThatThrownBy(query::processAllAvailable).hasStackTraceContaining("returned null for key eve");
        }
    }
}
