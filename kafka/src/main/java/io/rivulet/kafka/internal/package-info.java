/**
 * Mechanics of the Kafka connector, not public API: the source reader with its partition discovery
 * thread ({@code PartitionDiscovery}), the sink's epoch staging and
 * transactions ({@link io.rivulet.kafka.internal.TransactionalEpochs}) with their epoch markers
 * ({@code EpochMarkers}), the {@code format("kafka")} providers, Spark's offset JSON, and the scale-out group
 * member ({@link io.rivulet.kafka.internal.GroupMember}) that runs the tasks the consumer group assigns,
 * with, over a pattern, the group's {@link io.rivulet.kafka.internal.TaskAssignor}.
 */
package io.rivulet.kafka.internal;
