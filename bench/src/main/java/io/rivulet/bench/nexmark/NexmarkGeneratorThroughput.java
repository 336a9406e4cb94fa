package io.rivulet.bench.nexmark;

/**
 * Command-line throughput check of {@link NexmarkGenerator}: generates events on one thread with a
 * {@link NexmarkGenerator.Cursor} and prints events per second. Not a rigorous benchmark (no JMH),
 * a quick sanity figure.
 *
 * <p>Usage: {@code NexmarkGeneratorThroughput [eventsPerRound [rounds]]}, defaults 10,000,000 and 5.
 */
public final class NexmarkGeneratorThroughput {
    private NexmarkGeneratorThroughput() {
    }

    /**
     * Runs the measurement and prints one line per round plus the best rate.
     *
     * @param args optional events per round and number of rounds.
     */
    public static void main(final String[] args) {
        final long eventsPerRound = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        final int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        final NexmarkGenerator generator = new NexmarkGenerator(
            NexmarkConfig.builder().numEvents(eventsPerRound * rounds).build());
        final Sink sink = new Sink();
        double best = 0;
        for (int round = 0; round < rounds; round++) {
            final NexmarkGenerator.Cursor cursor =
                generator.cursor(round * eventsPerRound, (round + 1) * eventsPerRound);
            final long startNs = System.nanoTime();
            while (cursor.poll(sink)) {
                // generate
            }
            final long elapsedNs = System.nanoTime() - startNs;
            final double eventsPerSec = eventsPerRound * 1e9 / elapsedNs;
            best = Math.max(best, eventsPerSec);
            System.out.printf("round %d: %,d events in %,d ms = %,.0f events/s%n",
                round, eventsPerRound, elapsedNs / 1_000_000, eventsPerSec);
        }
        System.out.printf("best: %,.0f events/s (checksum %d)%n", best, sink.checksum);
    }

    /** Folds every event into a checksum so that the JIT cannot drop the generation. */
    private static final class Sink implements NexmarkEventHandler {
        long checksum;

        @Override
        public void onPerson(final long eventNumber, final Person person) {
            checksum += person.id() + person.extra().length() + person.name().length();
        }

        @Override
        public void onAuction(final long eventNumber, final Auction auction) {
            checksum += auction.id() + auction.expiresMs() + auction.extra().length();
        }

        @Override
        public void onBid(final long eventNumber, final Bid bid) {
            checksum += bid.auction() + bid.price() + bid.extra().length() + bid.url().length();
        }
    }
}
