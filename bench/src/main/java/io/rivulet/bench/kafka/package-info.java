/**
 * The Kafka connector's throughput benchmark ({@code bin/bench kafka}): a {@code KafkaSource -> map -> KafkaSink}
 * query against a broker started in the same JVM (the kafka module's {@code EmbeddedKafkaBroker}), exactly-once
 * beside at-least-once, every run's output read back with {@code read_committed} and checked record by record;
 * and {@code KafkaLocalMain} ({@code bin/kafka-local}), that broker alone with the examples' topics until Ctrl-C.
 */
package io.rivulet.bench.kafka;
