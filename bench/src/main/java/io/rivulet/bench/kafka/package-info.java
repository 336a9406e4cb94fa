/**
 * The Kafka connector's throughput benchmark ({@code bin/bench kafka}): a {@code KafkaSource -> map -> KafkaSink}
 * query against a broker started in the same JVM (the kafka module's {@code EmbeddedKafkaBroker}), exactly-once
 * beside at-least-once, every run's output read back with {@code read_committed} and checked record by record;
 * {@code KafkaWindowMain} ({@code bin/bench kafka-window}): Kafka -> W2 -> Kafka exactly-once, Rivulet beside Kafka
 * Streams ({@code KafkaStreamsW2}) in one run, the broker in a JVM of its own ({@code BrokerProcess}), the trades and
 * results in a fixed-width layout ({@code TradeRecords}), what a {@code read_committed} application sees checked and
 * timed by a {@code ResultObserver};
 * and {@code KafkaLocalMain} ({@code bin/kafka-local}), that broker alone with the examples' topics until Ctrl-C.
 */
package io.rivulet.bench.kafka;
