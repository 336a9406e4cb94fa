package io.rivulet.engine.internal.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rivulet.engine.NoLeakedThreads;
import io.rivulet.engine.QueryProgress;
import io.rivulet.engine.Rivulet;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.Trigger;
import io.rivulet.engine.Windows;
import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.source.Sources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * The dashboard in a real browser: headless Chromium (Debian's {@code chromium} and
 * {@code chromium-driver}) driven by Selenium opens the page of a running windowed count with a
 * checkpoint location, and checks that the plots render and grow, the plan shows its stages and
 * rings, and the figures shown are the query's last progress.
 *
 * <p>Without Chromium this test fails, saying how to install it ({@code .ci/run} installs it);
 * {@code -Drivulet.browserTests=skip} skips it explicitly. The screenshot goes to
 * {@code target/dashboard.png}, or where {@code -Drivulet.dashboard.screenshot=PATH} says
 * ({@code docs/dashboard.png} is refreshed that way, see {@code docs/dashboard.md}).
 */
@ExtendWith(NoLeakedThreads.class)
class DashboardBrowserTest {
    private static final Path CHROMIUM = Path.of(System.getProperty("rivulet.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("rivulet.chromedriver", "/usr/bin/chromedriver"));
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static final Comparator<JsonNode> NUMERICALLY = (a, b) -> {
        if (a.equals(b)) {
            return 0;
        }
        return a.isNumber() && b.isNumber() && a.decimalValue().compareTo(b.decimalValue()) == 0 ? 0 : 1;
    };

    /** One input row. */
    record Event(String key, long tsMs) {
    }

    @Test
    void shouldDrawLivePlotsPlanAndLastProgressOfARunningQuery(@TempDir Path checkpoints) throws Exception {
        assumeFalse("skip".equals(System.getProperty("rivulet.browserTests")),
            "browser tests skipped with -Drivulet.browserTests=skip");
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            fail("the dashboard's browser test needs headless Chromium and its driver: " + CHROMIUM + " and "
                + CHROMEDRIVER + " (Debian: apt-get install -y chromium chromium-driver; .ci/run installs them). "
                + "To skip it explicitly: mvn verify -Drivulet.browserTests=skip");
        }
        try (Rivulet rivulet = Rivulet.builder().dashboard(0).defaultParallelism(2).build()) {
            StreamingQuery query = rivulet.readStream(Sources.rate().rowsPerSecond(5_000))
                .map(row -> new Event("k" + row.value() % 7, row.timestampMs()))
                .withWatermark(Event::tsMs, Duration.ofMillis(300))
                .keyBy(Event::key, 2)
                .window(Windows.tumbling(Duration.ofMillis(250)), Event::tsMs)
                .count()
                .writeStream(Sinks.collecting())
                .queryName("windowed-counts")
                .trigger(Trigger.continuous(Duration.ofMillis(200)))
                .checkpointLocation(checkpoints)
                .start();
            ChromeDriver browser = browser();
            try {
                browser.get(rivulet.dashboardUrl().orElseThrow().toString());
                WebDriverWait wait = new WebDriverWait(browser, WAIT, Duration.ofMillis(100));

                // Plots render and grow as progress arrives.
                wait.until(b -> points(browser, "chart-rates") >= 3 && points(browser, "chart-rings") >= 3);
                for (String chart : List.of("chart-rates", "chart-latency", "chart-watermark", "chart-state", "chart-late",
                    "chart-commit", "chart-rings")) {
                    assertThat(browser.findElements(By.cssSelector("#" + chart + " .uplot canvas")))
                        .as("plot %s drawn", chart).isNotEmpty();
                }
                int rates = points(browser, "chart-rates");
                int rings = points(browser, "chart-rings");
                wait.until(b -> points(browser, "chart-rates") > rates + 2 && points(browser, "chart-rings") > rings + 2);
                assertThat(browser.findElement(By.cssSelector("#chart-commit .u-legend")).getText())
                    .contains("epoch commit").contains("checkpoint write").contains("checkpoint size");

                // The plan: a source stage and a keyed stage fed through two rings (one source task, two partitions).
                WebElement plan = browser.findElement(By.id("plan"));
                assertThat(plan.findElements(By.cssSelector("g.node"))).hasSize(Integer.parseInt(plan.getAttribute("data-nodes")));
                assertThat(plan.findElements(By.cssSelector("g.stage"))).hasSize(2);
                assertThat(plan.getText()).contains("stage 1", "stage 2 · 2 partitions", "ring ×2 by", "rate[", "collecting");
                assertThat(browser.findElement(By.cssSelector("#query-table tbody tr.selected")).getText())
                    .contains("windowed-counts").contains("active");

                screenshot(browser);

                // Once the query stops, its last progress stays: the page must show exactly it.
                query.stop();
                QueryProgress last = query.lastProgress();
                wait.until(b -> String.valueOf(last.batchId()).equals(value(browser, "sum-batchId")));
                assertThat(Double.parseDouble(value(browser, "sum-inRate"))).isEqualTo(last.inputRowsPerSecond());
                assertThat(Double.parseDouble(value(browser, "sum-procRate"))).isEqualTo(last.processedRowsPerSecond());
                assertThat(Long.parseLong(value(browser, "sum-totalInputRows"))).isEqualTo(last.totalInputRows());
                assertThat(Long.parseLong(value(browser, "sum-totalOutputRows"))).isEqualTo(last.totalOutputRows());
                if (last.latency().count() > 0) {
                    assertThat(Double.parseDouble(value(browser, "sum-p99"))).isEqualTo(last.latency().p99Us());
                    assertThat(Double.parseDouble(value(browser, "sum-max"))).isEqualTo(last.latency().maxUs());
                }
                assertThat(Long.parseLong(value(browser, "sum-watermark"))).isEqualTo(last.eventTimeWatermark().toEpochMilli());
                assertThat(Long.parseLong(value(browser, "sum-stateRows")))
                    .isEqualTo(last.stateOperators().get(0).numRowsTotal());
                // The page pretty-prints what it received; JavaScript writes 0.0 as 0, so numbers compare by value.
                ObjectMapper json = new ObjectMapper();
                JsonNode shown = json.readTree(browser.findElement(By.id("progress-json")).getText());
                assertThat(shown.equals(NUMERICALLY, json.readTree(last.json())))
                    .as("progress JSON shown %s equals %s", shown, last.json()).isTrue();
                wait.until(b -> browser.findElement(By.cssSelector("#query-table tbody tr.selected")).getText().contains("ended"));
            } finally {
                browser.quit();
            }
        }
    }

    private static ChromeDriver browser() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
            "--window-size=1400,2000", "--hide-scrollbars");
        ChromeDriverService service = new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
        return new ChromeDriver(service, options);
    }

    private static int points(ChromeDriver browser, String chart) {
        Object n = ((JavascriptExecutor) browser).executeScript(
            "var e = document.getElementById(arguments[0]); return e && e.dataset.points ? Number(e.dataset.points) : 0;", chart);
        return ((Number) n).intValue();
    }

    private static String value(ChromeDriver browser, String id) {
        return browser.findElement(By.id(id)).getAttribute("data-value");
    }

    private static void screenshot(ChromeDriver browser) throws Exception {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Path target = Path.of(System.getProperty("rivulet.dashboard.screenshot", "target/dashboard.png"));
        Files.createDirectories(target.toAbsolutePath().getParent());
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    }
}
