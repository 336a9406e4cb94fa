package io.rivulet.bench.kafka;

import io.rivulet.kafka.EmbeddedKafkaBroker;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A local single-node Kafka for the examples ({@code bin/kafka-local}): starts the embedded KRaft broker
 * ({@link EmbeddedKafkaBroker}, combined broker and controller on loopback, its log in a temporary directory),
 * creates the given topics, prints the bootstrap address and runs until the JVM is stopped (Ctrl-C), then stops
 * the broker and deletes its log. Nothing is kept between runs.
 *
 * <p>Arguments: {@code [port] [topic[:partitions] ...]}; port default 9092 (0 = a free one), topics default
 * {@code tweets hashtag-counts} (what {@code bin/example KafkaTweets} reads and writes), one partition each
 * unless {@code :partitions} says otherwise.
 */
public final class KafkaLocalMain {
    private KafkaLocalMain() {
    }

    /**
     * Starts the broker and blocks until the JVM shuts down.
     *
     * @param args {@code [port] [topic[:partitions] ...]}
     * @throws Exception if the broker does not start (e.g. the port is taken) or a topic cannot be created
     */
    public static void main(String[] args) throws Exception {
        int port = 9092;
        List<String> topics = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (i == 0 && args[i].matches("\\d+")) {
                port = Integer.parseInt(args[i]);
            } else {
                topics.add(args[i]);
            }
        }
        if (topics.isEmpty()) {
            topics = List.of("tweets", "hashtag-counts");
        }
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("stopping the broker ...");
            broker.close();
            stopped.countDown();
        }, "kafka-local-shutdown"));
        for (String topic : topics) {
            int colon = topic.lastIndexOf(':');
            String name = colon < 0 ? topic : topic.substring(0, colon);
            int partitions = colon < 0 ? 1 : Integer.parseInt(topic.substring(colon + 1));
            if (partitions < 1) {
                throw new IllegalArgumentException("topic " + name + ": partitions must be at least 1, was " + partitions);
            }
            broker.createTopic(name, partitions);
            System.out.println("topic " + name + " (" + partitions + (partitions == 1 ? " partition)" : " partitions)"));
        }
        System.out.println("Kafka broker (single-node KRaft) at " + broker.bootstrapServers() + " - Ctrl-C stops it");
        System.out.println("  e.g. bin/example KafkaTweets " + broker.bootstrapServers() + " 60 --produce");
        System.out.flush();
        stopped.await();
    }
}
