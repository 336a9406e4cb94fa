package io.rivulet.engine.sql;

import io.rivulet.engine.NoLeakedThreads;
import io.rivulet.engine.Rivulet;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.Trigger;
import io.rivulet.engine.source.MemoryStream;
import io.rivulet.engine.source.Sources;
import io.rivulet.engine.types.StructType;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code limit(n)} on a stream in append mode (Spark's streaming limit): the first n rows ever, across restarts. */
@ExtendWith(NoLeakedThreads.class)
class DatasetLimitTest {
    private static final StructType LINES = StructType.fromDDL("value STRING");

    @TempDir
    Path checkpoints;

    private StreamingQuery firstThree(Rivulet rivulet, MemoryStream<Row> lines, boolean microBatch) {
        return rivulet.readStream().memoryStream(lines, Encoders.row(LINES)).where("value <> 'skip'").limit(3)
            .writeStream().format("memory").queryName("first")
            .trigger(microBatch ? Trigger.processingTime(Duration.ofHours(1)) : Trigger.continuous(Duration.ofMillis(5)))
            .option("checkpointLocation", checkpoints.toString()).start();
    }

    @ParameterizedTest(name = "microBatch={0}")
    @ValueSource(booleans = {false, true})
    void shouldPassTheFirstNRowsEverAcrossEpochsAndARestartInAppendMode(boolean microBatch) throws Exception {
        MemoryStream<Row> lines = Sources.memoryStream("lines");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = firstThree(rivulet, lines, microBatch);
            lines.addData(Row.of(LINES, "a"), Row.of(LINES, "skip"), Row.of(LINES, "b"));
            query.processAllAvailable();
            assertThat(rivulet.table("first")).extracting(Row::toString).containsExactly("[a]", "[b]");
            query.stop();
        }
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = firstThree(rivulet, lines, microBatch);
            lines.addData(Row.of(LINES, "c"), Row.of(LINES, "d"));
            query.processAllAvailable();
            lines.addData(Row.of(LINES, "e"));
            query.processAllAvailable();
            query.stop();
            assertThat(rivulet.table("first")).extracting(Row::toString).containsExactly("[c]");
        }
    }
}
