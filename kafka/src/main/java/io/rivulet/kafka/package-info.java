/**
 * Rivulet's Kafka connector (optional module {@code rivulet-kafka}; the engine does not depend on it).
 * <pre>
 *   Kafka partitions ──► KafkaSource (one Rivulet source partition per Kafka partition;
 *                        next offsets = the source position in every checkpoint)
 *        ──► query ──► KafkaSink (at-least-once: idempotent producer;
 *                       exactly-once: epoch staged on disk, one Kafka transaction per epoch and writer at commit)
 * </pre>
 * The structured API finds both as {@code format("kafka")} through
 * {@code io.rivulet.engine.sql.connector}'s ServiceLoader registry. See {@code docs/kafka.md}.
 *
 * <p>{@link io.rivulet.kafka.KafkaScaleOut} runs one query on several instances (JVMs, machines):
 * <pre>
 *   consumer group rivulet-&lt;name&gt; ──assigns partition p──► instance ──runs──► task p: a query over
 *   partition p of each topic, checkpoint &lt;root&gt;/task-p (shared filesystem), moved with its state
 * </pre>
 * See {@code docs/scale-out.md}.
 */
package io.rivulet.kafka;
