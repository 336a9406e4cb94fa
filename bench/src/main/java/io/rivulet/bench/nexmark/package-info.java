/**
 * NEXMark benchmark workload: a deterministic event generator and the stateless queries 0 to 2.
 *
 * <p>The generator follows Apache Beam's NEXMark generator ({@code sdks/java/testing/nexmark}):
 * people, auctions and bids in the proportions 1 : 3 : 46, each event derived from its event id
 * through a random generator seeded with that id (bit-identical to {@code java.util.Random}), event
 * times from the configured inter-event delay, hot sellers, bidders and auctions, bounded windows of
 * active people and in-flight auctions, optional out-of-order groups, and Beam's defaults. Bids also
 * carry the {@code channel} and {@code url} of the Flink NEXMark suite. For the same configuration
 * and event id, every field Beam has equals Beam's.
 *
 * <ul>
 *   <li>{@link io.rivulet.bench.nexmark.NexmarkConfig}: validated, immutable parameters.</li>
 *   <li>{@link io.rivulet.bench.nexmark.NexmarkGenerator}: random access by event number, typed
 *       callbacks and sequential cursors.</li>
 *   <li>{@link io.rivulet.bench.nexmark.Person}, {@link io.rivulet.bench.nexmark.Auction},
 *       {@link io.rivulet.bench.nexmark.Bid}: the events, records of the sealed
 *       {@link io.rivulet.bench.nexmark.NexmarkEvent}.</li>
 *   <li>{@link io.rivulet.bench.nexmark.NexmarkQueries}: Q0 to Q2 as {@code java.util.function}
 *       shapes.</li>
 * </ul>
 *
 * <p>Times are epoch milliseconds, delays microseconds, prices cents.
 */
package io.rivulet.bench.nexmark;
