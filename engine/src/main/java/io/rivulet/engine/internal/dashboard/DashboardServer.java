package io.rivulet.engine.internal.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.rivulet.engine.QueryProgress;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.StreamingQueryManager;
import io.rivulet.engine.runtime.QueryProbe;
import org.agrona.concurrent.EpochClock;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The engine's dashboard: an HTTP server (the JDK's {@code com.sun.net.httpserver}) with one page of
 * the engine's queries, their live plots, plan and last progress, and {@code /metrics} in Prometheus
 * text format. Started by {@code Rivulet.builder().dashboard(..)}; nothing listens otherwise.
 *
 * <pre>
 *  GET /                   the page (index.html, dashboard.js, dashboard.css, uPlot from its WebJar)
 *  GET /events?query=ID    server-sent events of one query: queries, selected, plan, history, then
 *                          progress (each new report) and rings (each sample)
 *  GET /api/queries        the tracked queries (JSON)
 *  GET /metrics            Prometheus text exposition 0.0.4
 * </pre>
 *
 * <p>Threads: two HTTP threads answer requests; one sampler thread ({@code rivulet-dashboard}) reads
 * the queries every {@code sampleIntervalMs} and renders each query's events once for all pages that
 * show it; each open page has a writer thread that sends its events, so a slow page delays no other. Sampling reads counters the runtime keeps (volatile reads) and
 * runs only while a page is open; the data path neither allocates nor locks for it.
 *
 * <p>Bound to loopback unless the caller binds another address; on a loopback address, requests
 * whose {@code Host} header names another host are refused (a web page elsewhere cannot reach the
 * dashboard by DNS rebinding). Thread-safe; {@link #close()} stops it.
 */
public final class DashboardServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DashboardServer.class.getName());
    /** The uPlot WebJar's version: keep in step with the engine's pom. */
    static final String UPLOT_VERSION = "1.6.30";
    private static final String UPLOT = "/META-INF/resources/webjars/uplot/" + UPLOT_VERSION + "/dist/";
    /** Page streams kept open at once; more are refused (503). */
    static final int MAX_STREAMS = 32;
    /** A stream that got no event for this long gets a comment, which detects a closed page. */
    private static final long KEEPALIVE_MS = 10_000;
    /** Events a page's writer may have queued; at 500 ms ticks of up to two events each, ~30 s behind. */
    static final int PENDING_EVENTS = 128;
    private static final byte[] KEEPALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.UTF_8);

    private final HttpServer server;
    private final ExecutorService http;
    private final ScheduledExecutorService sampler;
    private final StreamingQueryManager streams;
    private final QueryTracker tracker = new QueryTracker();
    private final EpochClock clock;
    private final CopyOnWriteArrayList<EventStream> clients = new CopyOnWriteArrayList<>();
    private final ThreadFactory pageThreads = daemon("rivulet-dashboard-page-", new AtomicInteger());
    private final Map<String, byte[]> assets = new HashMap<>();
    private final boolean loopback;
    private final URI url;

    private DashboardServer(HttpServer server, ExecutorService http, StreamingQueryManager streams, EpochClock clock,
                            long sampleIntervalMs) {
        this.server = server;
        this.http = http;
        this.streams = streams;
        this.clock = clock;
        InetSocketAddress bound = server.getAddress();
        this.loopback = bound.getAddress().isLoopbackAddress();
        this.url = URI.create("http://" + hostForUrl(bound.getAddress()) + ":" + bound.getPort() + "/");
        loadAssets();
        this.sampler = Executors.newSingleThreadScheduledExecutor(daemon("rivulet-dashboard", new AtomicInteger(-1)));
        streams.addListener(tracker);
        for (StreamingQuery query : streams.active()) {
            tracker.add(query);
        }
        server.createContext("/", this::handle);
        server.start();
        sampler.scheduleWithFixedDelay(this::sample, sampleIntervalMs, sampleIntervalMs, TimeUnit.MILLISECONDS);
    }

    /**
     * Binds and starts a dashboard.
     *
     * @param host the address to bind: a host name or literal ({@code "127.0.0.1"}, {@code "0.0.0.0"})
     * @param port the port, 0 for any free one
     * @param streams the engine's queries
     * @param clock the engine's wall clock (the time of ring samples)
     * @param sampleIntervalMs how often an open page gets a sample, in milliseconds (&gt;= 10)
     * @return the running dashboard
     * @throws IllegalArgumentException if the port is out of range or the host does not resolve
     * @throws IllegalStateException if the address cannot be bound (in use, not local)
     */
    public static DashboardServer start(String host, int port, StreamingQueryManager streams, EpochClock clock,
                                        long sampleIntervalMs) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("dashboard port must be 0..65535 (0: any free port), got " + port);
        }
        if (sampleIntervalMs < 10) {
            throw new IllegalArgumentException("sampleIntervalMs must be >= 10, got " + sampleIntervalMs);
        }
        InetSocketAddress address = new InetSocketAddress(resolve(host), port);
        HttpServer server;
        try {
            server = HttpServer.create(address, 16);
        } catch (BindException e) {
            throw new IllegalStateException("dashboard cannot listen on " + host + ":" + port + ": " + e.getMessage()
                + " (choose another port, or 0 for any free one)", e);
        } catch (IOException e) {
            throw new IllegalStateException("dashboard cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        ExecutorService http = Executors.newFixedThreadPool(2, daemon("rivulet-dashboard-http-", new AtomicInteger()));
        server.setExecutor(http);
        try {
            return new DashboardServer(server, http, streams, clock, sampleIntervalMs);
        } catch (RuntimeException | Error e) {
            server.stop(0);
            http.shutdownNow();
            throw e;
        }
    }

    /**
     * @param host a host name or address literal
     * @return its address
     * @throws IllegalArgumentException if it does not resolve
     */
    public static InetAddress resolve(String host) {
        try {
            return InetAddress.getByName(host);
        } catch (IOException e) {
            throw new IllegalArgumentException("dashboard bind address '" + host + "' does not resolve: " + e.getMessage(), e);
        }
    }

    /** @return the page's address, e.g. {@code http://127.0.0.1:4040/} */
    public URI url() {
        return url;
    }

    /** Stops listening, closes every page's stream and ends the dashboard's threads. Idempotent. */
    @Override
    public void close() {
        streams.removeListener(tracker);
        sampler.shutdownNow();
        try {
            sampler.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (EventStream client : clients) {
            client.close();
        }
        for (EventStream client : clients) {
            try {
                client.awaitClosed(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        clients.clear();
        server.stop(0);
        http.shutdownNow();
    }

    private static ThreadFactory daemon(String name, AtomicInteger counter) {
        return runnable -> {
            int n = counter.getAndIncrement();
            Thread thread = new Thread(runnable, n < 0 ? name : name + n);
            thread.setDaemon(true);
            return thread;
        };
    }

    private static String hostForUrl(InetAddress address) {
        if (address.isAnyLocalAddress()) {
            return "127.0.0.1";
        }
        String literal = address.getHostAddress();
        return literal.indexOf(':') >= 0 ? "[" + literal + "]" : literal;
    }

    private void loadAssets() {
        asset("/", "index.html", null);
        asset("/dashboard.js", "dashboard.js", null);
        asset("/dashboard.css", "dashboard.css", null);
        asset("/uPlot.iife.min.js", null, UPLOT + "uPlot.iife.min.js");
        asset("/uPlot.min.css", null, UPLOT + "uPlot.min.css");
    }

    private void asset(String path, String ownResource, String classpathResource) {
        try (InputStream in = ownResource != null ? DashboardServer.class.getResourceAsStream(ownResource)
            : DashboardServer.class.getResourceAsStream(classpathResource)) {
            if (in == null) {
                // The page says the chart library is missing; everything else still works.
                LOG.log(System.Logger.Level.WARNING, "dashboard asset " + path + " not on the classpath ("
                    + (ownResource != null ? ownResource : classpathResource) + ")");
                return;
            }
            assets.put(path, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dashboard asset " + path, e);
        }
    }

    // ---------------------------------------------------------------- HTTP threads

    private void handle(HttpExchange exchange) throws IOException {
        try {
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                respond(exchange, 405, "text/plain; charset=utf-8", "405 method not allowed: the dashboard is read-only\n");
                return;
            }
            if (loopback && !loopbackHost(exchange.getRequestHeaders().getFirst("Host"))) {
                respond(exchange, 403, "text/plain; charset=utf-8",
                    "403: this dashboard listens on loopback and answers requests for localhost only\n");
                return;
            }
            String path = exchange.getRequestURI().getPath();
            switch (path) {
                case "/events" -> {
                    if (method.equals("GET")) {
                        openStream(exchange);
                    } else {
                        respond(exchange, 405, "text/plain; charset=utf-8", "405: /events is an event stream: GET it\n");
                    }
                }
                case "/metrics" -> respond(exchange, 200, PrometheusText.CONTENT_TYPE, PrometheusText.write(figuresOfAll()));
                case "/api/queries" -> respond(exchange, 200, "application/json", DashboardJson.queries(tracker.queries()));
                default -> serveAsset(exchange, path);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "dashboard request " + exchange.getRequestURI() + " failed", e);
            respond(exchange, 500, "text/plain; charset=utf-8", "500: " + e + "\n");
        }
    }

    /** Accepts {@code localhost}, {@code 127.x.y.z} and {@code [::1]}, with or without a port. */
    static boolean loopbackHost(String host) {
        if (host == null) {
            return true; // HTTP/1.0 without Host: not a browser.
        }
        String name = host;
        if (name.startsWith("[")) {
            int end = name.indexOf(']');
            name = end < 0 ? name : name.substring(1, end);
        } else if (name.indexOf(':') >= 0) {
            name = name.substring(0, name.indexOf(':'));
        }
        name = name.toLowerCase(Locale.ROOT);
        return name.equals("localhost") || name.equals("::1") || name.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }

    private void serveAsset(HttpExchange exchange, String path) throws IOException {
        byte[] body = assets.get(path);
        if (body == null) {
            respond(exchange, 404, "text/plain; charset=utf-8", "404: no " + path + " here\n");
            return;
        }
        String type = path.endsWith(".js") ? "text/javascript; charset=utf-8"
            : path.endsWith(".css") ? "text/css; charset=utf-8" : "text/html; charset=utf-8";
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        send(exchange, 200, body);
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        send(exchange, status, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
        exchange.close();
    }

    private void openStream(HttpExchange exchange) throws IOException {
        if (clients.size() >= MAX_STREAMS) {
            respond(exchange, 503, "text/plain; charset=utf-8", "503: " + MAX_STREAMS + " pages are open already\n");
            return;
        }
        String queryId = parameter(exchange.getRequestURI().getRawQuery(), "query");
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(200, 0);
        EventStream client = new EventStream(exchange, queryId);
        clients.add(client);
        client.start();
        // The sampler's thread writes every event, this first batch included.
        sampler.execute(() -> welcome(client));
    }

    static String parameter(String rawQuery, String name) {
        if (rawQuery == null) {
            return null;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (key.equals(name)) {
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                return value.isEmpty() ? null : value;
            }
        }
        return null;
    }

    private List<QueryFigures> figuresOfAll() {
        List<StreamingQuery> queries = tracker.queries();
        List<QueryFigures> figures = new ArrayList<>(queries.size());
        for (StreamingQuery query : queries) {
            figures.add(QueryFigures.of(query));
        }
        return figures;
    }

    // ---------------------------------------------------------------- sampler thread

    /** A new page: the query list, then its query's plan and history (see {@link #bind}). */
    private void welcome(EventStream client) {
        try {
            client.queriesVersion = tracker.version();
            client.event("queries", DashboardJson.queries(tracker.queries()));
            bind(client);
            client.flush();
        } catch (IOException | RuntimeException e) {
            drop(client, e);
        }
    }

    /**
     * Sends a page its query (the one it asked for, else the newest active one), plan and history, once
     * such a query exists: a page opened before any query started is bound to the first that starts.
     */
    private void bind(EventStream client) throws IOException {
        // An id the dashboard does not know (a page reloaded after its query was forgotten): the newest instead.
        StreamingQuery query = client.queryId == null ? null : tracker.find(client.queryId);
        if (query == null) {
            query = tracker.preferred();
        }
        if (query == null || client.bound) {
            return;
        }
        client.bound = true;
        client.queryId = query.id().toString();
        client.event("selected", "\"" + client.queryId + "\"");
        QueryProbe probe = QueryProbe.of(query);
        if (probe != null) {
            client.event("plan", DashboardJson.plan(probe));
        }
        Sample sample = new Sample(query, clock.time());
        List<QueryProgress> recent = query.recentProgress();
        client.event("history", DashboardJson.history(recent, sample.figures));
        if (!recent.isEmpty()) {
            client.seen(recent.get(recent.size() - 1));
        }
        send(client, sample);
    }

    /** Every tick: each open page gets its query's new progress and a ring sample. */
    private void sample() {
        if (clients.isEmpty()) {
            return;
        }
        long nowMs = clock.time();
        long version = tracker.version();
        String queriesJson = null;
        // One reading and one rendering per query and tick, however many pages watch it.
        Map<String, Sample> read = new HashMap<>();
        for (EventStream client : clients) {
            if (!client.welcomed) {
                continue;
            }
            try {
                if (client.queriesVersion != version) {
                    if (queriesJson == null) {
                        queriesJson = DashboardJson.queries(tracker.queries());
                    }
                    client.queriesVersion = version;
                    client.event("queries", queriesJson);
                }
                if (!client.bound) {
                    bind(client);
                }
                StreamingQuery query = client.bound ? tracker.find(client.queryId) : null;
                if (query != null) {
                    send(client, read.computeIfAbsent(client.queryId, id -> new Sample(query, nowMs)));
                }
                if (nowMs - client.lastWriteMs >= KEEPALIVE_MS) {
                    client.comment();
                }
                boolean wrote = client.wrote;
                client.flush();
                if (wrote) {
                    client.lastWriteMs = nowMs;
                }
            } catch (IOException | RuntimeException e) {
                drop(client, e);
            }
        }
    }

    private static void send(EventStream client, Sample sample) throws IOException {
        QueryProgress progress = sample.figures.progress();
        if (progress != null && client.isNew(progress)) {
            client.seen(progress);
            client.event("progress", sample.progressJson());
        }
        if (!sample.figures.ringStages().isEmpty() && (sample.active || !client.finalRings)) {
            client.finalRings = !sample.active;
            client.event("rings", sample.ringsJson());
        }
    }

    /** One query's figures at one tick, each event rendered at most once (on the sampler's thread). */
    private static final class Sample {
        private final QueryFigures figures;
        private final boolean active;
        private final long nowMs;
        private String progressJson;
        private String ringsJson;

        Sample(StreamingQuery query, long nowMs) {
            this.figures = QueryFigures.of(query);
            this.active = query.isActive();
            this.nowMs = nowMs;
        }

        String progressJson() {
            if (progressJson == null) {
                progressJson = DashboardJson.progress(figures);
            }
            return progressJson;
        }

        String ringsJson() {
            if (ringsJson == null) {
                ringsJson = DashboardJson.rings(nowMs, figures);
            }
            return ringsJson;
        }
    }

    /** @return the pages whose event stream is open */
    int openStreams() {
        return clients.size();
    }

    private void drop(EventStream client, Exception cause) {
        clients.remove(client);
        client.close();
        if (!(cause instanceof IOException)) {
            LOG.log(System.Logger.Level.WARNING, "dashboard event stream failed", cause);
        }
    }

    /**
     * One page's open event stream. The sampler's thread renders its events into a bounded queue; the
     * page's own writer thread ({@code rivulet-dashboard-page-N}) writes them to the socket, so a page
     * that reads slowly (a stalled browser, a slow link) delays nobody else. A page whose queue fills
     * ({@link #PENDING_EVENTS} events, about 30 s of samples behind) is dropped: its browser reconnects
     * and gets the query's history again.
     */
    private final class EventStream {
        private final HttpExchange exchange;
        private final OutputStream out;
        private final ArrayBlockingQueue<byte[]> pending = new ArrayBlockingQueue<>(PENDING_EVENTS);
        private final Thread writer;
        private String queryId;
        private long queriesVersion = -1;
        private long lastBatchId = Long.MIN_VALUE;
        private Instant lastTimestamp;
        private boolean finalRings;
        /** Whether the page got its query's plan and history. */
        private boolean bound;
        private volatile boolean welcomed;
        private volatile boolean closed;
        private long lastWriteMs;
        private boolean wrote;

        EventStream(HttpExchange exchange, String queryId) {
            this.exchange = exchange;
            this.out = exchange.getResponseBody();
            this.queryId = queryId;
            this.writer = pageThreads.newThread(this::write);
        }

        void start() {
            writer.start();
        }

        boolean isNew(QueryProgress progress) {
            return progress.batchId() != lastBatchId || !progress.timestamp().equals(lastTimestamp);
        }

        void seen(QueryProgress progress) {
            lastBatchId = progress.batchId();
            lastTimestamp = progress.timestamp();
        }

        void event(String name, String data) throws IOException {
            // One line of JSON: no newline inside, so one data: line carries it.
            enqueue(("event: " + name + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        }

        void comment() throws IOException {
            enqueue(KEEPALIVE);
        }

        private void enqueue(byte[] bytes) throws IOException {
            if (closed) {
                throw new IOException("the page closed its event stream");
            }
            if (!pending.offer(bytes)) {
                throw new IOException("the page reads too slowly: " + PENDING_EVENTS + " events wait for it");
            }
            wrote = true;
        }

        /** Marks the end of one tick's events: the writer flushes once it has written what is queued. */
        void flush() {
            welcomed = true;
            wrote = false;
        }

        /** The writer thread: writes queued events, flushing whenever the queue runs dry. */
        private void write() {
            try {
                while (!closed) {
                    byte[] bytes = pending.take();
                    out.write(bytes);
                    if (pending.isEmpty()) {
                        out.flush();
                    }
                }
            } catch (InterruptedException e) {
                // Closed: the socket write it may have interrupted closed the channel too.
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    drop(this, e instanceof IOException ? e : new IOException(e));
                }
            } finally {
                closed = true;
                try {
                    exchange.close();
                } catch (RuntimeException e) {
                    // Already closed by the peer.
                }
            }
        }

        /**
         * Ends the writer. A writer blocked in a socket write on a stalled page is interrupted, which
         * closes that socket (the exchange's channel is interruptible), so this never blocks on a page.
         */
        void close() {
            closed = true;
            writer.interrupt();
        }

        void awaitClosed(long millis) throws InterruptedException {
            writer.join(millis);
        }
    }
}
