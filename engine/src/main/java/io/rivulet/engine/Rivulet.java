package io.rivulet.engine;

import io.rivulet.engine.internal.EngineAccess;
import io.rivulet.engine.internal.PlanNode;
import io.rivulet.engine.internal.dashboard.DashboardServer;
import io.rivulet.engine.sink.MemorySink;
import io.rivulet.engine.sql.DataFrameReader;
import io.rivulet.engine.sql.DataStreamReader;
import io.rivulet.engine.sql.Dataset;
import io.rivulet.engine.sql.Row;
import io.rivulet.engine.source.Source;
import io.rivulet.engine.types.StructType;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemNanoClock;

import io.rivulet.engine.internal.Options;
import io.rivulet.engine.internal.QueryOptions;
import io.rivulet.operators.state.KeyGroups;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The entry point: reads sources into {@link Stream}s and runs queries. Spark's
 * {@code SparkSession} for streaming.
 *
 * <pre>{@code
 * try (Rivulet rivulet = Rivulet.create()) {
 *     StreamingQuery query = rivulet.readStream(Sources.socket("localhost", 9999))
 *         .flatMap((String line, Output<String> out) -> { for (String w : line.split(" ")) out.emit(w); })
 *         .keyBy(word -> word)
 *         .count()
 *         .writeStream(Sinks.console())
 *         .start();
 *     query.awaitTermination();
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} stops every active query.
 */
public final class Rivulet implements AutoCloseable {
    static {
        // Chronicle (the journal) must never phone home, whoever forgot the flag.
        if (System.getProperty("chronicle.analytics.disable") == null) {
            System.setProperty("chronicle.analytics.disable", "true");
        }
        EngineAccess.install(new EngineAccess.Bridge() {
            @Override
            public PlanNode<?> node(Stream<?> stream) {
                return stream.node();
            }

            @Override
            public int defaultParallelism(Rivulet rivulet) {
                return rivulet.config.defaultParallelism();
            }

            @Override
            public void registerTable(Rivulet rivulet, String name, MemorySink<?> sink) {
                rivulet.tables.put(name, sink);
            }

            @Override
            public EpochClock epochClock(Rivulet rivulet) {
                return rivulet.config.epochClock();
            }
        });
    }

    private final StreamingQueryManager streams = new StreamingQueryManager();
    /** Memory sinks of structured queries by table name (the query's name), for {@link #table}. */
    private final ConcurrentHashMap<String, MemorySink<?>> tables = new ConcurrentHashMap<>();
    private final Config config;
    /** The dashboard, if the builder asked for one; {@code null} otherwise (nothing listens). */
    private final DashboardServer dashboard;

    private Rivulet(Config config) {
        this.config = config;
        this.dashboard = config.dashboardPort() < 0 ? null
            : DashboardServer.start(config.dashboardHost(), config.dashboardPort(), streams, config.epochClock(),
                DASHBOARD_SAMPLE_INTERVAL_MS);
    }

    /** How often an open dashboard page gets a sample of its query. */
    private static final long DASHBOARD_SAMPLE_INTERVAL_MS = 500;

    /**
     * An engine with default settings.
     *
     * @return the engine
     */
    public static Rivulet create() {
        return builder().build();
    }

    /**
     * @return a builder of engine-wide defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads a source as a stream. Nothing is read until a query over the stream starts.
     *
     * @param source the source
     * @param <T> record type
     * @return the stream of the source's records
     */
    public <T> Stream<T> readStream(Source<T> source) {
        return new Stream<>(this, new PlanNode.SourceNode<>(Objects.requireNonNull(source, "source")));
    }

    /**
     * Starts reading a source by format, as Spark's {@code spark.readStream()}:
     * {@code rivulet.readStream().format("rate").option("rowsPerSecond", 10).load()} is a
     * {@link Dataset} of rows. Formats are found through the provider registry (see
     * {@code docs/structured-api.md}).
     *
     * @return a new reader; not thread-safe, one per source
     */
    public DataStreamReader readStream() {
        return new DataStreamReader(this);
    }

    /**
     * Starts making a static DataFrame, as Spark's {@code spark.read()}: the static side of a stream-static join.
     *
     * @return a new reader; not thread-safe
     */
    public DataFrameReader read() {
        return new DataFrameReader(this);
    }

    /**
     * A static DataFrame of fixed rows, as Spark's {@code spark.createDataFrame(rows, schema)}.
     *
     * @param rows the rows, each of {@code schema}
     * @param schema their schema
     * @return the static DataFrame
     * @throws IllegalArgumentException naming a row that does not fit the schema
     */
    public Dataset<Row> createDataFrame(List<Row> rows, StructType schema) {
        return read().schema(schema).rows(rows);
    }

    /**
     * The rows a structured query wrote to its {@code memory} sink, which is named after the query
     * (Spark's {@code spark.table(name).collect()}, or {@code spark.sql("select * from name")}): the
     * committed rows, in commit order (in complete mode: the latest result table).
     *
     * @param name the query's name, as given to {@code queryName(..)}
     * @return a snapshot of the table's rows
     * @throws IllegalArgumentException naming the known tables, if no memory sink has that name
     */
    public List<Row> table(String name) {
        Objects.requireNonNull(name, "name");
        MemorySink<?> sink = tables.get(name);
        if (sink == null) {
            throw new IllegalArgumentException("[TABLE_OR_VIEW_NOT_FOUND] The table or view `" + name
                + "` cannot be found; memory tables: " + new TreeSet<>(tables.keySet())
                + " (a structured query with writeStream().format(\"memory\").queryName(name) makes one)");
        }
        List<Row> rows = new ArrayList<>(sink.size());
        for (Object row : sink.rows()) {
            rows.add((Row) row);
        }
        return rows;
    }

    /**
     * @return the engine's queries and listeners (Spark's {@code spark.streams})
     */
    public StreamingQueryManager streams() {
        return streams;
    }

    /**
     * The address of the engine's dashboard (see {@code docs/dashboard.md}): the page of its queries
     * with live plots, and {@code /metrics} in Prometheus text format.
     *
     * @return the page's URL, e.g. {@code http://127.0.0.1:4040/} (with the port actually bound, when
     *     the builder asked for port 0); empty unless {@link Builder#dashboard(int)} enabled it
     */
    public Optional<URI> dashboardUrl() {
        return dashboard == null ? Optional.empty() : Optional.of(dashboard.url());
    }

    Config config() {
        return config;
    }

    /**
     * Stops every active query and waits for each to end, then stops the dashboard, if any.
     */
    @Override
    public void close() {
        try {
            streams.stopAll();
        } finally {
            if (dashboard != null) {
                dashboard.close();
            }
        }
    }

    /** Engine-wide defaults, each overridable per query. */
    record Config(WaitStrategy waitStrategy, int defaultParallelism, int maxParallelism, int ringCapacity,
                  int workerThreads, Duration stopTimeout, NanoClock nanoClock, EpochClock epochClock, String dashboardHost,
                  int dashboardPort) {
    }

    /**
     * Builds an engine. Every setting is validated when set.
     */
    public static final class Builder {
        private static final String LOOPBACK = "127.0.0.1";
        private WaitStrategy waitStrategy = WaitStrategy.backoff();
        private int defaultParallelism = Math.max(1,
            Math.min(Runtime.getRuntime().availableProcessors(), KeyGroups.DEFAULT_MAX_PARALLELISM));
        private int maxParallelism = KeyGroups.DEFAULT_MAX_PARALLELISM;
        private int ringCapacity = 16_384;
        private int workerThreads = QueryOptions.AUTO_WORKER_THREADS;
        private Duration stopTimeout = Duration.ofSeconds(30);
        private NanoClock nanoClock = SystemNanoClock.INSTANCE;
        private EpochClock epochClock = SystemEpochClock.INSTANCE;
        private String dashboardHost = LOOPBACK;
        /** -1: no dashboard. */
        private int dashboardPort = -1;

        private Builder() {
        }

        /**
         * @param waitStrategy how idle threads wait (default {@link WaitStrategy#backoff()})
         * @return this
         */
        public Builder waitStrategy(WaitStrategy waitStrategy) {
            this.waitStrategy = Objects.requireNonNull(waitStrategy, "waitStrategy");
            return this;
        }

        /**
         * @param partitions partitions of a keyed stage that names none (default: available
         *     processors, at most {@link KeyGroups#DEFAULT_MAX_PARALLELISM})
         * @return this
         * @throws IllegalArgumentException unless {@code partitions >= 1}
         */
        public Builder defaultParallelism(int partitions) {
            this.defaultParallelism = Options.positive("defaultParallelism", partitions);
            return this;
        }

        /**
         * The number of key groups of every keyed stage: a key goes to the partition that owns its key
         * group, and keyed state is saved per key group, so this is the most partitions a stage can have
         * or be restored with. Fixed for the life of a query's checkpoints: state saved with one value
         * cannot be restored with another. A query can override it
         * ({@link DataStreamWriter#maxParallelism(int)}); {@code start()} rejects a keyed stage with more
         * partitions.
         *
         * @param keyGroups 1..{@value KeyGroups#UPPER_BOUND_MAX_PARALLELISM} (default
         *     {@value KeyGroups#DEFAULT_MAX_PARALLELISM})
         * @return this
         * @throws IllegalArgumentException naming the range
         */
        public Builder maxParallelism(int keyGroups) {
            this.maxParallelism = KeyGroups.checkMaxParallelism(keyGroups);
            return this;
        }

        /**
         * @param slots slots of each ring, a power of two (default 16384)
         * @return this
         */
        public Builder ringCapacity(int slots) {
            this.ringCapacity = Options.powerOfTwo("ringCapacity", slots);
            return this;
        }

        /**
         * Continuous mode: how many threads run the keyed partitions that no source task hosts (each source
         * task has a thread of its own); 0 runs them on the source task's thread, for queries with one source
         * task ({@code start()} refuses 0 for a query whose partitions several source tasks feed). By
         * default, as many as the processors left after one per source task and one for the JVM's own work
         * (the JIT compiler, the garbage collector, the query's checkpoint and progress threads), at most
         * one per partition; when that leaves none, none for a query with one source task (it runs on that
         * task's thread, as on two cores with one source) and one for a query with several. A thread runs its partitions in turn, so no
         * thread of the query waits for a core another of its threads holds, which would make it late by a
         * scheduler time slice. Set more when partitions run user code that blocks (a partition that blocks
         * holds back the others on its thread). A query can override it
         * ({@link DataStreamWriter#workerThreads(int)}).
         *
         * @param threads {@code >= 0}
         * @return this
         * @throws IllegalArgumentException unless {@code threads >= 0}
         */
        public Builder workerThreads(int threads) {
            this.workerThreads = Options.nonNegative("workerThreads", threads);
            return this;
        }

        /**
         * @param timeout how long {@code stop()} lets a query drain before aborting it (default 30 s)
         * @return this
         */
        public Builder stopTimeout(Duration timeout) {
            this.stopTimeout = Options.positive("stopTimeout", timeout);
            return this;
        }

        /**
         * Replaces the clocks (tests drive time by hand with these).
         *
         * @param nanoClock monotonic clock
         * @param epochClock wall clock
         * @return this
         */
        public Builder clocks(NanoClock nanoClock, EpochClock epochClock) {
            this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
            this.epochClock = Objects.requireNonNull(epochClock, "epochClock");
            return this;
        }

        /**
         * Starts the engine's dashboard on the loopback address ({@code 127.0.0.1}): a page of its active
         * and recent queries with live plots (rates, latency percentiles, watermark, state, late rows,
         * commits and checkpoints, ring fill), the plan and the last progress, and {@code /metrics} in
         * Prometheus text format. Off by default: without this nothing listens. The server starts in
         * {@link #build()} and stops in {@link Rivulet#close()}; {@link Rivulet#dashboardUrl()} tells
         * its address. See {@code docs/dashboard.md}.
         *
         * @param port the port, 0 for any free one
         * @return this
         * @throws IllegalArgumentException unless {@code 0 <= port <= 65535}
         */
        public Builder dashboard(int port) {
            return dashboard(LOOPBACK, port);
        }

        /**
         * Starts the engine's dashboard on a chosen address, as {@link #dashboard(int)}. The dashboard has
         * no authentication and shows query names, plans and figures: bind a non-loopback address (e.g.
         * {@code "0.0.0.0"}, every interface) only on a network you trust.
         *
         * @param bindAddress a host name or address literal of this machine, e.g. {@code "127.0.0.1"},
         *     {@code "::1"}, {@code "0.0.0.0"}
         * @param port the port, 0 for any free one
         * @return this
         * @throws IllegalArgumentException unless {@code 0 <= port <= 65535}, or if the address does not resolve
         */
        public Builder dashboard(String bindAddress, int port) {
            Objects.requireNonNull(bindAddress, "bindAddress");
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("dashboard port must be 0..65535 (0: any free port), got " + port);
            }
            DashboardServer.resolve(bindAddress);
            this.dashboardHost = bindAddress;
            this.dashboardPort = port;
            return this;
        }

        /**
         * @return the engine (its dashboard listening, if asked for)
         * @throws IllegalStateException if the dashboard's address cannot be bound (the message says why)
         */
        public Rivulet build() {
            return new Rivulet(new Config(waitStrategy, defaultParallelism, maxParallelism, ringCapacity, workerThreads, stopTimeout,
                nanoClock, epochClock, dashboardHost, dashboardPort));
        }
    }
}
