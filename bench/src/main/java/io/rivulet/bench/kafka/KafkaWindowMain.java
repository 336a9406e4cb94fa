package io.rivulet.bench.kafka;

import io.rivulet.bench.harness.CountSumQty;
import io.rivulet.bench.harness.MeasuringSink;
import io.rivulet.bench.harness.ReferenceResults;
import io.rivulet.bench.workload.BaselineW2;
import io.rivulet.bench.workload.Checksum;
import io.rivulet.bench.workload.ChecksumAccumulator;
import io.rivulet.bench.workload.Trade;
import io.rivulet.bench.workload.TradeGenerator;
import io.rivulet.bench.workload.Workload;
import io.rivulet.bench.workload.WorkloadSpec;
import io.rivulet.engine.Rivulet;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.Trigger;
import io.rivulet.engine.WaitStrategy;
import io.rivulet.engine.Windows;
import io.rivulet.engine.sink.Sink;
import io.rivulet.kafka.KafkaSink;
import io.rivulet.kafka.KafkaSource;
import io.rivulet.operators.OutputMode;
import io.rivulet.operators.window.WindowedValue;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import com.sun.management.OperatingSystemMXBean;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;

/**
 * Kafka -> W2 -> Kafka, exactly-once, Rivulet beside Kafka Streams in one run ({@code bin/bench kafka-window}).
 * The broker runs on this host in a JVM of its own ({@link BrokerProcess}); engines and checks run in this one.
 *
 * <p><b>throughput</b>: {@code N} W2 trades ({@link TradeGenerator}, {@link TradeRecords} layout, key = symbol,
 * Kafka's default partitioner) plus one end-of-input record per partition are produced into an input topic of
 * {@code P} partitions before anything is timed. Then each engine in turn reads the topic from its beginning
 * and writes W2's results (tumbling 1 s windows per symbol, count and sum of qty, 500 ms watermark lag / grace,
 * append mode / {@code suppress(untilWindowCloses)}) to an output topic of its own, exactly-once. A
 * {@code read_committed} {@link ResultObserver} counts the committed results; the figure is {@code N} over the time
 * from the first trade decoded to the moment the observer has seen every expected result committed. The results
 * must equal the direct computation ({@link BaselineW2}, and the spec's reference table where it has {@code N}) in
 * count and checksum, with no duplicate, or the run fails. CPU: this JVM's CPU time over the run minus the
 * observer's thread (the engine's alone), and the broker JVM's, per event.
 *
 * <p><b>latency</b>: at each fixed rate, per engine, fresh topics; a producer thread writes the trades at their
 * scheduled times ({@code startNs + seq * 1e9 / rate}); the observer records each result's committed-output
 * latency from the scheduled time of the event that closes its window, for windows closing in the measured
 * period after the warm-up.
 *
 * <p>Engines: {@code rivulet} ({@code KafkaSource -> withWatermark -> keyBy(symbol) -> window -> aggregate ->
 * KafkaSink.exactlyOnce}, continuous trigger of {@code --epoch-ms}), {@code kstreams-100} and {@code kstreams-10}
 * ({@link KafkaStreamsW2}, {@code exactly_once_v2}, {@code commit.interval.ms} 100 (its default) and 10).
 */
public final class KafkaWindowMain {
    /** Consumer {@code max.poll.records} of both engines. */
    static final String MAX_POLL_RECORDS = "10000";
    /** Consumer {@code max.partition.fetch.bytes} of both engines: 8 MiB (default 1 MiB). */
    static final String MAX_PARTITION_FETCH_BYTES = Integer.toString(8 << 20);

    private final Map<String, String> options;
    private final int partitions;
    /** The scheduled producer's shortest park: it wakes at most ~1 000 times a second (events then leave ≤ ~1 ms late). */
    private static final long PARK_QUANTUM_NS = 1_000_000L;
    private final long epochMs;
    /** How Rivulet's threads wait when idle ({@code --wait}, a {@link WaitStrategy#named} name). */
    private final WaitStrategy wait;
    private final List<String> engines;
    private BrokerProcess broker;
    private Path work;

