package io.rivulet.engine.source;

import io.rivulet.engine.NoLeakedThreads;
import io.rivulet.engine.Rivulet;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.StreamingQueryException;
import io.rivulet.engine.sink.CollectingSink;
import io.rivulet.engine.sink.Sinks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Runs the socket source against real servers, only ever on the loopback address and on ports the
 * OS hands out.
 */
@ExtendWith(NoLeakedThreads.class)
class SocketSourceTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final List<AutoCloseable> resources = new ArrayList<>();
    private Rivulet rivulet;

    @BeforeEach
    void createEngine() {
        rivulet = Rivulet.create();
    }

    @AfterEach
    void closeEverything() throws Exception {
        rivulet.close();
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    private ServerSocket listen(int port) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.setSoTimeout((int) TIMEOUT.toMillis());
        server.bind(new InetSocketAddress(LOOPBACK, port));
        resources.add(server);
        return server;
    }

    private Socket accept(ServerSocket server) throws IOException {
        Socket client = server.accept();
        client.setTcpNoDelay(true);
        resources.add(client);
        return client;
    }

    private SocketSource source(int port) {
        return Sources.socket(LOOPBACK.getHostAddress(), port);
    }

    private static void send(Socket client, String text) throws IOException {
        send(client, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(Socket client, byte[] bytes) throws IOException {
        OutputStream out = client.getOutputStream();
        out.write(bytes);
        out.flush();
    }

    /** A port nothing listens on: the OS gave it to us, and we let it go. */
    private static int closedPort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, LOOPBACK)) {
            return probe.getLocalPort();
        }
    }

    @Test
    void shouldSplitLinesOnNewlineAndCarriageReturnNewline() throws Exception {
        ServerSocket server = listen(0);
        CollectingSink<String> sink = Sinks.collecting();
        rivulet.readStream(source(server.getLocalPort())).writeStream(sink).start();
        Socket client = accept(server);

        send(client, "alpha\nbeta\r\n\r\ngamma \t\n\n");

        assertThat(sink.awaitReceived(5, TIMEOUT)).containsExactly("alpha", "beta", "", "gamma \t", "");
    }

    @Test
    void shouldDecodeMultiByteCharactersSplitAcrossWrites() throws Exception {
        ServerSocket server = listen(0);
        CollectingSink<String> sink = Sinks.collecting();
        rivulet.readStream(source(server.getLocalPort())).writeStream(sink).start();
        Socket client = accept(server);
        String text = "grüße € 日本 😀";
        byte[] bytes = (text + "\n").getBytes(StandardCharsets.UTF_8);
        int middleOfEuro = text.substring(0, text.indexOf('€')).getBytes(StandardCharsets.UTF_8).length + 1;

        // The first write ends inside the three bytes of the euro sign; waiting for "first" proves the
        // source read those bytes before the rest is even sent.
        send(client, concat("first\n".getBytes(StandardCharsets.UTF_8), Arrays.copyOfRange(bytes, 0, middleOfEuro)));
        sink.awaitReceived(1, TIMEOUT);
        send(client, Arrays.copyOfRange(bytes, middleOfEuro, bytes.length));

        assertThat(sink.awaitReceived(2, TIMEOUT)).containsExactly("first", text);
    }

    @Test
    void shouldJoinALineSentInManySmallWrites() throws Exception {
        ServerSocket server = listen(0);
        CollectingSink<String> sink = Sinks.collecting();
        rivulet.readStream(source(server.getLocalPort())).writeStream(sink).start();
        Socket client = accept(server);

        send(client, "marker\nthe quick ");
        sink.awaitReceived(1, TIMEOUT);
        for (String piece : List.of("brown ", "fox ", "jumps", "\r")) {
            send(client, piece);
        }
        send(client, "\nover\n");

        assertThat(sink.awaitReceived(3, TIMEOUT)).containsExactly("marker", "the quick brown fox jumps", "over");
    }

    @Test
    void shouldReadManyLinesSentInOneWriteInOrder() throws Exception {
        ServerSocket server = listen(0);
        CollectingSink<String> sink = Sinks.collecting();
        rivulet.readStream(source(server.getLocalPort())).writeStream(sink).start();
        Socket client = accept(server);
        // ~170 KB: more than the source's 64 KB buffer and many poll limits' worth of lines.
        List<String> lines = IntStream.range(0, 12_000).mapToObj(i -> "line-" + i + "-" + "x".repeat(i % 17)).toList();

        send(client, String.join("\n", lines) + "\n");

        assertThat(sink.awaitReceived(lines.size(), TIMEOUT)).containsExactlyElementsOf(lines);
    }

    @Test
    void shouldSurviveTheServerGoingAwayAndComingBack() throws Exception {
        ServerSocket first = listen(0);
        int port = first.getLocalPort();
        CollectingSink<String> sink = Sinks.collecting();
        StreamingQuery query = rivulet.readStream(source(port)).writeStream(sink).start();
        Socket firstClient = accept(first);
        send(firstClient, "one\ntwo\npartial");
        sink.awaitReceived(2, TIMEOUT);

        firstClient.close();
        first.close();
        // A line the server had not finished is emitted when the connection closes.
        assertThat(sink.awaitReceived(3, TIMEOUT)).containsExactly("one", "two", "partial");

        ServerSocket second = listen(port);
        Socket secondClient = accept(second);
        send(secondClient, "three\nfour\n");

        assertThat(sink.awaitReceived(5, TIMEOUT)).containsExactly("one", "two", "partial", "three", "four");
        assertThat(query.isActive()).isTrue();
        query.stop();
        assertThat(query.exception()).isEmpty();
    }

    @Test
    void shouldFailNamingTheAddressWhenNothingListensWithinTheConnectTimeout() throws Exception {
        int port = closedPort();
        StreamingQuery query = rivulet.readStream(source(port).connectTimeout(Duration.ofMillis(300)))
            .writeStream(Sinks.collecting()).start();

        assertThatThrownBy(() -> query.awaitTermination(TIMEOUT.toMillis()))
            .isInstanceOf(StreamingQueryException.class)
            .cause()
            .isInstanceOf(IOException.class)
            .hasMessageContaining(LOOPBACK.getHostAddress() + ":" + port)
            .hasMessageContaining("within 300 ms");
        assertThat(query.isActive()).isFalse();
    }

    @Test
    void shouldMeasureTheConnectTimeoutOnTheSourceClock() throws Exception {
        int port = closedPort();
        ManualSourceContext context = ManualSourceContext.single();
        SourceReader<String> reader = source(port).connectTimeout(Duration.ofMillis(300)).open(context);
        RecordingOutput<String> out = new RecordingOutput<>();
        try {
            assertThat(reader.poll(out, 16)).isZero();
            context.advance(Duration.ofMillis(300));
            assertThat(reader.poll(out, 16)).isZero();
            context.advance(Duration.ofMillis(1));

            assertThatThrownBy(() -> reader.poll(out, 16))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("could not connect to " + LOOPBACK.getHostAddress() + ":" + port + " within 300 ms");
        } finally {
            reader.close();
        }
    }

    @Test
    void shouldEndInputWhenTheServerClosesWithoutReconnect() throws Exception {
        ServerSocket server = listen(0);
        CollectingSink<String> sink = Sinks.collecting();
        StreamingQuery query = rivulet.readStream(source(server.getLocalPort()).reconnect(false)).writeStream(sink).start();
        Socket client = accept(server);

        send(client, "last\nunfinished");
        client.close();

        assertThat(query.awaitTermination(TIMEOUT.toMillis())).isTrue();
        assertThat(query.exception()).isEmpty();
        assertThat(sink.received()).containsExactly("last", "unfinished");
        assertThat(sink.isClosed()).isTrue();
    }

    @Test
    void shouldAcceptALineOfExactlyMaxLineLengthAndFailTheQueryOnALongerOne() throws Exception {
        ServerSocket server = listen(0);
        CollectingSink<String> sink = Sinks.collecting();
        StreamingQuery query = rivulet.readStream(source(server.getLocalPort()).maxLineLength(8)).writeStream(sink).start();
        Socket client = accept(server);

        send(client, "12345678\r\nabcdefgh\n");
        assertThat(sink.awaitReceived(2, TIMEOUT)).containsExactly("12345678", "abcdefgh");
        send(client, "123456789\n");

        assertThatThrownBy(() -> query.awaitTermination(TIMEOUT.toMillis()))
            .isInstanceOf(StreamingQueryException.class)
            .cause()
            .hasMessageContaining("longer than maxLineLength=8 bytes")
            .hasMessageContaining(LOOPBACK.getHostAddress() + ":" + server.getLocalPort());
        assertThat(sink.received()).containsExactly("12345678", "abcdefgh");
    }

    @Test
    void shouldEnforceALargeMaxLineLengthAcrossBufferGrowth() throws Exception {
        ServerSocket server = listen(0);
        CollectingSink<String> sink = Sinks.collecting();
        StreamingQuery query = rivulet.readStream(source(server.getLocalPort()).maxLineLength(1_000)).writeStream(sink).start();
        Socket client = accept(server);
        String longest = "y".repeat(1_000);

        send(client, longest + "\n");
        assertThat(sink.awaitReceived(1, TIMEOUT)).containsExactly(longest);
        send(client, longest + "z\n");

        assertThatThrownBy(() -> query.awaitTermination(TIMEOUT.toMillis()))
            .isInstanceOf(StreamingQueryException.class)
            .cause()
            .hasMessageContaining("maxLineLength=1000");
    }

    @Test
    void shouldNameUnknownOptionAndListAllowedOptions() {
        assertThatThrownBy(() -> source(9999).option("hostname", "example"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("'hostname'")
            .hasMessageContaining("host, port, connectTimeout, reconnect, maxLineLength");
    }

    @Test
    void shouldAcceptOptionNamesInAnyCase() {
        SocketSource source = source(9999)
            .option("HOST", "localhost")
            .option("Port", "4321")
            .option("connecttimeout", "2s")
            .option("RECONNECT", "false")
            .option("maxlinelength", "64");

        assertThat(source.description()).isEqualTo("socket[localhost:4321]");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "port|0|port must be 1-65535, got 0",
        "port|65536|port must be 1-65535, got 65536",
        "port|http|expected a whole number, got 'http'",
        "host|'  '|host must not be blank",
        "connectTimeout|0|connectTimeout must be positive",
        "connectTimeout|-5ms|expected a duration",
        "reconnect|yes|expected true or false, got 'yes'",
        "maxLineLength|0|maxLineLength must be >= 1, got 0",
    })
    void shouldRejectBadOptionValueNamingTheOption(String name, String value, String rule) {
        assertThatThrownBy(() -> source(9999).option(name, value))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("option '" + name + "' of source 'socket'")
            .hasMessageContaining(rule);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
