package io.rivulet.examples;

import io.rivulet.engine.Rivulet;
import io.rivulet.engine.StaticTableHandle;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.Trigger;
import io.rivulet.engine.sink.MemorySink;
import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.source.MemoryStream;
import io.rivulet.engine.source.Sources;
import io.rivulet.operators.KeyValue;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The join examples' queries, checked against the direct computation. */
class JoinExamplesTest {
    @Test
    void shouldKeepEachItemsStockAsTheFilesStockPlusBoughtMinusSold() throws Exception {
        StaticTableHandle<String, InventoryTrackerMain.Item> items = StaticTableHandle.load(InventoryTrackerMain.itemFile(),
            InventoryTrackerMain.Item::id);
        assertThat(items.table().rowCount()).isEqualTo(10);
        assertThat(items.table().rows("i04")).singleElement()
            .satisfies(item -> assertThat(item.name()).isEqualTo("Wood screw 4 x 40 \"Torx\""));
        List<InventoryTrackerMain.Transaction> transactions = LongStream.range(0, 5_000)
            .mapToObj(InventoryTrackerMain::transaction).toList();
        MemorySink<KeyValue<String, InventoryTrackerMain.Stock>> sink = Sinks.memory("stock");
        try (Rivulet rivulet = Rivulet.create()) {
            InventoryTrackerMain.inventory(rivulet.readStream(Sources.fromIterable(transactions)), items)
                .writeStream(sink).outputMode("update").start().awaitTermination();
        }
        Map<String, Long> expected = new TreeMap<>();
        for (InventoryTrackerMain.Transaction tx : transactions) {
            items.table().rows(tx.item()).forEach(item ->
                expected.merge(tx.item(), item.stock() + tx.bought() - tx.sold(), (a, b) -> a + b - item.stock()));
        }
        Map<String, Long> last = new TreeMap<>();
        sink.rows().forEach(kv -> last.put(kv.key(), kv.value().onHand()));
        assertThat(last).isEqualTo(expected).doesNotContainKeys("i11", "i12").hasSize(10);
    }

    @Test
    void shouldReportEachImpressionWithItsClickWithinTenSecondsOrAsNeverClicked() throws Exception {
        MemoryStream<AdClicksMain.Impression> impressions = Sources.memoryStream("impressions");
        MemoryStream<AdClicksMain.Click> clicks = Sources.memoryStream("clicks");
        MemorySink<String> sink = Sinks.memory("report");
        int ads = 3_000;
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = AdClicksMain.report(rivulet.readStream(impressions), rivulet.readStream(clicks))
                .writeStream(sink).trigger(Trigger.processingTime(Duration.ofHours(1))).start();
            // In event-time order per stream, one second at a time; clicks lag their impression by up to 15 s.
            List<AdClicksMain.Click> pending = new ArrayList<>();
            for (long n = 0; n < ads; n++) {
                if (AdClicksMain.clickDelayMs(n) >= 0) {
                    pending.add(AdClicksMain.click(n));
                }
            }
            pending.sort((a, b) -> Long.compare(a.tsMs(), b.tsMs()));
            for (long second = 0; second <= ads / 1000 + 16; second++) {
                long from = second * 1000;
                long to = from + 1000;
                impressions.addData(LongStream.range(from, Math.min(to, ads)).mapToObj(AdClicksMain::impression).toList());
                long until = AdClicksMain.impression(to).tsMs();
                clicks.addData(pending.stream().filter(c -> c.tsMs() < until && c.tsMs() >= until - 1000).toList());
                query.processAllAvailable();
            }
            // One more impression and click a minute later move both watermarks past every ad's bound.
            impressions.addData(new AdClicksMain.Impression("end", AdClicksMain.impression(ads + 60_000).tsMs()));
            clicks.addData(new AdClicksMain.Click("end-click", AdClicksMain.impression(ads + 60_000).tsMs()));
            query.processAllAvailable();
            query.stop();
        }
        Map<String, String> expected = new HashMap<>();
        for (long n = 0; n < ads; n++) {
            long delay = AdClicksMain.clickDelayMs(n);
            expected.put("ad-" + n, delay >= 0 && delay <= 10_000 ? "ad-" + n + " clicked after " + delay + " ms"
                : "ad-" + n + " never clicked");
        }
        // Every ad's impression is decided: the final watermark (45 s after the last ad) is past each bound.
        assertThat(sink.rows()).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected.values());
        assertThat(sink.rows()).anyMatch(r -> r.endsWith("never clicked")).anyMatch(r -> r.contains("clicked after"));
    }
}
