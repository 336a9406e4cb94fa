package io.rivulet.examples;

import io.rivulet.engine.Rivulet;
import io.rivulet.engine.Stream;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.Windows;
import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.source.Sources;
import io.rivulet.operators.Output;
import io.rivulet.operators.window.WindowedValue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The SSH brute-force detector: failed logins per source IP over a sliding event-time window (1
 * minute, every 10 s, watermark 5 s behind), and an alert for each (IP, window) above a threshold,
 * printed once the window closes (append mode).
 *
 * <p>Input: auth log lines ({@code <ISO instant> <host> sshd[pid]: Failed password for <user> from <ip>
 * port <port> ssh2}, or {@code Accepted password ...}); by default generated ({@link #authLog}: 200
 * users logging in, now and then mistyping, and 3 attacking IPs trying passwords in bursts), or read
 * from a file. Stops by itself when the input ends.
 * Arguments: minutes of generated log (default 10), threshold (default 20), optional log file.
 */
public final class BruteForceDetectorMain {
    static final long T0 = 1_700_000_000_000L;
    static final Duration WINDOW = Duration.ofMinutes(1);
    static final Duration SLIDE = Duration.ofSeconds(10);
    static final Duration DELAY = Duration.ofSeconds(5);
    static final String[] ATTACKERS = {"203.0.113.7", "198.51.100.23", "192.0.2.99"};

    private BruteForceDetectorMain() {
    }

    /**
     * One parsed line.
     *
     * @param timestampMs event time, epoch ms
     * @param failed a failed login
     * @param ip the source IP
     */
    public record Login(long timestampMs, boolean failed, String ip) {
    }

    /**
     * @param args optional minutes, threshold, log file
     * @throws Exception if reading the file fails or the query fails
     */
    public static void main(String[] args) throws Exception {
        long minutes = args.length > 0 ? Long.parseLong(args[0]) : 10;
        long threshold = args.length > 1 ? Long.parseLong(args[1]) : 20;
        List<String> lines = args.length > 2 ? Files.readAllLines(Path.of(args[2])) : authLog(minutes, 42);
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = alerts(rivulet.readStream(Sources.fromIterable(lines)), threshold)
                .writeStream(Sinks.<WindowedValue<String, Long>>console().numRows(20))
                .queryName("brute-force-detector")
                .start();
            Run.until(query, null);
        }
    }

    /**
     * The query.
     *
     * @param lines auth log lines; lines that are not sshd password logins are skipped
     * @param threshold alert when an IP has more failed logins than this in one window
     * @return (IP, window, failed logins) for each window over the threshold, once it closes
     */
    static Stream<WindowedValue<String, Long>> alerts(Stream<String> lines, long threshold) {
        return lines
            .flatMap((String line, Output<Login> out) -> {
                Login login = parse(line);
                if (login != null && login.failed()) {
                    out.emit(login);
                }
            })
            .withWatermark(Login::timestampMs, DELAY)
            .keyBy(Login::ip, 2)
            .window(Windows.sliding(WINDOW, SLIDE), Login::timestampMs)
            .count()
            .filter(row -> row.value() > threshold);
    }

    /**
     * Parses an sshd password line.
     *
     * @param line a log line
     * @return the login, or {@code null} if the line is not an sshd password login
     */
    static Login parse(String line) {
        int failed = line.indexOf(" Failed password for ");
        int accepted = failed < 0 ? line.indexOf(" Accepted password for ") : -1;
        int from = line.indexOf(" from ");
        int space = line.indexOf(' ');
        if ((failed < 0 && accepted < 0) || from < 0 || space < 0) {
            return null;
        }
        int ipEnd = line.indexOf(' ', from + 6);
        String ip = line.substring(from + 6, ipEnd < 0 ? line.length() : ipEnd);
        return new Login(Instant.parse(line.substring(0, space)).toEpochMilli(), failed >= 0, ip);
    }

    /**
     * A generated auth log, in time order but for small jitter (under the watermark delay): users
     * logging in from their own IPs (one attempt in ten failed), and each attacker trying a password
     * every 1–3 s during bursts of 2 minutes in every 5.
     *
     * @param minutes minutes of log
     * @param seed the random seed
     * @return the lines
     */
    static List<String> authLog(long minutes, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> lines = new ArrayList<>();
        long endMs = T0 + minutes * 60_000;
        long[] nextAttempt = new long[ATTACKERS.length];
        for (int a = 0; a < ATTACKERS.length; a++) {
            nextAttempt[a] = T0 + a * 60_000L;
        }
        for (long t = T0; t < endMs; t += 1 + random.nextInt(400)) {
            int user = random.nextInt(200);
            boolean fail = random.nextInt(10) == 0;
            long jittered = t - random.nextInt(2_000);
            lines.add(line(jittered, fail, "user" + user, "10.0." + user / 100 + "." + user % 100));
            for (int a = 0; a < ATTACKERS.length; a++) {
                while (nextAttempt[a] <= t) {
                    long inCycle = (nextAttempt[a] - T0 - a * 60_000L) % 300_000;
                    if (inCycle < 120_000) {
                        lines.add(line(nextAttempt[a], true, random.nextBoolean() ? "root" : "admin", ATTACKERS[a]));
                    }
                    nextAttempt[a] += 1_000 + random.nextInt(2_000);
                }
            }
        }
        return lines;
    }

    private static String line(long timestampMs, boolean failed, String user, String ip) {
        return Instant.ofEpochMilli(timestampMs) + " bastion sshd[" + (1000 + (int) (timestampMs % 9000)) + "]: "
            + (failed ? "Failed" : "Accepted") + " password for " + user + " from " + ip + " port "
            + (40000 + (int) (timestampMs % 20000)) + " ssh2";
    }
}