    private KafkaWindowMain(Map<String, String> options) {
        this.options = options;
        this.partitions = Integer.parseInt(option("partitions", "2"));
        this.epochMs = Long.parseLong(option("epoch-ms", "10"));
        this.wait = WaitStrategy.named(option("wait", "backoff"));
        this.engines = List.of(option("engines", "rivulet,kstreams-100,kstreams-10").split(","));
        for (String engine : engines) {
            if (!engine.equals("rivulet") && !engine.equals("kstreams-100") && !engine.equals("kstreams-10")) {
                throw new IllegalArgumentException("--engines: each engine must be rivulet, kstreams-100 or kstreams-10, got '"
                    + engine + "'");
            }
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("--partitions must be at least 1, got " + partitions);
        }
    }

    /**
     * @param args {@code throughput [--trades 10M]} or {@code latency [--rates 100k,500k] [--warmup 10s]
     *     [--measure 20s] [--prewarm 10s] [--broker-metrics false]}, then {@code [--passes 1] [--partitions 2] [--keyed 2] [--epoch-ms 10] [--wait backoff] [--engines rivulet,kstreams-100,kstreams-10]}
     * @throws Exception if the broker does not start, an engine fails or a result is wrong
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 1 || !(args[0].equals("throughput") || args[0].equals("latency"))) {
            throw new IllegalArgumentException("usage: kafka-window throughput|latency [--option value ...]");
        }
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("options are --name value pairs, got '" + args[i] + "'");
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        KafkaWindowMain main = new KafkaWindowMain(options);
        main.work = Files.createTempDirectory("rivulet-kafka-window");
        try (BrokerProcess started = BrokerProcess.start("1g")) {
            main.broker = started;
            System.out.printf("kafka-window %s: %d partitions, %d ms epochs, broker JVM at %s, options %s%n", args[0],
                main.partitions, main.epochMs, started.bootstrapServers(), options);
            if (args[0].equals("throughput")) {
                main.throughput();
            } else {
                main.latency();
            }
        }
    }

    private String option(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }

    private static long count(String text) {
        String t = text.replace("_", "").toLowerCase(Locale.ROOT);
        long unit = t.endsWith("k") ? 1_000 : t.endsWith("m") ? 1_000_000 : 1;
        return Long.parseLong(unit == 1 ? t : t.substring(0, t.length() - 1)) * unit;
    }

    private static long seconds(String text) {
        return Long.parseLong(text.toLowerCase(Locale.ROOT).replace("s", ""));
    }

    // ---------------------------------------------------------------- throughput

    private void throughput() throws Exception {
        long trades = count(option("trades", "10M"));
        ChecksumAccumulator reference = new ChecksumAccumulator();
        long maxTsMs = reference(trades, reference);
        ReferenceResults.find(Workload.W2, trades).ifPresent(row -> {
            if (row.results() != reference.count() || row.checksum() != reference.sum()) {
                throw new IllegalStateException("the direct W2 computation disagrees with the spec's table for N=" + trades);
            }
        });
        String in = "w2-trades";
        createTopic(in);
        long loadNs = load(in, trades, maxTsMs);
        System.out.printf("input: %,d trades + %d end-of-input records in %s, produced in %.1f s; expected %,d results, checksum %d%n",
            trades, partitions, in, loadNs / 1e9, reference.count(), reference.sum());
        var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        int passes = Integer.parseInt(option("passes", "1"));
        for (int pass = 1; pass <= passes; pass++) {
            for (String engine : engines) {
                throughputRun(os, in, engine, pass, trades, reference);
            }
        }
    }

    /** One engine's timed run over the pre-produced input, checked; prints its line. */
    private void throughputRun(OperatingSystemMXBean os, String in, String engine, int pass, long trades,
                               ChecksumAccumulator reference) throws Exception {
        String out = "w2-out-" + engine + "-" + pass;
        createTopic(out);
        ResultObserver observer = new ResultObserver(broker.bootstrapServers(), out, partitions, reference.count());
        observer.start();
        TradeRecords.TradeDeserializer.resetFirstRead();
        long cpu0 = os.getProcessCpuTime();
        long observerCpu0 = observer.threadCpuNs();
        long broker0 = broker.cpuNs();
        long jit0 = BrokerProcess.compilerCpuNs();
        long startNs = System.nanoTime();
        AutoCloseable running = startEngine(engine, in, out, true, null);
        boolean done = observer.awaitDone(300_000);
        long endNs = System.nanoTime();
        long cpuNs = os.getProcessCpuTime() - cpu0 - (observer.threadCpuNs() - observerCpu0);
        long brokerNs = broker.cpuNs() - broker0;
        long jitNs = BrokerProcess.compilerCpuNs() - jit0;
        running.close();
        observer.stop();
        if (!done) {
            throw new IllegalStateException(engine + ": " + observer.results() + " of " + reference.count()
                + " results committed within 5 minutes");
        }
        if (observer.checksum() != reference.sum()) {
            throw new IllegalStateException(engine + ": wrong results: checksum " + observer.checksum() + ", expected "
                + reference.sum());
        }
        long firstNs = TradeRecords.TradeDeserializer.firstReadNs();
        double seconds = (endNs - firstNs) / 1e9;
        System.out.printf("pass %d %-13s %,11.0f events/s  (%,d in %.2f s from the first read to the last result committed; "
                + "%.2f s from start)  CPU: engine JVM %,.0f ns/event (of which JIT compiling %,.0f), broker JVM %,.0f ns/event; "
                + "results checked%n",
            pass, engine, trades / seconds, trades, seconds, (endNs - startNs) / 1e9, (double) cpuNs / trades, (double) jitNs / trades,
            (double) brokerNs / trades);
    }

