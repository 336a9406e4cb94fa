/**
 * Mechanics of the Kafka connector, not public API: the source reader, the sink's epoch staging and
 * transactions, the {@code format("kafka")} providers, and Spark's offset JSON.
 */
package io.rivulet.kafka.internal;
