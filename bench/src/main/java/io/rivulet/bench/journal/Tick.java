package io.rivulet.bench.journal;

/**
 * The small record of the journal benchmarks: 16 bytes of payload (20 with the journal's framing,
 * 24 in the file with Chronicle's header).
 *
 * @param sequence the tick's number
 * @param priceMicros the price in millionths
 */
public record Tick(long sequence, long priceMicros) {
}
