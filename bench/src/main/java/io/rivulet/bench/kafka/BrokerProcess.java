package io.rivulet.bench.kafka;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The broker of the Kafka benchmarks in a JVM of its own on this host ({@link KafkaLocalMain} on a free port,
 * loopback), so that the benchmark JVM's CPU time is the engine's alone and the broker's is read apart from
 * {@code /proc/<pid>/stat}. Stopped (SIGTERM: its shutdown hook stops the broker and deletes its log) by
 * {@link #close()}. Not thread-safe; owned by the benchmark's main thread.
 */
final class BrokerProcess implements AutoCloseable {
    private static final Pattern READY = Pattern.compile("Kafka broker .* at (\\S+)");

    private final Process process;
    private final String bootstrapServers;

    private BrokerProcess(Process process, String bootstrapServers) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Starts the broker JVM with this JVM's class path (and its heap pre-touched if this JVM's is) and waits until it
     * serves.
     *
     * @param heap the broker's heap, e.g. {@code 1g}
     * @return the running broker
     * @throws IOException if the JVM cannot start or exits before the broker serves
     */
    static BrokerProcess start(String heap) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xms" + heap);
        command.add("-Xmx" + heap);
        command.add("-XX:+UseG1GC");
        // As this JVM (bin/bench pre-touches by default): first touches of fresh heap fault for milliseconds on a VM.
        if (Boolean.parseBoolean(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
            .getVMOption("AlwaysPreTouch").getValue())) {
            command.add("-XX:+AlwaysPreTouch");
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(KafkaLocalMain.class.getName());
        command.add("0");
        command.add("kafka-bench-ready:1");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = lines.readLine()) != null) {
            Matcher m = READY.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> drain(lines), "kafka-bench-broker-output");
                drain.setDaemon(true);
                drain.start();
                return new BrokerProcess(process, m.group(1));
            }
        }
        process.destroyForcibly();
        throw new IOException("the broker JVM exited before it served (exit code " + waitFor(process) + ")");
    }

    /** @return the broker JVM's process id */
    long pid() {
        return process.pid();
    }

    private static void drain(BufferedReader lines) {
        try {
            while (lines.readLine() != null) {
                // The broker logs little; its output is dropped so its pipe never fills.
            }
        } catch (IOException e) {
            // The broker stopped.
        }
    }

    private static int waitFor(Process process) {
        try {
            return process.waitFor(10, TimeUnit.SECONDS) ? process.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** @return {@code host:port} of the broker */
    String bootstrapServers() {
        return bootstrapServers;
    }

    /** @return the broker JVM's CPU time so far (user + system), ns; -1 where {@code /proc} is unavailable */
    long cpuNs() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // After the command: field 14 (utime) and 15 (stime) of proc(5) are indexes 11 and 12; clock ticks of 10 ms.
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return ticks * 10_000_000L;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * @return the CPU time of this JVM's JIT compiler threads so far, ns (from {@code /proc/self/task}; threads the JVM
     *     retired are not counted); -1 where {@code /proc} is unavailable
     */
    static long compilerCpuNs() {
        long ticks = 0;
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    if (name.contains("CompilerThre")) {
                        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                    }
                } catch (IOException e) {
                    // The thread ended while listed.
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return ticks * 10_000_000L;
    }

    @Override
    public void close() {
        process.destroy();
        if (waitFor(process) == -1) {
            process.destroyForcibly();
        }
    }
}
