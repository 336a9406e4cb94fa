package io.rivulet.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rivulet.engine.sink.CollectingSink;
import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.source.MemoryStream;
import io.rivulet.engine.source.Sources;
import io.rivulet.operators.window.WindowedValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Progress as Spark's {@code StreamingQueryProgress} JSON, {@code recentProgress} retention, status. */
@ExtendWith(NoLeakedThreads.class)
class ProgressJsonTest {
    /** 2023-11-14T22:13:20.000Z: a whole second, so a formatter that drops zero millis would show. */
    private static final long T0 = 1_700_000_000_000L;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** An event: key, event time. */
    record Event(String key, long tsMs) {
    }

    private static Rivulet engine() {
        AtomicLong nanos = new AtomicLong();
        // Monotonic time moves 1 ms per reading (rates are finite and positive); wall time stands still.
        return Rivulet.builder().clocks(() -> nanos.addAndGet(1_000_000L), () -> T0).build();
    }

    private static Stream<WindowedValue<String, Long>> windowedCounts(Rivulet rivulet, MemoryStream<Event> input) {
        return rivulet.readStream(input)
            .withWatermark(Event::tsMs, Duration.ofMillis(500))
            .keyBy(Event::key, 2)
            .window(Windows.tumbling(Duration.ofSeconds(1)), Event::tsMs)
            .count();
    }

