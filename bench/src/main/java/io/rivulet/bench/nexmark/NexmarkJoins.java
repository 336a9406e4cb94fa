package io.rivulet.bench.nexmark;

import io.rivulet.engine.JoinOptions;
import io.rivulet.engine.Stream;
import io.rivulet.engine.source.GeneratorSource;
import io.rivulet.engine.source.Sources;
import io.rivulet.operators.KeyedOperator;
import io.rivulet.operators.Output;
import io.rivulet.operators.join.JoinType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * NEXMark's two joins of persons with auctions, as the Beam suite defines them, over two inputs read from the
 * generator: its persons and its auctions ({@link #eventsOf}, which generates only the events of one kind). Each query
 * runs with the engine's long-key stream-stream join ({@code keyByLong(..).join}), and, as the baseline
 * {@code Q3-handwritten} / {@code Q8-handwritten}, with the keyed operator a user wrote before the engine had a join
 * (over the union of the same two inputs). Each also has a plain-loop version over the same events for the check.
 *
 * <ul>
 *   <li><b>Q3, local item suggestion:</b> every auction in category 10 whose seller lives in OR, ID or CA, as (name,
 *       city, state, auction id). An incremental inner join without a time range, with unbounded state, as in
 *       NEXMark: a person is kept for good, and an auction whose seller has not arrived yet waits for them.</li>
 *   <li><b>Q8, monitor new users:</b> a person and an auction they opened in the same 10 s tumbling window, as (person
 *       id, name, reserve). The engine join pairs rows less than 10 s apart (an open range of ±10 s, so the watermark
 *       evicts them) and keeps a pair only if both fall in one window: the same rows as the hand-written operator,
 *       emitted when the later row arrives rather than when the watermark passes the window's end.</li>
 * </ul>
 */
final class NexmarkJoins {
    /** Q3's category. */
    static final long Q3_CATEGORY = 10;
    /** Q3's states. */
    static final Set<String> Q3_STATES = Set.of("OR", "ID", "CA");

    private NexmarkJoins() {
    }

    /**
     * Q3's result.
     *
     * @param name the seller's name
     * @param city the seller's city
     * @param state the seller's state
     * @param id the auction
     */
    record NameCityStateId(String name, String city, String state, long id) {
    }

    /**
     * Q8's result.
     *
     * @param id the person
     * @param name their name
     * @param reserve the auction's reserve price
     */
    record IdNameReserve(long id, String name, long reserve) {
    }

    /**
     * @param event an event
     * @return whether Q3 reads it: a person in one of its states, or an auction in its category
     */
    static boolean q3Input(final NexmarkEvent event) {
        return event instanceof Person person ? Q3_STATES.contains(person.state())
            : event instanceof Auction auction && auction.category() == Q3_CATEGORY;
    }

    /**
     * @param event a person or an auction
     * @return the join key: the person's id, or the auction's seller
     */
    static long personKey(final NexmarkEvent event) {
        return event instanceof Person person ? person.id() : ((Auction) event).seller();
    }

    /**
     * The events of one kind among the first {@code events} of the generator, as a source whose index {@code k}
     * generates the {@code k}-th of them: the others are never generated. Needs the generator's in-order timeline
     * ({@code outOfOrderGroupSize} 1), where the kinds repeat every {@value NexmarkGenerator#PROPORTION_DENOMINATOR}
     * event numbers; each partition's events then come in event-time order.
     *
     * @param generator the generator
     * @param events how many of its events to cover
     * @param kind which kind
     * @param partitions source partitions (strided over the kind's events)
     * @param <T> the kind's type ({@link Person}, {@link Auction}, {@link Bid} or {@link NexmarkEvent})
     * @return the source
     * @throws IllegalArgumentException if the generator shuffles events within groups
     */
    @SuppressWarnings("unchecked")
    static <T extends NexmarkEvent> GeneratorSource<T> eventsOf(final NexmarkGenerator generator, final long events,
        final EventKind kind, final int partitions) {
        if (generator.config().outOfOrderGroupSize() != 1) {
            throw new IllegalArgumentException("outOfOrderGroupSize " + generator.config().outOfOrderGroupSize()
                + ": reading the events of one kind needs the in-order timeline (outOfOrderGroupSize 1)");
        }
        final int period = NexmarkGenerator.PROPORTION_DENOMINATOR;
        final long[] offsets = new long[period];
        int perPeriod = 0;
        for (int r = 0; r < period; r++) {
            if (NexmarkGenerator.kindOfEventId(generator.config().firstEventId() + r) == kind) {
                offsets[perPeriod++] = r;
            }
        }
        long count = events / period * perPeriod;
        for (int i = 0; i < perPeriod && offsets[i] < events % period; i++) {
            count++;
        }
        final int m = perPeriod;
        return Sources.generator(count, k -> (T) generator.event(k / m * period + offsets[(int) (k % m)]))
            .numPartitions(partitions);
    }

    /**
     * Q3 with the engine's long-key join: qualifying persons (left, by id) inner-joined with qualifying auctions (right,
     * by seller), no time range.
     *
     * @param persons the generator's persons
     * @param auctions its auctions
     * @return the results
     */
    static Stream<NameCityStateId> q3(final Stream<Person> persons, final Stream<Auction> auctions) {
        return persons.filter(person -> Q3_STATES.contains(person.state()))
            .keyByLong("person", Person::id, 2)
            .join(auctions.filter(auction -> auction.category() == Q3_CATEGORY).keyByLong("seller", Auction::seller),
                JoinType.INNER, (id, person, auction) -> Q3.result(person, auction));
    }

    /**
     * Q8 with the engine's long-key join: persons (by id) and auctions (by seller) less than one window apart, kept if
     * both fall in the same window. The watermark delay is 1 ms: each source partition's events come in event-time
     * order, several in one ms, and a row at or behind the watermark would be late; 1 ms keeps every row ahead of it.
     *
     * @param persons the generator's persons
     * @param auctions its auctions
     * @param sizeMs the window size
     * @return the results
     */
    static Stream<IdNameReserve> q8(final Stream<Person> persons, final Stream<Auction> auctions, final long sizeMs) {
        final Duration delay = Duration.ofMillis(1);
        return persons.withWatermark(Person::dateTimeMs, delay)
            .keyByLong("person", Person::id, 2)
            .join(auctions.withWatermark(Auction::dateTimeMs, delay).keyByLong("seller", Auction::seller),
                JoinOptions.<Person, Auction>of(JoinType.INNER)
                    .withTimeRange(Duration.ofMillis(-sizeMs), false, Duration.ofMillis(sizeMs), false),
                (id, person, auction) -> Math.floorDiv(person.dateTimeMs(), sizeMs) == Math.floorDiv(auction.dateTimeMs(), sizeMs)
                    ? new IdNameReserve(person.id(), person.name(), auction.reserve()) : null);
    }

    /** Q3 on one partition (the {@code Q3-handwritten} baseline). Not thread-safe; owned by the partition's thread. */
    static final class Q3 implements KeyedOperator<Long, NexmarkEvent, NameCityStateId> {
        private final Map<Long, Person> persons = new HashMap<>();
        private final Map<Long, List<Auction>> waiting = new HashMap<>();

        @Override
        public void process(final Long seller, final NexmarkEvent event, final Output<NameCityStateId> out) {
            if (event instanceof Person person) {
                persons.put(seller, person);
                final List<Auction> auctions = waiting.remove(seller);
                if (auctions != null) {
                    for (final Auction auction : auctions) {
                        out.emit(result(person, auction));
                    }
                }
                return;
            }
            final Auction auction = (Auction) event;
            final Person person = persons.get(seller);
            if (person != null) {
                out.emit(result(person, auction));
            } else {
                waiting.computeIfAbsent(seller, s -> new ArrayList<>()).add(auction);
            }
        }

        static NameCityStateId result(final Person person, final Auction auction) {
            return new NameCityStateId(person.name(), person.city(), person.state(), auction.id());
        }
    }

    /** Q8 on one partition (the {@code Q8-handwritten} baseline). Not thread-safe; owned by the partition's thread. */
    static final class Q8 implements KeyedOperator<Long, NexmarkEvent, IdNameReserve> {
        private final long sizeMs;
        /** Window start to key to what the window holds of that key. */
        private final TreeMap<Long, Map<Long, Pane>> windows = new TreeMap<>();

        Q8(final long sizeMs) {
            this.sizeMs = sizeMs;
        }

        @Override
        public void process(final Long id, final NexmarkEvent event, final Output<IdNameReserve> out) {
            final long start = Math.floorDiv(event.dateTimeMs(), sizeMs) * sizeMs;
            final Pane pane = windows.computeIfAbsent(start, s -> new HashMap<>()).computeIfAbsent(id, k -> new Pane());
            pane.add(event);
        }

        @Override
        public void onWatermark(final long watermarkMs, final Output<IdNameReserve> out) {
            while (!windows.isEmpty() && windows.firstKey() + sizeMs <= watermarkMs) {
                for (final Pane pane : windows.pollFirstEntry().getValue().values()) {
                    pane.emit(out);
                }
            }
        }

        @Override
        public void onEnd(final Output<IdNameReserve> out) {
            onWatermark(Long.MAX_VALUE, out);
        }
    }

    /** The persons and auctions of one key in one window. */
    static final class Pane {
        final List<Person> persons = new ArrayList<>(1);
        final List<Auction> auctions = new ArrayList<>(1);

        void add(final NexmarkEvent event) {
            if (event instanceof Person person) {
                persons.add(person);
            } else {
                auctions.add((Auction) event);
            }
        }

        void emit(final Output<IdNameReserve> out) {
            for (final Person person : persons) {
                for (final Auction auction : auctions) {
                    out.emit(new IdNameReserve(person.id(), person.name(), auction.reserve()));
                }
            }
        }
    }

    /**
     * Q3 and Q8 in a plain loop over the same events: {count, wrapping sum of the results' hash codes}.
     *
     * @param query Q3 or Q8
     * @param generator the events
     * @param events how many
     * @param windowMs Q8's window size
     * @return count and hash sum
     */
    static long[] direct(final String query, final NexmarkGenerator generator, final long events, final long windowMs) {
        final long[] acc = new long[2];
        final Output<Object> out = result -> {
            acc[0]++;
            acc[1] += result.hashCode();
        };
        if (query.equals("Q3")) {
            // As a set, not incrementally: every qualifying auction whose seller is a qualifying person.
            final Map<Long, Person> persons = new HashMap<>();
            final List<Auction> auctions = new ArrayList<>();
            for (long n = 0; n < events; n++) {
                final NexmarkEvent event = generator.event(n);
                if (q3Input(event)) {
                    if (event instanceof Person person) {
                        persons.put(person.id(), person);
                    } else {
                        auctions.add((Auction) event);
                    }
                }
            }
            for (final Auction auction : auctions) {
                final Person seller = persons.get(auction.seller());
                if (seller != null) {
                    out.emit(Q3.result(seller, auction));
                }
            }
        } else {
            final Map<Long, Map<Long, Pane>> byWindow = new TreeMap<>();
            for (long n = 0; n < events; n++) {
                final NexmarkEvent event = generator.event(n);
                if (event instanceof Bid) {
                    continue;
                }
                final long start = Math.floorDiv(event.dateTimeMs(), windowMs) * windowMs;
                byWindow.computeIfAbsent(start, s -> new HashMap<>())
                    .computeIfAbsent(personKey(event), k -> new Pane()).add(event);
            }
            for (final Map<Long, Pane> window : byWindow.values()) {
                for (final Pane pane : window.values()) {
                    pane.emit(cast(out));
                }
            }
        }
        return acc;
    }

    @SuppressWarnings("unchecked")
    private static <T> Output<T> cast(final Output<Object> out) {
        return (Output<T>) (Output<?>) out;
    }
}
