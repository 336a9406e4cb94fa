package io.rivulet.engine.internal.dashboard;

import io.rivulet.engine.NoLeakedThreads;
import io.rivulet.engine.QueryProgress;
import io.rivulet.engine.Rivulet;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.Trigger;
import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.source.Sources;
import io.rivulet.operators.OutputMode;
import org.agrona.concurrent.SystemEpochClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(NoLeakedThreads.class)
class DashboardServerTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldListenNowhereUnlessTheBuilderAsksForADashboard() {
        try (Rivulet rivulet = Rivulet.create()) {
            assertThat(rivulet.dashboardUrl()).isEmpty();
            assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("rivulet-dashboard"));
        }
    }

    @Test
    void shouldBindLoopbackOnAFreePortWhenAskedForPortZero() throws Exception {
        try (Rivulet rivulet = Rivulet.builder().dashboard(0).build()) {
            URI url = rivulet.dashboardUrl().orElseThrow();
            assertThat(url.getHost()).isEqualTo("127.0.0.1");
            assertThat(url.getPort()).isPositive();

            HttpResponse<String> page = get(url);
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
            assertThat(page.body()).contains("<title>Rivulet dashboard</title>", "uPlot.iife.min.js", "dashboard.js");
            assertThat(get(url.resolve("/uPlot.iife.min.js")).body()).contains("uPlot").hasSizeGreaterThan(10_000);
            assertThat(get(url.resolve("/dashboard.js")).statusCode()).isEqualTo(200);
            assertThat(get(url.resolve("/nothing-here")).statusCode()).isEqualTo(404);
        }
        // Closing the engine stops the dashboard's threads (NoLeakedThreads checks them).
    }

    @Test
    void shouldServeMetricsFromTheLastProgressOfEachQuery() throws Exception {
        try (Rivulet rivulet = Rivulet.builder().dashboard(0).build()) {
            StreamingQuery query = rivulet.readStream(Sources.of(1, 2, 3, 4, 5))
                .map(i -> i * 10)
                .writeStream(Sinks.collecting())
                .queryName("tens")
                .start();
            query.awaitTermination();
            QueryProgress last = query.lastProgress();

            HttpResponse<String> metrics = get(rivulet.dashboardUrl().orElseThrow().resolve("/metrics"));

            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            assertThat(metrics.body()).contains(
                "rivulet_query_active{query=\"tens\"} 0\n",
                "rivulet_batch_id{query=\"tens\"} " + last.batchId() + "\n",
                "rivulet_input_rows_total{query=\"tens\"} 5\n",
                "rivulet_output_rows_total{query=\"tens\"} 5\n",
                "rivulet_epoch_commit_seconds{query=\"tens\"} ");
        }
    }

    @Test
    void shouldStreamQueriesPlanAndHistoryToANewPage() throws Exception {
        try (Rivulet rivulet = Rivulet.builder().dashboard(0).build()) {
            StreamingQuery query = rivulet.readStream(Sources.of("a", "b", "a"))
                .keyBy(s -> s, 2)
                .count()
                .writeStream(Sinks.collecting())
                .outputMode(OutputMode.UPDATE)
                .queryName("letters")
                .start();
            query.awaitTermination();

            HttpResponse<Stream<String>> events = http.send(
                HttpRequest.newBuilder(rivulet.dashboardUrl().orElseThrow().resolve("/events")).GET().build(),
                HttpResponse.BodyHandlers.ofLines());
            assertThat(events.headers().firstValue("Content-Type")).hasValue("text/event-stream; charset=utf-8");
            List<String> names = new ArrayList<>();
            List<String> data = new ArrayList<>();
            try (Stream<String> lines = events.body()) {
                Iterator<String> it = lines.iterator();
                while (names.size() < 5 && it.hasNext()) {
                    String line = it.next();
                    if (line.startsWith("event: ")) {
                        names.add(line.substring(7));
                    } else if (line.startsWith("data: ")) {
                        data.add(line.substring(6));
                    }
                }
            }

            assertThat(names).startsWith("queries", "selected", "plan", "history");
            assertThat(data.get(0)).contains("\"name\":\"letters\"", "\"active\":false");
            assertThat(data.get(1)).isEqualTo("\"" + query.id() + "\"");
            assertThat(data.get(2)).contains("\"kind\":\"keyed\"", "\"partitions\":2", "\"exchange\":\"ring\"", "\"rings\":2",
                "\"kind\":\"sink\"", "\"label\":\"collecting\"");
            assertThat(data.get(3)).contains("\"batchId\":" + query.lastProgress().batchId(),
                "\"totalInputRows\":3", "\"json\":{\"id\":\"" + query.id() + "\"");
        }
    }

    @Test
    @Timeout(30)
    void shouldBindAPageOpenedBeforeAnyQueryToTheFirstQueryThatStarts() throws Exception {
        try (Rivulet rivulet = Rivulet.builder().dashboard(0).build()) {
            HttpResponse<Stream<String>> events = http.send(
                HttpRequest.newBuilder(rivulet.dashboardUrl().orElseThrow().resolve("/events")).GET().build(),
                HttpResponse.BodyHandlers.ofLines());
            try (Stream<String> lines = events.body()) {
                Iterator<String> it = lines.iterator();
                assertThat(it.next()).isEqualTo("event: queries");
                assertThat(it.next()).isEqualTo("data: []");

                StreamingQuery query = rivulet.readStream(Sources.of(1, 2, 3))
                    .writeStream(Sinks.collecting())
                    .queryName("late-comer")
                    .start();
                query.awaitTermination();

                List<String> names = new ArrayList<>();
                while (!names.contains("history") && it.hasNext()) {
                    String line = it.next();
                    if (line.startsWith("event: ")) {
                        names.add(line.substring(7));
                    } else if (line.startsWith("data: ") && names.get(names.size() - 1).equals("selected")) {
                        assertThat(line).isEqualTo("data: \"" + query.id() + "\"");
                    }
                }
                assertThat(names).containsSubsequence("queries", "selected", "plan", "history");
            }
        }
    }

    @Test
    void shouldRefuseRequestsNamingAnotherHostWhenBoundToLoopback() throws Exception {
        try (Rivulet rivulet = Rivulet.builder().dashboard(0).build()) {
            URI url = rivulet.dashboardUrl().orElseThrow();
            assertThat(rawStatusLine(url, "GET", "attacker.example:" + url.getPort())).contains(" 403 ");
            assertThat(rawStatusLine(url, "GET", "localhost:" + url.getPort())).contains(" 200 ");
            assertThat(rawStatusLine(url, "POST", "127.0.0.1:" + url.getPort())).contains(" 405 ");
        }
    }

    @Test
    void shouldAcceptOnlyLoopbackNamesAsHostOnLoopback() {
        assertThat(DashboardServer.loopbackHost("localhost:4040")).isTrue();
        assertThat(DashboardServer.loopbackHost("127.0.0.1:4040")).isTrue();
        assertThat(DashboardServer.loopbackHost("[::1]:4040")).isTrue();
        assertThat(DashboardServer.loopbackHost("LOCALHOST")).isTrue();
        assertThat(DashboardServer.loopbackHost("localhost.attacker.example:4040")).isFalse();
        assertThat(DashboardServer.loopbackHost("127.0.0.1.nip.io")).isFalse();
        assertThat(DashboardServer.loopbackHost("10.0.0.1:4040")).isFalse();
    }

    @Test
    void shouldRejectABadPortOrAddressWhenSet() {
        assertThatThrownBy(() -> Rivulet.builder().dashboard(65_536))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port must be 0..65535");
        assertThatThrownBy(() -> Rivulet.builder().dashboard(-1))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port must be 0..65535");
        assertThatThrownBy(() -> Rivulet.builder().dashboard("no-such-host.invalid", 0))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no-such-host.invalid");
    }

    @Test
    void shouldFailToBuildWhenThePortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> Rivulet.builder().dashboard(taken.getLocalPort()).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("dashboard cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }

    /** A request with a Host header of our choosing (java.net.http does not let one set it). */
    private static String rawStatusLine(URI url, String method, String host) throws Exception {
        try (Socket socket = new Socket(url.getHost(), url.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write((method + " / HTTP/1.1\r\nHost: " + host + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        }
    }

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // without per-page writers it blocks for good
    void shouldKeepStreamingToOtherPagesAndDropAPageThatStopsReading() throws Exception {
        try (Rivulet rivulet = Rivulet.create();
             DashboardServer dashboard = DashboardServer.start("127.0.0.1", 0, rivulet.streams(),
                 SystemEpochClock.INSTANCE, 10)) {
            StreamingQuery query = rivulet.readStream(Sources.rate().rowsPerSecond(2_000))
                .keyBy(row -> row.value() % 4, 2)
                .count()
                .writeStream(Sinks.collecting())
                .outputMode(OutputMode.UPDATE)
                .trigger(Trigger.continuous(10)) // a progress report (a few kB) every tick fills the stalled socket fast
                .queryName("busy")
                .start();
            try (Socket stalled = new Socket()) {
                // A page that asks for events and never reads them: its socket's buffers fill.
                stalled.setReceiveBufferSize(1024);
                stalled.connect(new InetSocketAddress(dashboard.url().getHost(), dashboard.url().getPort()));
                OutputStream request = stalled.getOutputStream();
                request.write(("GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                request.flush();
                while (dashboard.openStreams() == 0) {
                    Thread.sleep(1); // the server registers the stalled page (a wait for a condition, not an assertion)
                }

                HttpResponse<Stream<String>> events = http.send(
                    HttpRequest.newBuilder(dashboard.url().resolve("/events")).GET().build(),
                    HttpResponse.BodyHandlers.ofLines());
                try (Stream<String> lines = events.body()) {
                    Iterator<String> it = lines.iterator();
                    assertThat(it.next()).isEqualTo("event: queries");
                    assertThat(dashboard.openStreams()).isEqualTo(2);
                    // Both pages open; then the stalled one is dropped while the reading one keeps getting samples.
                    int ringsBeforeDrop = 0;
                    while (dashboard.openStreams() > 1) {
                        if (it.next().equals("event: rings")) {
                            ringsBeforeDrop++;
                        }
                    }
                    int ringsAfterDrop = 0;
                    while (ringsAfterDrop < 10) {
                        if (it.next().equals("event: rings")) {
                            ringsAfterDrop++;
                        }
                    }
                    assertThat(ringsBeforeDrop).as("samples the reading page got while the other one stalled")
                        .isGreaterThan(DashboardServer.PENDING_EVENTS);
                    assertThat(dashboard.openStreams()).isEqualTo(1);
                }
            } finally {
                query.stop();
            }
        }
    }
}