    /** Runs the direct W2 computation over the first {@code trades}; returns the largest event time. */
    private static long reference(long trades, ChecksumAccumulator into) {
        TradeGenerator generator = new TradeGenerator(WorkloadSpec.THROUGHPUT_RATE, false);
        BaselineW2 w2 = new BaselineW2(into);
        Trade trade = new Trade();
        for (long i = 0; i < trades; i++) {
            generator.next(trade);
            w2.onTrade(trade.tsMs(), trade.symbol(), trade.qty());
        }
        w2.finish();
        return w2.maxTsMs();
    }

    private static Map<String, Object> producerTuning(String servers) {
        Map<String, Object> configs = new LinkedHashMap<>();
        configs.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        configs.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        configs.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(1 << 20));
        configs.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(256L << 20));
        return configs;
    }

    /** Produces the trades, then an end-of-input record per partition 2 s of event time after the last trade. */
    private long load(String topic, long trades, long maxTsMs) {
        long start = System.nanoTime();
        byte[][] keys = keys();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerTuning(broker.bootstrapServers()),
            new ByteArraySerializer(), new ByteArraySerializer())) {
            TradeGenerator generator = new TradeGenerator(WorkloadSpec.THROUGHPUT_RATE, false);
            Trade trade = new Trade();
            for (long i = 0; i < trades; i++) {
                generator.next(trade);
                producer.send(new ProducerRecord<>(topic, null, trade.tsMs(), keys[trade.symbol()], TradeRecords.value(trade)));
            }
            Trade end = new Trade().tsMs(maxTsMs + 2 * WorkloadSpec.WINDOW_MS).qty(1);
            for (int p = 0; p < partitions; p++) {
                producer.send(new ProducerRecord<>(topic, p, end.tsMs(), keys[TradeRecords.END_SYMBOL], TradeRecords.value(end)));
            }
            producer.flush();
        }
        return System.nanoTime() - start;
    }

    private static byte[][] keys() {
        byte[][] keys = new byte[TradeRecords.END_SYMBOL + 1][];
        for (int s = 0; s < keys.length; s++) {
            keys[s] = TradeRecords.key(s);
        }
        return keys;
    }

    /** Creates a topic with {@code retention.ms=-1} (the trades' event times are in 2023) and waits for its leaders. */
    private void createTopic(String name) throws Exception {
        // An admin client per call: an idle one polls on a thread of its own, which would count as the engine's CPU.
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            createTopic(admin, name);
        }
    }

    private void createTopic(Admin admin, String name) throws Exception {
        NewTopic topic = new NewTopic(name, partitions, (short) 1).configs(Map.of("retention.ms", "-1"));
        admin.createTopics(List.of(topic)).all().get(60, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() - deadline < 0) {
            try {
                var description = admin.describeTopics(List.of(name)).allTopicNames().get(30, TimeUnit.SECONDS).get(name);
                if (description.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
                // The metadata lags the creation: ask again.
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("topic " + name + " has no leader for every partition after 30 s");
    }

    // ---------------------------------------------------------------- engines

    private AutoCloseable startEngine(String engine, String in, String out, boolean bounded, StageTimes times) throws Exception {
        if (engine.equals("rivulet")) {
            return startRivulet(in, out, bounded, times);
        }
        long commitMs = engine.equals("kstreams-10") ? 10 : 100;
        KafkaStreams streams = KafkaStreamsW2.create(broker.bootstrapServers(), "w2-" + out, in, out, partitions, commitMs,
            Files.createTempDirectory(work, "kstreams"));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        streams.setUncaughtExceptionHandler(e -> {
            failure.compareAndSet(null, e);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.start();
        return () -> {
            streams.close(Duration.ofSeconds(30));
            if (failure.get() != null) {
                throw new IllegalStateException(engine + " failed", failure.get());
            }
        };
    }

    private AutoCloseable startRivulet(String in, String out, boolean bounded, StageTimes times) throws Exception {
        int keyed = Integer.parseInt(option("keyed", Integer.toString(partitions)));
        Path state = Files.createTempDirectory(work, "rivulet");
        KafkaSource<Integer, Trade> source = KafkaSource.of(broker.bootstrapServers(), TradeRecords.SymbolDeserializer::new,
                TradeRecords.TradeDeserializer::new)
            .subscribe(in).startingOffsets("earliest")
            .option(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
            .option(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS)
            .option(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, MAX_PARTITION_FETCH_BYTES);
        if (bounded) {
            source = source.endingOffsets("latest");
        }
        byte[][] keys = keys();
        Sink<WindowedValue<Integer, long[]>> sink = KafkaSink.<WindowedValue<Integer, long[]>>of(broker.bootstrapServers(),
                r -> {
                    if (times != null) {
                        times.fired(StageTimes.window(r.window().endMs()), System.nanoTime());
                    }
                    return new ProducerRecord<>(out, keys[r.key()], TradeRecords.result(r.window().endMs(), r.value()[0], r.value()[1]));
                })
            .option(ProducerConfig.LINGER_MS_CONFIG, "0")
            .exactlyOnce(state.resolve("staging"));
        Function<ConsumerRecord<Integer, Trade>, Trade> toTrade = KafkaWindowMain::trade;
        if (times != null) {
            sink = new TimedSink(sink, times);
            toTrade = record -> {
                times.read(record.partition(), record.value().tsMs());
                return trade(record);
            };
        }
        Rivulet rivulet = Rivulet.create();
        StreamingQuery query = rivulet.readStream(source)
            .map(toTrade)
            .withWatermark(Trade::tsMs, Duration.ofMillis(WorkloadSpec.WATERMARK_LAG_MS))
            .keyBy("symbol", (Trade t) -> TradeRecords.symbolKey(t.symbol()), keyed)
            .window(Windows.tumbling(Duration.ofMillis(WorkloadSpec.WINDOW_MS)), Trade::tsMs)
            .aggregate(new CountSumQty())
            .writeStream(sink)
            .outputMode(OutputMode.APPEND)
            .queryName("w2-" + out)
            .checkpointLocation(state.resolve("checkpoint"))
            .trigger(Trigger.continuous(Duration.ofMillis(epochMs)))
            .waitStrategy(wait)
            .start();
        return () -> {
            try {
                if (!bounded || !query.awaitTermination(30_000)) {
                    query.stop();
                }
                if (query.exception().isPresent()) {
                    throw new IllegalStateException("rivulet failed", query.exception().get());
                }
            } finally {
                rivulet.close();
            }
        };
    }

    private static Trade trade(ConsumerRecord<Integer, Trade> record) {
        return record.value().symbol(record.key());
    }

    // ---------------------------------------------------------------- latency

    private void latency() throws Exception {
        long warmupS = seconds(option("warmup", "10s"));
        long measureS = seconds(option("measure", "20s"));
        long prewarmS = seconds(option("prewarm", "10s"));
        boolean brokerMetrics = Boolean.parseBoolean(option("broker-metrics", "false"));
        boolean prewarmed = false;
        for (String rateText : option("rates", "100k,500k").split(",")) {
            long rate = count(rateText);
            if (!prewarmed && prewarmS > 0) {
                // The JVM's first schedule ran seconds late (its code cold): warm the producer's path before any engine.
                createTopic("lat-prewarm");
                Produced produced = produce(scheduledProducer("lat-prewarm"), "lat-prewarm", rate, System.nanoTime(),
                    rate * prewarmS, null);
                System.out.printf("producer pre-warmed: %d s at %,d events/s, %s%n", prewarmS, rate, produced.describe());
                prewarmed = true;
            }
            long events = rate * (warmupS + measureS + 2);
            ChecksumAccumulator expected = measuredWindows(rate, events, warmupS, measureS);
            for (String engine : engines) {
                String in = "lat-" + rate + "-" + engine + "-in";
                String out = "lat-" + rate + "-" + engine + "-out";
                createTopic(in);
                createTopic(out);
                ResultObserver observer = new ResultObserver(broker.bootstrapServers(), out, partitions, Long.MAX_VALUE);
                KafkaProducer<byte[], byte[]> producer = scheduledProducer(in);
                long startNs = System.nanoTime() + 1_000_000_000L;
                StageTimes times = new StageTimes(rate, startNs, (int) (warmupS + measureS + 4),
                    (int) ((warmupS + measureS + 70) * 1000 / epochMs), partitions);
                observer.stages(times);
                AutoCloseable running = startEngine(engine, in, out, false, times);
                long fromNs = startNs + warmupS * 1_000_000_000L;
                long toNs = fromNs + measureS * 1_000_000_000L;
                observer.measure(rate, startNs, fromNs, toNs);
                observer.start();
                long[] gc0 = gcCountAndMs();
                Produced produced = produce(producer, in, rate, startNs, events, times);
                long[] gc1 = gcCountAndMs();
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (observer.measured() < expected.count() && System.nanoTime() - deadline < 0) {
                    Thread.sleep(10);
                }
                running.close();
                observer.stop();
                Histogram h = observer.latency();
                boolean complete = observer.measured() == expected.count();
                if (complete && observer.measuredChecksum() != expected.sum()) {
                    throw new IllegalStateException(engine + ": wrong results in the measured windows: checksum "
                        + observer.measuredChecksum() + ", expected " + expected.sum());
                }
                System.out.printf("%-13s %,9d events/s  committed-output latency ms: p50 %.1f  p99 %.1f  p99.9 %.1f  max %.1f  "
                        + "(%,d of %,d results of the measured windows%s)%n  producer %s%n",
                    engine, rate, h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(99) / 1e6,
                    h.getValueAtPercentile(99.9) / 1e6, h.getMaxValue() / 1e6, observer.measured(), expected.count(),
                    complete ? ", checked" : ": INCOMPLETE 60 s after the last event, the engine fell behind", produced.describe());
                System.out.printf("  this JVM's GC while producing: %d collections, %d ms in all%n", gc1[0] - gc0[0], gc1[1] - gc0[1]);
                times.print((int) warmupS, (int) (warmupS + measureS));
                if (brokerMetrics) {
                    System.out.print(BrokerRequestMetrics.read(broker.pid()));
                }
            }
        }
    }

    /** @return this JVM's stop-the-world collections so far and their total time, ms (concurrent cycles left out) */
    private static long[] gcCountAndMs() {
        long count = 0;
        long ms = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (!gc.getName().contains("Concurrent")) {
                count += gc.getCollectionCount();
                ms += gc.getCollectionTime();
            }
        }
        return new long[] {count, ms};
    }

    /**
     * The W2 results of the windows a latency run measures, computed directly: window {@code k} (ending {@code k} s
     * after T0) closes with the event scheduled {@code k + 0.5} s after the start, so the windows closing in the
     * measured period are {@code k = warmup .. warmup + measure - 1}.
     */
    private static ChecksumAccumulator measuredWindows(long rate, long events, long warmupS, long measureS) {
        long[][] count = new long[(int) measureS][WorkloadSpec.SYMBOLS];
        long[][] sum = new long[(int) measureS][WorkloadSpec.SYMBOLS];
        TradeGenerator generator = new TradeGenerator(rate, false);
        Trade trade = new Trade();
        for (long i = 0; i < events; i++) {
            generator.next(trade);
            long k = Math.floorDiv(trade.tsMs() - WorkloadSpec.T0_MS, WorkloadSpec.WINDOW_MS) + 1 - warmupS;
            if (k >= 0 && k < measureS) {
                count[(int) k][trade.symbol()]++;
                sum[(int) k][trade.symbol()] += trade.qty();
            }
        }
        ChecksumAccumulator expected = new ChecksumAccumulator();
        for (int k = 0; k < measureS; k++) {
            long windowEndMs = WorkloadSpec.T0_MS + (k + warmupS) * WorkloadSpec.WINDOW_MS;
            for (int symbol = 0; symbol < WorkloadSpec.SYMBOLS; symbol++) {
                if (count[k][symbol] > 0) {
                    expected.add(Checksum.w2(symbol, windowEndMs, count[k][symbol], sum[k][symbol]));
                }
            }
        }
        return expected;
    }

    /**
     * The latency run's producer, made and given the input topic's metadata before the engine starts, so that the
     * schedule's first sends do not wait for either.
     */
    private KafkaProducer<byte[], byte[]> scheduledProducer(String topic) {
        Map<String, Object> configs = producerTuning(broker.bootstrapServers());
        configs.put(ProducerConfig.LINGER_MS_CONFIG, "1");
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(configs, new ByteArraySerializer(), new ByteArraySerializer());
        producer.partitionsFor(topic);
        return producer;
    }

    /** How a scheduled producer kept its schedule: each send's lag behind its due time, and how long send() took, ns. */
    record Produced(Histogram lag, Histogram send) {
        String describe() {
            return String.format(Locale.ROOT, "behind schedule p50 %.2f p99 %.2f p99.9 %.2f max %.1f ms; send() p99 %.3f max %.1f ms",
                lag.getValueAtPercentile(50) / 1e6, lag.getValueAtPercentile(99) / 1e6, lag.getValueAtPercentile(99.9) / 1e6,
                lag.getMaxValue() / 1e6, send.getValueAtPercentile(99) / 1e6, send.getMaxValue() / 1e6);
        }
    }

    /**
     * Writes {@code events} trades, each at its scheduled time, then closes the producer; returns how far behind
     * schedule each send was and how long it took. With {@code times}, stamps each window's closing event's send and
     * acknowledgement.
     */
    private static Produced produce(KafkaProducer<byte[], byte[]> scheduled, String topic, long rate, long startNs, long events,
                                    StageTimes times) {
        byte[][] keys = keys();
        Histogram lag = new Histogram(1, MeasuringSink.HIGHEST_TRACKABLE_NS, 3);
        Histogram send = new Histogram(1, MeasuringSink.HIGHEST_TRACKABLE_NS, 3);
        try (KafkaProducer<byte[], byte[]> producer = scheduled) {
            TradeGenerator generator = new TradeGenerator(rate, false);
            Trade trade = new Trade();
            int nextK = 0;
            long nextClosingSeq = StageTimes.closingSeq(0, rate);
            for (long seq = 0; seq < events; seq++) {
                long dueNs = startNs + TradeGenerator.dueNanosOffset(seq, rate);
                long now = System.nanoTime();
                while (dueNs - now > 0) {
                    // Parks at least PARK_QUANTUM_NS, then sends every event due meanwhile back to back, each one's lag
                    // from its own scheduled time recorded (a spin would hold one of the 2 cores). Parking for each 10 us
                    // gap of 100 k/s instead woke the thread ~16 000 times a second: 21 % of a core against 16 % (per-thread
                    // /proc stat over 3 s, session 11).
                    LockSupport.parkNanos(Math.max(dueNs - now, PARK_QUANTUM_NS));
                    now = System.nanoTime();
                }
                lag.recordValue(Math.min(Math.max(now - dueNs, 0), MeasuringSink.HIGHEST_TRACKABLE_NS));
                generator.next(trade);
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, null, trade.tsMs(), keys[trade.symbol()],
                    TradeRecords.value(trade));
                if (times != null && seq == nextClosingSeq) {
                    int k = nextK;
                    times.sent(k, now);
                    producer.send(record, (metadata, e) -> times.acked(k, System.nanoTime()));
                    nextClosingSeq = StageTimes.closingSeq(++nextK, rate);
                } else {
                    producer.send(record);
                }
                send.recordValue(Math.min(Math.max(System.nanoTime() - now, 0), MeasuringSink.HIGHEST_TRACKABLE_NS));
            }
            producer.flush();
        }
        return new Produced(lag, send);
    }
}
