package io.rivulet.engine.runtime;

import io.rivulet.operators.Operator;
import io.rivulet.operators.Output;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Drives fused chains by hand with a fake clock: a stage's failure on a record is handled where it
 * happened (the chain goes on), counted, logged at most once per interval, and under the default
 * policy rethrown naming the stage once.
 */
class RecordFailuresTest {
    private static final long INTERVAL_MS = 10_000;

    private final TaskContext context = new TaskContext(Fixtures.unstartedQuery(), "rivulet-test-source-0", new NoOpIdleStrategy());
    private final RecordingLink<String> out = new RecordingLink<>();
    private long nowNs;
    private final NanoClock clock = () -> nowNs;
    private final List<LogRecord> logged = new ArrayList<>();
    private final Logger logger = Logger.getLogger(RecordFailures.class.getName());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureLog() {
        logger.addHandler(capture);
        logger.setUseParentHandlers(false);
    }

    @AfterEach
    void releaseLog() {
        logger.removeHandler(capture);
        logger.setUseParentHandlers(true);
    }

    /** flatMap(s -> s+"1", s+"2", s+"3") → map(throws on "b2") → out */
    private Link<String> chain() {
        Operator<String, String> failOnB2 = (record, next) -> {
            if (record.equals("b2")) {
                throw new IllegalArgumentException("bad " + record);
            }
            next.emit(record.toUpperCase());
        };
        Operator<String, String> triple = (record, next) -> {
            for (int i = 1; i <= 3; i++) {
                next.emit(record + i);
            }
        };
        Link<String> map = OperatorLink.create(failOnB2, out, "map", context);
        return OperatorLink.create(triple, map, "flatMap", context);
    }

    @Test
    void shouldGoOnWithTheStagesNextOutputWhenADownstreamStageSkipsOne() {
        context.failures = new RecordFailures("q", null, clock, INTERVAL_MS);
        Link<String> head = chain();
        head.emit("a");
        head.emit("b");
        head.emit("c");
        assertThat(out.take()).containsExactly("r:A1", "r:A2", "r:A3", "r:B1", "r:B3", "r:C1", "r:C2", "r:C3");
        assertThat(context.recordsFailed.get()).isEqualTo(1);
    }

    @Test
    void shouldLogSkippedRecordsOncePerIntervalWithTheCountSinceTheLastLine() {
        context.failures = new RecordFailures("q", null, clock, INTERVAL_MS);
        Link<String> head = chain();
        for (int i = 0; i < 5; i++) {
            head.emit("b");
            nowNs += 1_000_000_000L;
        }
        assertThat(logged).hasSize(1);
        assertThat(logged.get(0).getMessage()).contains("skipped 1 record(s)", "stage 'map'", "record b2");
        nowNs = 10_000_000_000L;
        head.emit("b");
        assertThat(logged).hasSize(2);
        assertThat(logged.get(1).getMessage()).contains("skipped 5 record(s)");
        assertThat(context.recordsFailed.get()).isEqualTo(6);
    }

    @Test
    void shouldBuildPlainLinksThatLetTheUsersExceptionThroughUnderTheDefaultPolicy() {
        Link<String> head = chain();
        // OperatorLink itself, or its stage clone (a hidden class named OperatorLink/0x...), never Guarded.
        assertThat(head.getClass().getName()).as("nothing added to the default per-record path")
            .matches(Pattern.quote(OperatorLink.class.getName()) + "(/.*)?");
        head.emit("a");
        assertThatThrownBy(() -> head.emit("b")).isInstanceOf(IllegalArgumentException.class).hasMessage("bad b2");
        assertThat(context.recordsFailed.get()).isZero();
    }

    @Test
    void shouldNameTheStageAndRecordWhenAGuardedStageFailsWithoutAPolicy() {
        Link<String> guarded = new OperatorLink.Guarded<>((String record, Output<String> next) -> {
            throw new IllegalArgumentException("bad " + record);
        }, out, "map", context);
        assertThatThrownBy(() -> guarded.emit("b2"))
            .isInstanceOf(IllegalArgumentException.class)
            .satisfies(e -> assertThat(e.getSuppressed()).singleElement().isInstanceOf(RecordFailures.FailedRecord.class)
                .extracting(Throwable::getMessage).asString().contains("stage 'map'", "record b2"));
    }

    @Test
    void shouldPassAFailureOfANonRecordCallbackThroughEveryStage() {
        context.failures = new RecordFailures("q", null, clock, INTERVAL_MS);
        Operator<String, String> failingAtWatermark = new Operator<>() {
            @Override
            public void process(String record, Output<String> next) {
                next.emit(record);
            }

            @Override
            public void onWatermark(long watermarkMs, Output<String> next) {
                throw new IllegalStateException("window result failed");
            }
        };
        Link<String> window = OperatorLink.create(failingAtWatermark, out, "window", context);
        Link<String> head = OperatorLink.create((String record, Output<String> next) -> {
            next.emit(record);
            window.onWatermark(1);
        }, window, "map", context);
        assertThatThrownBy(() -> head.emit("a")).isInstanceOf(ChainFailure.class)
            .hasCauseInstanceOf(IllegalStateException.class);
        assertThat(context.recordsFailed.get()).as("not taken for the map's bad record").isZero();
    }
}
