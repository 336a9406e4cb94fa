package io.rivulet.engine.source;

import io.rivulet.engine.internal.Options;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * Spark's {@code socket} source: connects to a TCP server and emits each line of UTF-8 text it
 * sends ({@code \n} or {@code \r\n} ends a line; the terminator is not part of the record). One
 * partition. For tests and demos such as {@code nc -lk 9999}: like Spark's, it is not replayable.
 *
 * <p>Options (also through {@link #option(String, String)}):
 * <ul>
 *   <li>{@code host}, {@code port}: the server.</li>
 *   <li>{@code connectTimeout} (default 10s): if no connection is made within this time after the
 *       query starts, the query fails naming the address and the last error.</li>
 *   <li>{@code reconnect} (default true): when the server goes away, keep retrying (every 100 ms,
 *       backing off to 2 s) and go on reading when it comes back; with {@code false} the input ends
 *       when the connection closes.</li>
 *   <li>{@code maxLineLength} (default 1048576 bytes, terminator not counted): a longer line fails
 *       the query rather than buffer without bound.</li>
 * </ul>
 * A line the server had not finished when it went away is emitted as it is.
 *
 * <p>Immutable and thread-safe; every setter returns a validated copy. The reader never blocks: it
 * uses a non-blocking channel.
 */
public final class SocketSource implements Source<String> {
    private static final System.Logger LOG = System.getLogger(SocketSource.class.getName());
    private static final long FIRST_RETRY_NS = 100_000_000L;
    private static final long MAX_RETRY_NS = 2_000_000_000L;

    private final String host;
    private final int port;
    private final Duration connectTimeout;
    private final boolean reconnect;
    private final int maxLineLength;

    SocketSource(String host, int port) {
        this(host, port, Duration.ofSeconds(10), true, 1 << 20);
    }

    private SocketSource(String host, int port, Duration connectTimeout, boolean reconnect, int maxLineLength) {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("socket source host must not be blank");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("socket source port must be 1-65535, got " + port);
        }
        this.host = host;
        this.port = port;
        this.connectTimeout = Options.positive("connectTimeout", connectTimeout);
        this.reconnect = reconnect;
        this.maxLineLength = Options.positive("maxLineLength", maxLineLength);
    }

    /**
     * @param timeout how long to try the first connection before failing the query
     * @return a copy with that timeout
     */
    public SocketSource connectTimeout(Duration timeout) {
        return new SocketSource(host, port, timeout, reconnect, maxLineLength);
    }

    /**
     * @param reconnect whether to reconnect when the server goes away (default true)
     * @return a copy with that behaviour
     */
    public SocketSource reconnect(boolean reconnect) {
        return new SocketSource(host, port, connectTimeout, reconnect, maxLineLength);
    }

    /**
     * @param bytes the longest line accepted, in bytes
     * @return a copy with that limit
     */
    public SocketSource maxLineLength(int bytes) {
        return new SocketSource(host, port, connectTimeout, reconnect, bytes);
    }

    /**
     * Sets an option by name.
     *
     * @param name {@code host}, {@code port}, {@code connectTimeout}, {@code reconnect} or
     *     {@code maxLineLength} (any case)
     * @param value the value
     * @return a copy with the option set
     * @throws IllegalArgumentException naming the option and what is allowed
     */
    public SocketSource option(String name, String value) {
        SocketSource[] result = {this};
        new Options("source 'socket'")
            .add("host", v -> result[0] = new SocketSource(v, port, connectTimeout, reconnect, maxLineLength))
            .add("port", v -> result[0] = new SocketSource(host, Options.parseInt(v), connectTimeout, reconnect, maxLineLength))
            .add("connectTimeout", v -> result[0] = connectTimeout(Options.parseDuration(v, "ms")))
            .add("reconnect", v -> result[0] = reconnect(Options.parseBoolean(v)))
            .add("maxLineLength", v -> result[0] = maxLineLength(Options.parseInt(v)))
            .set(name, value);
        return result[0];
    }

    @Override
    public String description() {
        return "socket[" + host + ":" + port + "]";
    }

    @Override
    public int numPartitions() {
        return 1;
    }

    @Override
    public SourceReader<String> open(SourceContext context) {
        return new Reader(this, context);
    }

    /** Not thread-safe; owned by the source task. */
    private static final class Reader implements SourceReader<String> {
        private final SocketSource source;
        private final SourceContext context;
        private final InetSocketAddress address;
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
        private byte[] line;
        private int lineLength;
        private SocketChannel channel;
        private boolean connecting;
        private boolean everConnected;
        private boolean ended;
        private long startNs;
        private long nextAttemptNs;
        private long retryNs = FIRST_RETRY_NS;
        private IOException lastError;

        Reader(SocketSource source, SourceContext context) {
            this.source = source;
            this.context = context;
            this.line = new byte[(int) Math.min(256, source.maxLineLength + 1L)];
            this.address = new InetSocketAddress(source.host, source.port);
            if (address.isUnresolved()) {
                throw new IllegalArgumentException("socket source: cannot resolve host '" + source.host + "'");
            }
            this.startNs = context.nanoTime();
            this.nextAttemptNs = startNs;
            buffer.flip();
        }

        @Override
        public int poll(SourceOutput<String> out, int limit) throws IOException {
            if (ended) {
                return END_OF_INPUT;
            }
            if (channel == null || connecting) {
                if (!connect()) {
                    return 0;
                }
            }
            return read(out, limit);
        }

        private boolean connect() throws IOException {
            long now = context.nanoTime();
            try {
                if (channel == null) {
                    if (now < nextAttemptNs) {
                        checkConnectTimeout(now);
                        return false;
                    }
                    channel = SocketChannel.open();
                    channel.configureBlocking(false);
                    connecting = !channel.connect(address);
                }
                if (connecting && !channel.finishConnect()) {
                    checkConnectTimeout(now);
                    return false;
                }
                connecting = false;
                if (everConnected) {
                    LOG.log(System.Logger.Level.INFO, "socket source reconnected to " + address);
                }
                everConnected = true;
                retryNs = FIRST_RETRY_NS;
                lastError = null;
                return true;
            } catch (IOException e) {
                lastError = e;
                closeChannel();
                nextAttemptNs = now + retryNs;
                retryNs = Math.min(MAX_RETRY_NS, retryNs * 2);
                checkConnectTimeout(now);
                return false;
            }
        }

        private void checkConnectTimeout(long now) throws IOException {
            if (!everConnected && now - startNs > source.connectTimeout.toNanos()) {
                closeChannel();
                throw new IOException("socket source could not connect to " + source.host + ":" + source.port
                    + " within " + source.connectTimeout.toMillis() + " ms"
                    + (lastError != null ? ": " + lastError.getMessage() : ""), lastError);
            }
        }

        private int read(SourceOutput<String> out, int limit) throws IOException {
            int emitted = drainLines(out, limit);
            if (emitted > 0) {
                return emitted;
            }
            buffer.compact();
            int read;
            try {
                read = channel.read(buffer);
            } catch (IOException e) {
                read = -1;
                lastError = e;
            }
            buffer.flip();
            if (read < 0) {
                return onDisconnect(out);
            }
            return drainLines(out, limit);
        }

        private int drainLines(SourceOutput<String> out, int limit) {
            int emitted = 0;
            while (emitted < limit && buffer.hasRemaining()) {
                byte b = buffer.get();
                if (b == '\n') {
                    emitLine(out);
                    emitted++;
                } else {
                    append(b);
                }
            }
            return emitted;
        }

        private void append(byte b) {
            if (lineLength >= source.maxLineLength && !(lineLength == source.maxLineLength && b == '\r')) {
                // One byte past the limit is allowed only for the '\r' of a "\r\n" terminator.
                throw new IllegalStateException("socket source " + source.host + ":" + source.port
                    + " received a line longer than maxLineLength=" + source.maxLineLength
                    + " bytes; raise maxLineLength or check that the server ends its lines");
            }
            if (lineLength == line.length) {
                line = Arrays.copyOf(line, (int) Math.min(Math.min(source.maxLineLength + 1L, line.length * 2L),
                    Integer.MAX_VALUE - 8));
            }
            line[lineLength++] = b;
        }

        private void emitLine(SourceOutput<String> out) {
            int length = lineLength > 0 && line[lineLength - 1] == '\r' ? lineLength - 1 : lineLength;
            lineLength = 0;
            out.emit(new String(line, 0, length, StandardCharsets.UTF_8));
        }

        private int onDisconnect(SourceOutput<String> out) {
            int emitted = 0;
            if (lineLength > 0) {
                emitLine(out);
                emitted = 1;
            }
            closeChannel();
            if (!source.reconnect) {
                ended = true;
                return emitted;
            }
            LOG.log(System.Logger.Level.WARNING, "socket source lost its connection to " + address + "; reconnecting");
            nextAttemptNs = context.nanoTime() + retryNs;
            return emitted;
        }

        private void closeChannel() {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // closing a broken connection; nothing left to release
                }
                channel = null;
            }
            connecting = false;
        }

        @Override
        public void close() {
            closeChannel();
        }
    }
}
