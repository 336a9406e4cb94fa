package io.rivulet.engine;

import io.rivulet.engine.sink.CollectingSink;
import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.source.MemoryStream;
import io.rivulet.engine.source.Sources;
import io.rivulet.operators.OutputMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(NoLeakedThreads.class)
class QueryLifecycleTest {
    @Test
    void shouldDrainCommitAndEndThreadsWhenStopped() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            MemoryStream<Integer> input = Sources.memoryStream("numbers");
            CollectingSink<Integer> sink = Sinks.collecting();
            StreamingQuery query = rivulet.readStream(input)
                .keyBy(i -> i % 4, 2)
                .reduce(Integer::sum)
                .writeStream(sink)
                .outputMode(OutputMode.UPDATE)
                .queryName("stoppable")
                .start();
            assertThat(rivulet.streams().active()).containsExactly(query);
            assertThat(rivulet.streams().get(query.id())).contains(query);
            input.addData(1, 2, 3, 4, 5, 6, 7, 8);
            sink.awaitReceived(8, Duration.ofSeconds(10));
            query.stop();
            assertThat(query.isActive()).isFalse();
            assertThat(query.exception()).isEmpty();
            assertThat(rivulet.streams().active()).isEmpty();
            assertThat(sink.isClosed()).isTrue();
            assertThat(sink.committedEpochs()).isNotEmpty();
            assertThat(query.awaitTermination(1)).isTrue();
        }
    }

    @Test
    void shouldRejectSecondActiveQueryWithSameName() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery first = rivulet.readStream(Sources.memoryStream("a"))
                .writeStream(Sinks.collecting()).queryName("orders").start();
            assertThatThrownBy(() -> rivulet.readStream(Sources.memoryStream("b"))
                .writeStream(Sinks.collecting()).queryName("orders").start())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'orders'")
                .hasMessageContaining("already active");
            assertThat(rivulet.streams().active()).containsExactly(first);
            first.stop();
            rivulet.readStream(Sources.memoryStream("c")).writeStream(Sinks.collecting()).queryName("orders").start().stop();
        }
    }

    @Test
    void shouldRejectStreamConsumedTwiceInOneQuery() {
        try (Rivulet rivulet = Rivulet.create()) {
            Stream<Integer> numbers = rivulet.readStream(Sources.of(1, 2, 3));
            assertThatThrownBy(() -> numbers.map(i -> i).union(numbers.map(i -> -i)).writeStream(Sinks.collecting()).start())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("feeds more than one operator");
            assertThat(rivulet.streams().active()).isEmpty();
        }
    }

    @Test
    void shouldRejectKeyedStageWithMorePartitionsThanMaxParallelismNamingStageAndRule() {
        try (Rivulet rivulet = Rivulet.builder().maxParallelism(4).build()) {
            assertThatThrownBy(() -> rivulet.readStream(Sources.of(1, 2, 3)).keyBy(i -> i, 5).reduce(Integer::sum)
                .writeStream(Sinks.collecting()).outputMode(OutputMode.UPDATE).start())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("keyed stage 'reduce'")
                .hasMessageContaining("5 partitions")
                .hasMessageContaining("partitions must be <= maxParallelism");
            assertThatThrownBy(() -> rivulet.readStream(Sources.of(1, 2, 3)).keyBy(i -> i, 8).reduce(Integer::sum)
                .writeStream(Sinks.collecting()).outputMode(OutputMode.UPDATE).maxParallelism(6).start())
                .hasMessageContaining("maxParallelism is 6");
            assertThat(rivulet.streams().active()).isEmpty();
            assertThatThrownBy(() -> Rivulet.builder().maxParallelism(0)).hasMessageContaining("maxParallelism must be in 1..");
            assertThatThrownBy(() -> rivulet.readStream(Sources.of(1)).writeStream(Sinks.collecting()).maxParallelism(1 << 16))
                .hasMessageContaining("maxParallelism must be in 1..");
        }
    }

    @Test
    void shouldRunKeyedStageWithAsManyPartitionsAsKeyGroupsOverridingEngineDefault() throws Exception {
        try (Rivulet rivulet = Rivulet.builder().maxParallelism(2).build()) {
            CollectingSink<Integer> sink = Sinks.collecting();
            StreamingQuery query = rivulet.readStream(Sources.of(1, 2, 3, 4, 5, 6)).keyBy(i -> i % 3, 3).reduce(Integer::sum)
                .writeStream(sink).outputMode(OutputMode.UPDATE).maxParallelism(3).start();
            query.awaitTermination();
            assertThat(sink.received()).containsExactlyInAnyOrder(1, 2, 3, 5, 7, 9);
        }
    }

    @Test
    void shouldRejectInvalidSettingsNamingThem() {
        try (Rivulet rivulet = Rivulet.create()) {
            DataStreamWriter<Integer> writer = rivulet.readStream(Sources.of(1)).writeStream(Sinks.collecting());
            assertThatThrownBy(() -> writer.ringCapacity(1000)).hasMessageContaining("ringCapacity").hasMessageContaining("power of two");
            assertThatThrownBy(() -> writer.queryName("bad name!")).hasMessageContaining("queryName");
            assertThatThrownBy(() -> Trigger.continuous(Duration.ZERO)).hasMessageContaining("between 1 ms and 1 day");
            assertThatThrownBy(() -> rivulet.readStream(Sources.of(1)).keyBy(i -> i, 0)).hasMessageContaining("partitions must be >= 1");
            assertThatThrownBy(() -> WaitStrategy.named("spin")).hasMessageContaining("busySpin, yielding, backoff, sleeping");
            assertThatThrownBy(() -> Rivulet.builder().defaultParallelism(0)).hasMessageContaining("defaultParallelism");
        }
    }

    @Test
    void shouldMergeUnionInputsAndReportProgressPerEpoch() throws Exception {
        List<QueryProgress> progress = Collections.synchronizedList(new ArrayList<>());
        try (Rivulet rivulet = Rivulet.create()) {
            rivulet.streams().addListener(new StreamingQueryListener() {
                @Override
                public void onQueryProgress(StreamingQuery query, QueryProgress p) {
                    progress.add(p);
                }
            });
            CollectingSink<Long> sink = Sinks.collecting();
            StreamingQuery query = rivulet.readStream(Sources.generator(30_000, i -> i))
                .union(rivulet.readStream(Sources.generator(20_000, i -> -i - 1)))
                .keyBy(i -> i % 10, 2)
                .reduce((a, b) -> b)
                .writeStream(sink)
                .outputMode(OutputMode.UPDATE)
                .trigger(Trigger.continuous(5))
                .start();
            query.awaitTermination();
            assertThat(sink.received()).hasSize(50_000);
            assertThat(sink.received()).doesNotHaveDuplicates();
            QueryProgress last = query.lastProgress();
            assertThat(last.totalInputRows()).isEqualTo(50_000);
            assertThat(last.totalOutputRows()).isEqualTo(50_000);
            assertThat(last.sources()).hasSize(2);
            assertThat(progress.stream().mapToLong(QueryProgress::numInputRows).sum()).isEqualTo(50_000);
            assertThat(progress.stream().mapToLong(p -> p.latency().count()).sum()).isEqualTo(50_000);
            assertThat(progress).extracting(QueryProgress::batchId).isSorted().doesNotHaveDuplicates();
            assertThat(query.latencyHistogram().getTotalCount()).isEqualTo(50_000);
            assertThat(query.recentProgress()).isNotEmpty().endsWith(last);
        }
    }

    @Test
    void shouldPublishProgressOffTheDataThreadsSoABlockedListenerStallsNoRecordOrCommit() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<String> listenerThreads = Collections.synchronizedList(new ArrayList<>());
        List<QueryProgress> progress = Collections.synchronizedList(new ArrayList<>());
        try (Rivulet rivulet = Rivulet.create()) {
            rivulet.streams().addListener(new StreamingQueryListener() {
                @Override
                public void onQueryProgress(StreamingQuery query, QueryProgress p) {
                    listenerThreads.add(Thread.currentThread().getName());
                    progress.add(p);
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            MemoryStream<Long> input = Sources.memoryStream("blocked");
            CollectingSink<Long> sink = Sinks.collecting();
            StreamingQuery query = rivulet.readStream(input)
                .keyBy(i -> i % 3, 2)
                .reduce(Long::sum)
                .writeStream(sink)
                .outputMode(OutputMode.UPDATE)
                .queryName("blocked-listener")
                .trigger(Trigger.continuous(5))
                .start();
            input.addData(1L, 2L, 3L);
            Conditions.await("first progress report", () -> !progress.isEmpty());
            // The listener now blocks its thread; records and commits must go on without it.
            int committedBefore = sink.committedEpochs().size();
            input.addData(4L, 5L, 6L);
            Conditions.await("records behind a blocked listener", () -> sink.received().size() == 6);
            Conditions.await("commits behind a blocked listener", () -> sink.committedEpochs().size() > committedBefore + 3);
            release.countDown();
            query.stop();
            assertThat(listenerThreads).isNotEmpty().allMatch(name -> name.equals("rivulet-blocked-listener-progress"));
            assertThat(query.lastProgress().totalInputRows()).isEqualTo(6);
            assertThat(progress).extracting(QueryProgress::batchId).isSorted().doesNotHaveDuplicates();
        }
    }

    @Test
    void shouldRecordLatencyOfEveryNthRecordWithSampling() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(Sources.generator(1_600, i -> i))
                .writeStream(Sinks.collecting())
                .latencySampling(16)
                .start();
            query.awaitTermination();
            assertThat(query.latencyHistogram().getTotalCount()).isEqualTo(100);
            assertThat(query.lastProgress().totalOutputRows()).isEqualTo(1_600);
            assertThatThrownBy(() -> rivulet.readStream(Sources.of(1)).writeStream(Sinks.collecting()).latencySampling(10))
                .hasMessageContaining("latencySampling must be a power of two");
        }
    }
}