    private static List<Event> events(long fromMs, int count) {
        return LongStream.range(0, count).mapToObj(i -> new Event("k" + (i % 3), fromMs + i)).toList();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    @Test
    void shouldWriteARealQuerysProgressInSparksStreamingQueryProgressShape() throws Exception {
        List<QueryProgress> heard = new CopyOnWriteArrayList<>();
        try (Rivulet rivulet = engine()) {
            rivulet.streams().addListener(new StreamingQueryListener() {
                @Override
                public void onQueryProgress(StreamingQuery query, QueryProgress progress) {
                    heard.add(progress);
                }
            });
            MemoryStream<Event> input = Sources.memoryStream("events");
            CollectingSink<WindowedValue<String, Long>> sink = Sinks.collecting();
            StreamingQuery query = windowedCounts(rivulet, input).writeStream(sink).queryName("counts")
                .trigger(Trigger.processingTime(Duration.ofHours(1))).start();
            input.addData(events(T0, 10_000));
            query.processAllAvailable();
            QueryProgress last = query.lastProgress();
            query.stop();

            JsonNode root = MAPPER.readTree(last.json());
            assertThat(fieldNames(root)).containsExactly("id", "runId", "name", "timestamp", "batchId", "numInputRows",
                "inputRowsPerSecond", "processedRowsPerSecond", "durationMs", "eventTime", "stateOperators", "sources",
                "sink", "rivulet");
            assertThat(root.get("id").textValue()).isEqualTo(query.id().toString());
            assertThat(root.get("runId").textValue()).isEqualTo(query.runId().toString());
            assertThat(root.get("name").textValue()).isEqualTo("counts");
            assertThat(root.get("timestamp").textValue()).isEqualTo("2023-11-14T22:13:20.000Z");
            assertThat(root.get("batchId").isIntegralNumber()).isTrue();
            assertThat(root.get("batchId").longValue()).isEqualTo(last.batchId());
            assertThat(root.get("numInputRows").isIntegralNumber()).isTrue();
            assertThat(root.get("numInputRows").longValue()).isEqualTo(last.numInputRows());
            assertThat(root.get("inputRowsPerSecond").isDouble()).isTrue();
            assertThat(root.get("processedRowsPerSecond").isDouble()).isTrue();
            assertThat(fieldNames(root.get("durationMs"))).containsExactly("triggerExecution");
            assertThat(root.get("durationMs").get("triggerExecution").longValue()).isEqualTo(last.durationMs());
            // The watermark as Spark prints it: the batch's, max event time seen minus the delay.
            assertThat(fieldNames(root.get("eventTime"))).containsExactly("watermark");
            assertThat(root.get("eventTime").get("watermark").textValue()).isEqualTo("2023-11-14T22:13:29.499Z");

            assertThat(root.get("stateOperators").isArray()).isTrue();
            JsonNode op = root.get("stateOperators").get(0);
            assertThat(fieldNames(op)).containsExactly("operatorName", "numRowsTotal", "numRowsUpdated",
                "allUpdatesTimeMs", "numRowsRemoved", "allRemovalsTimeMs", "commitTimeMs", "memoryUsedBytes",
                "numRowsDroppedByWatermark", "numShufflePartitions", "numStateStoreInstances");
            QueryProgress.StateOperatorProgress state = last.stateOperators().get(0);
            assertThat(op.get("operatorName").textValue()).isEqualTo(state.operator());
            assertThat(op.get("numRowsTotal").longValue()).isEqualTo(state.numRowsTotal());
            assertThat(op.get("memoryUsedBytes").longValue()).isEqualTo(state.memoryUsedBytes()).isPositive();
            assertThat(op.get("numShufflePartitions").longValue()).isEqualTo(2);
            assertThat(op.get("numStateStoreInstances").longValue()).isEqualTo(2);
            assertThat(op.get("commitTimeMs").isIntegralNumber()).isTrue();

            JsonNode source = root.get("sources").get(0);
            assertThat(fieldNames(source)).containsExactly("description", "startOffset", "endOffset", "latestOffset",
                "numInputRows", "inputRowsPerSecond");
            assertThat(source.get("description").textValue()).isEqualTo(last.sources().get(0).description());
            assertThat(source.get("startOffset").isNull()).isTrue();
            JsonNode sinkNode = root.get("sink");
            assertThat(fieldNames(sinkNode)).containsExactly("description", "numOutputRows");
            assertThat(sinkNode.get("numOutputRows").longValue()).isEqualTo(last.numOutputRows());

            JsonNode rivuletNode = root.get("rivulet");
            assertThat(fieldNames(rivuletNode)).containsExactly("numRowsFailed", "numFutureEvents", "totalInputRows",
                "totalOutputRows", "latency", "epochCommit");
            assertThat(rivuletNode.get("totalInputRows").longValue()).isEqualTo(10_000);
            assertThat(fieldNames(rivuletNode.get("latency"))).containsExactly("count", "p50Us", "p99Us", "p999Us", "maxUs");
            // No checkpoint location: the commit is timed, no checkpoint is written.
            assertThat(fieldNames(rivuletNode.get("epochCommit"))).containsExactly("commitUs");
            assertThat(rivuletNode.get("epochCommit").get("commitUs").doubleValue())
                .isEqualTo(last.epochCommit().commitNs() / 1e3).isNotNegative();

            // Every report the listener heard writes JSON; the first batch's watermark is Spark's initial 0.
            assertThat(heard).isNotEmpty().contains(last);
            JsonNode first = MAPPER.readTree(heard.get(0).json());
            assertThat(first.get("eventTime").get("watermark").textValue()).isEqualTo("1970-01-01T00:00:00.000Z");
            assertThat(first.get("numInputRows").longValue()).isEqualTo(10_000);
        }
    }

    @Test
    void shouldPrettyPrintTheSameFieldsAsSparkDoes() throws Exception {
        try (Rivulet rivulet = engine()) {
            MemoryStream<Event> input = Sources.memoryStream("events");
            StreamingQuery query = rivulet.readStream(input).writeStream(Sinks.collecting())
                .trigger(Trigger.processingTime(Duration.ofHours(1))).start();
            input.addData(events(T0, 10));
            query.processAllAvailable();
            QueryProgress last = query.lastProgress();
            query.stop();

            String pretty = last.prettyJson();
            assertThat(MAPPER.readTree(pretty)).isEqualTo(MAPPER.readTree(last.json()));
            assertThat(last.json()).doesNotContain("\n").startsWith("{\"id\":\"" + query.id() + "\",\"runId\":");
            assertThat(pretty).startsWith("{\n  \"id\" : \"" + query.id() + "\",\n  \"runId\" : ")
                .contains("\n  \"stateOperators\" : [ ],\n")
                .contains("\n  \"sources\" : [ {\n    \"description\" : ")
                .contains("\n    \"startOffset\" : null,\n")
                .contains("\n  \"sink\" : {\n    \"description\" : ")
                .endsWith("}");
            // No watermark: Spark leaves the empty eventTime map out.
            assertThat(pretty).doesNotContain("eventTime");
        }
    }

    @Test
    void shouldLeaveOutWhatSparkLeavesOutAndSortMapKeys() throws Exception {
        Map<String, Long> custom = new LinkedHashMap<>();
        custom.put("numRightRowsDroppedByWatermark", 2L);
        custom.put("numLeftRowsDroppedByWatermark", 1L);
        QueryProgress progress = new QueryProgress(UUID.randomUUID(), UUID.randomUUID(), "q", Instant.ofEpochMilli(T0 + 7),
            3, 100, 0, Double.NaN, Double.POSITIVE_INFINITY, 0, 0, 0, 0, null,
            List.of(new QueryProgress.StateOperatorProgress("join", 1, 0, 0, 3, 64, custom, 4)), 0,
            new QueryProgress.Latency(0, 0, 0, 0, 0),
            List.of(new QueryProgress.SourceProgress("rate", 0, 0.0, 1000.0)), "sink",
            List.of(new QueryProgress.StaticTableProgress("table", 0, 0, 1, 0, 5, Instant.ofEpochMilli(T0))));
        JsonNode root = MAPPER.readTree(progress.json());
        assertThat(root.get("timestamp").textValue()).isEqualTo("2023-11-14T22:13:20.007Z");
        assertThat(root.has("inputRowsPerSecond")).as("NaN rate left out").isFalse();
        assertThat(root.has("processedRowsPerSecond")).as("infinite rate left out").isFalse();
        assertThat(root.has("eventTime")).as("no watermark").isFalse();
        assertThat(root.has("observedMetrics")).isFalse();
        JsonNode op = root.get("stateOperators").get(0);
        assertThat(fieldNames(op.get("customMetrics")))
            .containsExactly("numLeftRowsDroppedByWatermark", "numRightRowsDroppedByWatermark");
        assertThat(op.get("numShufflePartitions").intValue()).isEqualTo(4);
        JsonNode source = root.get("sources").get(0);
        assertThat(source.get("inputRowsPerSecond").doubleValue()).isEqualTo(0.0);
        assertThat(source.get("metrics").get("targetRowsPerSecond").textValue()).isEqualTo("1000.0");
        JsonNode table = root.get("rivulet").get("staticTables").get(0);
        assertThat(table.get("lastRefreshTimestamp").textValue()).isEqualTo("2023-11-14T22:13:20.000Z");
        assertThat(table.get("numRows").longValue()).isEqualTo(5);
    }

    @Test
    void shouldKeepTheLastNumRecentProgressUpdatesReportsOldestFirst() throws Exception {
        try (Rivulet rivulet = engine()) {
            MemoryStream<Event> input = Sources.memoryStream("events");
            StreamingQuery query = rivulet.readStream(input).writeStream(Sinks.collecting())
                .option("numRecentProgressUpdates", "3")
                .trigger(Trigger.processingTime(Duration.ofHours(1))).start();
            for (int batch = 0; batch < 5; batch++) {
                input.addData(events(T0 + batch * 100L, batch + 1));
                query.processAllAvailable();
            }
            List<QueryProgress> recent = query.recentProgress();
            QueryProgress last = query.lastProgress();
            query.stop();
            assertThat(recent).hasSize(3);
            assertThat(recent).extracting(QueryProgress::numInputRows).containsExactly(3L, 4L, 5L);
            assertThat(recent.get(0).batchId()).isLessThan(recent.get(1).batchId());
            assertThat(recent.get(1).batchId()).isLessThan(recent.get(2).batchId());
            assertThat(recent.get(2)).isSameAs(last);
        }
    }

    @Test
    void shouldKeepOneHundredReportsByDefault() throws Exception {
        try (Rivulet rivulet = engine()) {
            MemoryStream<Event> input = Sources.memoryStream("events");
            StreamingQuery query = rivulet.readStream(input).writeStream(Sinks.collecting())
                .trigger(Trigger.processingTime(Duration.ofHours(1))).start();
            for (int batch = 0; batch < 105; batch++) {
                input.addData(events(T0 + batch, 1));
                query.processAllAvailable();
            }
            List<QueryProgress> recent = query.recentProgress();
            query.stop();
            assertThat(recent).hasSize(DataStreamWriter.DEFAULT_RECENT_PROGRESS_UPDATES);
            assertThat(recent.get(0).totalInputRows()).isEqualTo(6);
        }
    }

    @Test
    void shouldRejectANumRecentProgressUpdatesBelowOneOrNotANumber() {
        try (Rivulet rivulet = Rivulet.create()) {
            DataStreamWriter<Event> writer = rivulet.readStream(Sources.<Event>memoryStream("events"))
                .writeStream(Sinks.collecting());
            assertThatThrownBy(() -> writer.option("numRecentProgressUpdates", "0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("numRecentProgressUpdates must be >= 1, got 0");
            assertThatThrownBy(() -> writer.option("numRecentProgressUpdates", "many"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("numRecentProgressUpdates must be an integer");
            assertThatThrownBy(() -> writer.numRecentProgressUpdates(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("numRecentProgressUpdates");
        }
    }

    @Test
    void shouldReportStatusBetweenTriggersAndWhenStopped() throws Exception {
        try (Rivulet rivulet = engine()) {
            MemoryStream<Event> input = Sources.memoryStream("events");
            StreamingQuery query = rivulet.readStream(input).writeStream(Sinks.collecting())
                .trigger(Trigger.processingTime(Duration.ofHours(1))).start();
            input.addData(events(T0, 10));
            query.processAllAvailable();
            QueryStatus waiting = query.status();
            query.stop();
            assertThat(waiting.message()).isEqualTo(QueryStatus.WAITING_FOR_TRIGGER);
            assertThat(waiting.isTriggerActive()).isFalse();
            assertThat(query.status()).isEqualTo(new QueryStatus(QueryStatus.STOPPED, false, false));
            JsonNode json = MAPPER.readTree(query.status().json());
            assertThat(fieldNames(json)).containsExactly("message", "isDataAvailable", "isTriggerActive");
            assertThat(json.get("message").textValue()).isEqualTo("Stopped");
            assertThat(json.get("isTriggerActive").isBoolean()).isTrue();
            assertThat(query.status().prettyJson()).isEqualTo(
                "{\n  \"message\" : \"Stopped\",\n  \"isDataAvailable\" : false,\n  \"isTriggerActive\" : false\n}");
        }
    }
}
