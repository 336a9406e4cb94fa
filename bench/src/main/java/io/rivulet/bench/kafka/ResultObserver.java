package io.rivulet.bench.kafka;

import io.rivulet.bench.harness.MeasuringSink;
import io.rivulet.bench.workload.Checksum;
import io.rivulet.bench.workload.TradeGenerator;
import io.rivulet.bench.workload.WorkloadSpec;
import org.HdrHistogram.Histogram;
import org.agrona.collections.LongHashSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.CloseOptions;
import java.lang.management.ManagementFactory;

/**
 * What a downstream application sees: a {@code read_committed} consumer of the output topic, from its beginning, on a
 * thread of its own. Each W2 result is decoded, checked once-only per (symbol, window) (a duplicate fails the run),
 * added to the W2 checksum, and, at a fixed rate, its committed-output latency recorded: the time this consumer
 * received it minus the scheduled time of the event that closes its window (WORKLOADS.md section 5: event
 * {@code (windowEnd + 500 - T0) * rate / 1000}, scheduled at {@code startNs + seq * 1e9 / rate}), for windows
 * whose closing event falls in the measured period. The end-of-input symbol's results are counted apart.
 *
 * <p>{@code fetch.max.wait.ms=5}: a result committed while a fetch waits at the broker is seen within 5 ms even if
 * the broker does not answer the waiting fetch at the commit.
 *
 * <p>The counters are written by the observer thread and read by others through {@code volatile} fields; the
 * checksum and histogram after {@link #stop()} returns.
 */
final class ResultObserver implements Runnable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final long expected;
    private final LongHashSet seen = new LongHashSet();
    private final Histogram latency = new Histogram(1, MeasuringSink.HIGHEST_TRACKABLE_NS, 3);
    private volatile boolean running = true;
    private volatile long results;
    private volatile long doneNs;
    private long checksum;
    private volatile long measured;
    private long measuredChecksum;
    private long endResults;
    private long rate;
    private long startNs;
    private long fromNs;
    private long toNs;
    private Thread thread;
    private StageTimes stages;
    private volatile RuntimeException failure;

    /**
     * @param servers bootstrap servers
     * @param topic output topic
     * @param partitions its partition count
     * @param expected W2 results after which {@link #doneNs()} is set; {@code Long.MAX_VALUE} for none
     */
    ResultObserver(String servers, String topic, int partitions, long expected) {
        this.expected = expected;
        Map<String, Object> configs = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
            ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "5", ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
        consumer = new KafkaConsumer<>(configs, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> all = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            all.add(new TopicPartition(topic, p));
        }
        consumer.assign(all);
        consumer.seekToBeginning(all);
    }

    /**
     * Records latencies from now on (call before the observer starts).
     *
     * @param rate the producer's rate, events/s
     * @param startNs when event 0 was scheduled, {@link System#nanoTime()}
     * @param fromNs start of the measured period (due times), ns
     * @param toNs its end (exclusive), ns
     */
    void measure(long rate, long startNs, long fromNs, long toNs) {
        this.rate = rate;
        this.startNs = startNs;
        this.fromNs = fromNs;
        this.toNs = toNs;
    }

    /** Stamps each result's receipt into {@code stages} (call before the observer starts). */
    void stages(StageTimes stages) {
        this.stages = stages;
    }

    /** Starts the observer's thread. */
    void start() {
        thread = new Thread(this, "kafka-bench-observer");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void run() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(5))) {
                    onResult(record, System.nanoTime());
                }
            }
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ZERO));
        }
    }

    private void onResult(ConsumerRecord<byte[], byte[]> record, long nowNs) {
        int symbol = ByteBuffer.wrap(record.key()).getInt();
        ByteBuffer value = ByteBuffer.wrap(record.value());
        long windowEndMs = value.getLong();
        long count = value.getLong();
        long sumQty = value.getLong();
        if (symbol == TradeRecords.END_SYMBOL) {
            endResults++;
            return;
        }
        if (!seen.add((windowEndMs / WorkloadSpec.WINDOW_MS) * (TradeRecords.END_SYMBOL + 1) + symbol)) {
            throw new IllegalStateException("a duplicate result: symbol " + symbol + ", window ending " + windowEndMs);
        }
        checksum += Checksum.w2(symbol, windowEndMs, count, sumQty);
        if (stages != null) {
            stages.observed(StageTimes.window(windowEndMs), nowNs);
        }
        if (rate > 0) {
            long dueSeq = (windowEndMs + WorkloadSpec.WATERMARK_LAG_MS - WorkloadSpec.T0_MS) * rate / 1000;
            long dueNs = startNs + TradeGenerator.dueNanosOffset(dueSeq, rate);
            if (dueNs - fromNs >= 0 && dueNs - toNs < 0) {
                latency.recordValue(Math.min(Math.max(nowNs - dueNs, 0), MeasuringSink.HIGHEST_TRACKABLE_NS));
                measuredChecksum += Checksum.w2(symbol, windowEndMs, count, sumQty);
                measured++;
            }
        }
        long n = results + 1;
        results = n;
        if (n == expected) {
            doneNs = nowNs;
        }
    }

    /** @return W2 results seen so far (end-of-input results excluded) */
    long results() {
        return results;
    }

    /** @return results of the measured windows seen so far */
    long measured() {
        return measured;
    }

    /** @return the wrapping sum of the measured windows' checksum terms (read after {@link #stop()}) */
    long measuredChecksum() {
        return measuredChecksum;
    }

    /** @return when the expected count was reached, {@link System#nanoTime()}; 0 until then */
    long doneNs() {
        return doneNs;
    }

    /**
     * Waits until the expected results are seen or the timeout passes.
     *
     * @param timeoutMs how long to wait
     * @return whether they were seen
     * @throws InterruptedException if interrupted
     */
    boolean awaitDone(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (doneNs == 0 && System.nanoTime() - deadline < 0) {
            if (failure != null) {
                throw failure;
            }
            Thread.sleep(1);
        }
        return doneNs != 0;
    }

    /** Stops the thread and waits for it; after this the checksum and histogram may be read. */
    void stop() throws InterruptedException {
        running = false;
        thread.join(10_000);
        if (failure != null) {
            throw failure;
        }
    }

    /** @return the observer thread's CPU time so far, ns (call while it runs) */
    long threadCpuNs() {
        return ManagementFactory.getThreadMXBean().getThreadCpuTime(thread.getId());
    }

    /** @return the wrapping sum of the W2 checksum terms seen */
    long checksum() {
        return checksum;
    }

    /** @return results of the end-of-input symbol seen */
    long endResults() {
        return endResults;
    }

    /** @return committed-output latency of the measured windows' results, ns */
    Histogram latency() {
        return latency;
    }
}
