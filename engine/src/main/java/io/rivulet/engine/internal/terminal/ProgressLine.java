package io.rivulet.engine.internal.terminal;

import io.rivulet.engine.QueryProgress;
import io.rivulet.engine.StreamingQuery;

import java.io.Console;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A query's progress on one line, for the command-line tools: {@code name  epoch 7  in 200,000/s
 * out 199,870/s  p99 1.43 ms  watermark 21:43:12.500 (lag 0.5 s)  state 21 rows  total 1,400,000}.
 *
 * <p>In {@link Mode#LINE} (a terminal) {@link #show} rewrites one line in place ({@code \r}, the line,
 * erase to its end) at most every {@value #LINE_PERIOD_MS} ms, and {@link #clear()} erases it; in
 * {@link Mode#PLAIN} (a pipe, a CI log) it prints a new report as a plain line at most every
 * {@value #PLAIN_PERIOD_MS} ms; in {@link Mode#OFF} nothing. {@link #mode} is the choice, from the
 * {@value #PROPERTY} system property, whether there is a console and {@code TERM}; {@link #detect()}
 * makes it for this process.
 *
 * <p>Thread-safe: {@link #show}, {@link #clear} and the writes of {@link #interleaving} streams are
 * serialised on this object. Off the data path: it reads {@code lastProgress()} from a thread of its
 * own ({@link #watch}) and allocates its text there.
 */
public final class ProgressLine {
    /** System property: {@code auto} (default), {@code line}, {@code plain} or {@code off}. */
    public static final String PROPERTY = "rivulet.progress";
    /** Least time between two rewrites of the line on a terminal, in milliseconds. */
    public static final long LINE_PERIOD_MS = 500;
    /** Least time between two plain lines, in milliseconds. */
    public static final long PLAIN_PERIOD_MS = 5_000;
    /** ANSI "erase to the end of the line": clears what a longer line before left on the terminal. */
    private static final String ERASE_TO_END = "\033[K";
    private static final DateTimeFormatter WATERMARK_TIME =
        DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** How the line is shown. */
    public enum Mode {
        /** One line rewritten in place: stdout is a terminal. */
        LINE,
        /** A plain line every {@link ProgressLine#PLAIN_PERIOD_MS} ms: stdout is not a terminal. */
        PLAIN,
        /** Nothing. */
        OFF
    }

    private final PrintStream out;
    private final Mode mode;
    private final StringBuilder text = new StringBuilder(160);
    private long lastShownMs;
    private boolean anyShown;
    private QueryProgress lastPrinted;
    private boolean lineShown;

    /**
     * @param out where the line goes (the tools use standard error)
     * @param mode how it is shown
     * @throws NullPointerException if an argument is {@code null}
     */
    public ProgressLine(PrintStream out, Mode mode) {
        this.out = Objects.requireNonNull(out, "out");
        this.mode = Objects.requireNonNull(mode, "mode");
    }

    /**
     * A progress line on standard error, in the mode {@link #detect()} chooses.
     *
     * @return the line
     * @throws IllegalArgumentException if {@value #PROPERTY} has a value it does not know
     */
    public static ProgressLine toStandardError() {
        return new ProgressLine(System.err, detect());
    }

    /**
     * @return how this line is shown
     */
    public Mode mode() {
        return mode;
    }

    /**
     * The choice for this process: {@link #mode} of the {@value #PROPERTY} property, whether
     * {@code System.console()} is a terminal (on JDK 22 and later also {@code Console.isTerminal()}, as
     * a console there exists even when redirected), and the {@code TERM} environment variable.
     *
     * @return the mode
     * @throws IllegalArgumentException if {@value #PROPERTY} has a value it does not know
     */
    public static Mode detect() {
        return mode(System.getProperty(PROPERTY), consoleIsTerminal(), System.getenv("TERM"));
    }

    /**
     * The choice, given what {@link #detect()} reads: a set property wins ({@code line}, {@code plain},
     * {@code off}); otherwise ({@code auto} or unset) {@link Mode#LINE} on a console whose {@code TERM}
     * is set and not {@code dumb}, else {@link Mode#PLAIN}.
     *
     * @param property the {@value #PROPERTY} property, or {@code null}
     * @param console whether standard output is a console (a terminal)
     * @param term the {@code TERM} environment variable, or {@code null}
     * @return the mode
     * @throws IllegalArgumentException naming {@value #PROPERTY} and its values, if {@code property} is none of them
     */
    public static Mode mode(String property, boolean console, String term) {
        if (property != null && !property.isBlank() && !"auto".equalsIgnoreCase(property.strip())) {
            switch (property.strip().toLowerCase(Locale.ROOT)) {
                case "line":
                    return Mode.LINE;
                case "plain":
                    return Mode.PLAIN;
                case "off":
                    return Mode.OFF;
                default:
                    throw new IllegalArgumentException(PROPERTY + " must be auto, line, plain or off, got '" + property + "'");
            }
        }
        boolean terminal = console && term != null && !term.isBlank() && !"dumb".equals(term.strip());
        return terminal ? Mode.LINE : Mode.PLAIN;
    }

    private static boolean consoleIsTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (NoSuchMethodException e) {
            return true; // JDK 17-21: a console exists only on a terminal
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Formats one report.
     *
     * @param progress the report
     * @return the line, without a line end
     */
    public static String format(QueryProgress progress) {
        StringBuilder line = new StringBuilder(160);
        format(progress, line);
        return line.toString();
    }

    private static void format(QueryProgress p, StringBuilder line) {
        line.append(p.name()).append("  epoch ").append(p.batchId())
            .append("  in ").append(String.format(Locale.ROOT, "%,.0f/s", finite(p.inputRowsPerSecond())))
            .append("  out ").append(String.format(Locale.ROOT, "%,.0f/s", finite(p.processedRowsPerSecond())));
        QueryProgress.Latency latency = p.latency();
        if (latency != null && latency.count() > 0) {
            line.append("  p99 ");
            appendMicros(latency.p99Us(), line);
        }
        Instant watermark = p.eventTimeWatermark();
        if (watermark != null) {
            line.append("  watermark ").append(WATERMARK_TIME.format(watermark)).append(" (lag ");
            appendLag((p.timestamp().toEpochMilli() - watermark.toEpochMilli()) / 1e3, line);
            line.append(')');
        }
        if (!p.stateOperators().isEmpty()) {
            long rows = 0;
            for (QueryProgress.StateOperatorProgress operator : p.stateOperators()) {
                rows += operator.numRowsTotal();
            }
            line.append(String.format(Locale.ROOT, "  state %,d rows", rows));
        }
        line.append(String.format(Locale.ROOT, "  total %,d", p.totalInputRows()));
    }

    private static double finite(double rate) {
        return Double.isFinite(rate) ? rate : 0;
    }

    /**
     * Seconds in the unit that reads best: {@code 0.5 s}, {@code 12.5 min}, {@code 3.0 h}, {@code 1117 d} (replayed or
     * generated event times can be years behind the wall clock).
     */
    private static void appendLag(double seconds, StringBuilder line) {
        double magnitude = Math.abs(seconds);
        if (magnitude < 100) {
            line.append(String.format(Locale.ROOT, "%.1f s", seconds));
        } else if (magnitude < 2 * 3600) {
            line.append(String.format(Locale.ROOT, "%.1f min", seconds / 60));
        } else if (magnitude < 2 * 86400) {
            line.append(String.format(Locale.ROOT, "%.1f h", seconds / 3600));
        } else {
            line.append(String.format(Locale.ROOT, "%.0f d", seconds / 86400));
        }
    }

    /** Microseconds in the unit that reads best: {@code 850 us}, {@code 1.43 ms}, {@code 2.10 s}. */
    private static void appendMicros(double us, StringBuilder line) {
        if (us < 1_000) {
            line.append(String.format(Locale.ROOT, "%.0f us", us));
        } else if (us < 1_000_000) {
            line.append(String.format(Locale.ROOT, "%.2f ms", us / 1e3));
        } else {
            line.append(String.format(Locale.ROOT, "%.2f s", us / 1e6));
        }
    }

    /**
     * Shows a report, if the mode's period has passed since the last one shown: in {@link Mode#LINE}
     * rewrites the line (also for the same report, which puts back a line that standard output wrote
     * over); in {@link Mode#PLAIN} prints it on a line of its own unless it was printed already.
     *
     * @param progress the query's last report, or {@code null} (nothing shown) before its first
     * @param nowMs the time now, in milliseconds (any clock that moves forward)
     */
    public synchronized void show(QueryProgress progress, long nowMs) {
        if (progress == null || mode == Mode.OFF) {
            return;
        }
        long periodMs = mode == Mode.LINE ? LINE_PERIOD_MS : PLAIN_PERIOD_MS;
        if (anyShown && nowMs - lastShownMs < periodMs) {
            return;
        }
        if (mode == Mode.PLAIN && progress == lastPrinted) {
            return;
        }
        text.setLength(0);
        format(progress, text);
        if (mode == Mode.LINE) {
            out.print('\r');
            out.print(text);
            out.print(ERASE_TO_END);
            lineShown = true;
        } else {
            out.println(text);
        }
        out.flush();
        anyShown = true;
        lastShownMs = nowMs;
        lastPrinted = progress;
    }

    /**
     * Erases the line if it is shown ({@link Mode#LINE}), leaving the cursor at the start of an empty
     * line; otherwise does nothing.
     */
    public synchronized void clear() {
        if (lineShown) {
            out.print('\r');
            out.print(ERASE_TO_END);
            out.flush();
            lineShown = false;
        }
    }

    /**
     * A stream to print the tool's own output through, so that it does not land after the line on the
     * terminal: each write first erases the line ({@link #clear()}); the line comes back at the next
     * {@link #show}. In other modes {@code stdout} itself.
     *
     * @param stdout the stream the tool prints to (standard output)
     * @return the stream to print to instead
     */
    public PrintStream interleaving(PrintStream stdout) {
        if (mode != Mode.LINE) {
            return stdout;
        }
        return new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                clear();
                stdout.write(b);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                clear();
                stdout.write(bytes, offset, length);
            }

            @Override
            public void flush() {
                stdout.flush();
            }
        }, true);
    }

    /**
     * Shows a query's progress from a daemon thread ({@code progress-line}) that reads
     * {@code lastProgress()} every {@value #LINE_PERIOD_MS} ms, until the returned handle is closed. In
     * {@link Mode#OFF} starts no thread.
     *
     * @param query the query
     * @return the handle; closing it stops the thread and erases the line
     */
    public Watch watch(StreamingQuery query) {
        Watch watch = new Watch(Objects.requireNonNull(query, "query"));
        if (mode != Mode.OFF) {
            watch.thread.start();
        }
        return watch;
    }

    /** A running {@link #watch}: close it when the query ends, before printing the final lines. */
    public final class Watch implements AutoCloseable {
        private final StreamingQuery query;
        private final Thread thread;
        private volatile boolean closed;

        private Watch(StreamingQuery query) {
            this.query = query;
            this.thread = new Thread(this::run, "progress-line");
            this.thread.setDaemon(true);
        }

        private void run() {
            while (!closed) {
                show(query.lastProgress(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime()));
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(LINE_PERIOD_MS));
            }
        }

        /**
         * Stops the thread (waits for it up to a second) and erases the line. Idempotent.
         */
        @Override
        public void close() {
            closed = true;
            if (thread.isAlive()) {
                LockSupport.unpark(thread);
                try {
                    thread.join(1_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            clear();
        }
    }
}
