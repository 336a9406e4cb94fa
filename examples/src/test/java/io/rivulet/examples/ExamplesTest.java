package io.rivulet.examples;

import io.rivulet.engine.Rivulet;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.sink.MemorySink;
import io.rivulet.engine.sink.Sinks;
import io.rivulet.operators.KeyValue;
import io.rivulet.operators.OutputMode;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class ExamplesTest {
    private static final Path ROOT = Path.of("..");

    @Test
    void shouldShowQuickStartCodeInReadmeExactlyAsCompiled() throws Exception {
        String source = Files.readString(Path.of("src/main/java/io/rivulet/examples/QuickStartExample.java"));
        Matcher tagged = Pattern.compile("// tag::quick-start\\[]\\n(.*?)\\n\\s*// end::quick-start\\[]", Pattern.DOTALL).matcher(source);
        assertThat(tagged.find()).isTrue();
        String snippet = tagged.group(1).stripIndent().strip();
        String readme = Files.readString(ROOT.resolve("README.md"));
        assertThat(readme).contains(snippet);
    }

    @Test
    void shouldCountQuickStartWordsOnTheConsole() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            QuickStartExample.main(new String[0]);
        } finally {
            System.setOut(original);
        }
        String printed = captured.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("Batch: 0").containsPattern("\\|\\s*key\\|value\\|");
        assertThat(printed).containsPattern("\\|\\s*be\\|\\s*2\\|").containsPattern("\\|\\s*question\\|\\s*1\\|");
    }

    @Test
    void shouldRunReadmeCommandsExactlyAsCiDoes() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        String ci = Files.readString(ROOT.resolve(".ci/run"));
        Matcher quickStart = Pattern.compile("## Quick start.*?```(?:bash|sh)?\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(quickStart.find()).isTrue();
        List<String> commands = Arrays.stream(quickStart.group(1).split("\\n"))
            .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertThat(commands).hasSize(2);
        assertThat(commands.get(0)).isEqualTo("bin/demo");
        assertThat(ci).contains(commands.get(1));
    }

    @Test
    void shouldKeepLauncherFlagsEqualToPomFlags() throws Exception {
        String pom = Files.readString(ROOT.resolve("pom.xml"));
        Matcher m = Pattern.compile("<rivulet.jvm.flags>(.*?)</rivulet.jvm.flags>").matcher(pom);
        assertThat(m.find()).isTrue();
        List<String> launcher = Files.readAllLines(ROOT.resolve("bin/jvm-flags")).stream()
            .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertThat(launcher).containsExactly(m.group(1).trim().split("\\s+"));
        assertThat(launcher).contains("-Dchronicle.analytics.disable=true");
    }

    @Test
    void shouldCountWordsTypedIntoASocketLikeNetcat() throws Exception {
        try (ServerSocket netcat = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Rivulet rivulet = Rivulet.create()) {
            MemorySink<KeyValue<String, Long>> counts = Sinks.memory("counts");
            StreamingQuery query = SocketWordCountMain.wordCounts(rivulet, "127.0.0.1", netcat.getLocalPort())
                .writeStream(counts)
                .outputMode(OutputMode.UPDATE)
                .start();
            try (Socket client = netcat.accept();
                 Writer typed = new OutputStreamWriter(client.getOutputStream(), StandardCharsets.UTF_8)) {
                typed.write("apache spark\napache hadoop  spark\r\n");
                typed.flush();
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (latest(counts).getOrDefault("spark", 0L) < 2 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
            }
            query.stop();
            assertThat(latest(counts)).containsExactlyInAnyOrderEntriesOf(Map.of("apache", 2L, "spark", 2L, "hadoop", 1L));
        }
    }

    private static Map<String, Long> latest(MemorySink<KeyValue<String, Long>> sink) {
        Map<String, Long> latest = new HashMap<>();
        sink.rows().forEach(kv -> latest.put(kv.key(), kv.value()));
        return latest;
    }
}
