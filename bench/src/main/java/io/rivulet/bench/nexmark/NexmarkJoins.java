package io.rivulet.bench.nexmark;

import io.rivulet.operators.KeyedOperator;
import io.rivulet.operators.Output;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * NEXMark's two joins of persons with auctions, as the Beam suite defines them, written as keyed operators over the
 * one event stream (filtered to persons and auctions, keyed by person id / seller): the engine has no join operator
 * yet, so these are what a user writes today. Each also has a plain-loop version over the same events for the check.
 *
 * <ul>
 *   <li><b>Q3, local item suggestion:</b> every auction in category 10 whose seller lives in OR, ID or CA, as (name,
 *       city, state, auction id). An incremental join with unbounded state, as in NEXMark: a person is kept for good,
 *       and an auction whose seller has not arrived yet waits for them.</li>
 *   <li><b>Q8, monitor new users:</b> a person and an auction they opened in the same 10 s tumbling window, as (person
 *       id, name, reserve), emitted when the watermark passes the window's end.</li>
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

    /** Q3 on one partition. Not thread-safe; owned by the partition's thread. */
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

    /** Q8 on one partition. Not thread-safe; owned by the partition's thread. */
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
