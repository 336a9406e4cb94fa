package io.rivulet.examples;

import io.rivulet.engine.JoinOptions;
import io.rivulet.engine.Rivulet;
import io.rivulet.engine.Stream;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.Trigger;
import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.source.Sources;
import io.rivulet.operators.join.JoinType;

import java.time.Duration;

/**
 * Spark's ad-monetization join, record at a time: ad impressions joined with clicks on the same ad within
 * 10 s of event time after the impression, as a left outer stream-stream join, so that each impression
 * comes out either with its click or, once the watermark shows no click can still come, as never clicked.
 *
 * <p>Both streams are generated: impression {@code n} of ad {@code ad-n} at {@code t0 + n} ms (one per
 * millisecond of event time); about a third of the ads are clicked, 0 to 15 s after their impression (so
 * some clicks come too late for the 10 s range). Clicks arrive out of order by up to 15 s, so the clicks'
 * watermark trails by 15 s, the impressions' by 1 s. Runs continuously (each match printed as soon as its
 * click is processed). Arguments: seconds to run (default 10), impressions per second (default 1 000).
 */
public final class AdClicksMain {
    private static final long T0 = 1_700_000_000_000L;

    private AdClicksMain() {
    }

    /** An ad shown at {@code tsMs}. */
    public record Impression(String ad, long tsMs) {
    }

    /** A click on an ad at {@code tsMs}. */
    public record Click(String ad, long tsMs) {
    }

    /**
     * @param args optional seconds and impressions per second
     * @throws InterruptedException if interrupted while waiting
     */
    public static void main(String[] args) throws InterruptedException {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 10;
        long perSecond = args.length > 1 ? Long.parseLong(args[1]) : 1_000;
        try (Rivulet rivulet = Rivulet.create()) {
            Stream<Impression> impressions = rivulet.readStream(Sources.rate().rowsPerSecond(perSecond))
                .map(row -> impression(row.value()));
            Stream<Click> clicks = rivulet.readStream(Sources.rate().rowsPerSecond(perSecond))
                .filter(row -> clickDelayMs(row.value()) >= 0)
                .map(row -> click(row.value()));
            StreamingQuery query = report(impressions, clicks)
                .writeStream(Sinks.<String>console().numRows(20).truncate(false))
                .queryName("ad-clicks")
                .trigger(Trigger.continuous(Duration.ofSeconds(1)))
                .start();
            Run.until(query, Duration.ofSeconds(seconds));
        }
    }

    /** Impression {@code n}. */
    static Impression impression(long n) {
        return new Impression("ad-" + n, T0 + n);
    }

    /** How long after its impression ad {@code n} is clicked, ms, or -1 if never: a third of the ads, within 0-15 s. */
    static long clickDelayMs(long n) {
        long h = n * 0x9E3779B97F4A7C15L;
        return Math.floorMod(h >>> 11, 3) == 0 ? Math.floorMod(h >>> 29, 15_000) : -1;
    }

    /** The click on ad {@code n} (only for ads {@link #clickDelayMs} clicks). */
    static Click click(long n) {
        return new Click("ad-" + n, T0 + n + clickDelayMs(n));
    }

    /**
     * The report: impressions left-outer-joined with clicks of the same ad within [impression, impression + 10 s].
     *
     * @param impressions the impressions
     * @param clicks the clicks
     * @return {@code "ad-7 clicked after 1234 ms"} per click in range, {@code "ad-8 never clicked"} per
     *     impression with none, once the watermark passes its impression time + 10 s
     */
    static Stream<String> report(Stream<Impression> impressions, Stream<Click> clicks) {
        return impressions.withWatermark(Impression::tsMs, Duration.ofSeconds(1)).keyBy("ad", Impression::ad)
            .join(clicks.withWatermark(Click::tsMs, Duration.ofSeconds(15)).keyBy("ad", Click::ad),
                JoinOptions.<Impression, Click>of(JoinType.LEFT_OUTER).withTimeRange(Duration.ZERO, Duration.ofSeconds(10)),
                (ad, impression, click) -> click == null ? ad + " never clicked"
                    : ad + " clicked after " + (click.tsMs() - impression.tsMs()) + " ms");
    }
}
