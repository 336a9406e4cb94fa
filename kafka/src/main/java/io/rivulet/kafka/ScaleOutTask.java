package io.rivulet.kafka;

import org.apache.kafka.common.TopicPartition;

import java.nio.file.Path;
import java.util.List;

/**
 * One unit of work of a {@link KafkaScaleOut} group: partition {@code id} of every subscribed topic
 * (co-partitioned topics), or of every topic a {@code subscribePattern} matches that has such a
 * partition (now and later), run as one Rivulet query on whichever instance of the group owns it. A task
 * has everything that must follow it from instance to instance in directories of its own under the
 * shared checkpoint root:
 *
 * <pre>
 *   &lt;root&gt;/task-&lt;id&gt;/checkpoint   the query's checkpointLocation: source offsets, keyed state, commit log
 *   &lt;root&gt;/task-&lt;id&gt;/staging      for an exactly-once {@link KafkaSink}: {@code exactlyOnce(task.stagingDirectory())}
 * </pre>
 *
 * and a query name, {@code <group name>-task-<id>}, from which an exactly-once {@link KafkaSink} derives
 * its default {@code transactional.id}s ({@code rivulet-<query name>-<writer>}): the instance that takes
 * a task over initialises producers with the same ids and so fences the previous owner's.
 *
 * <p>Immutable and thread-safe.
 *
 * @param id the task's id: the partition number it reads in every subscribed topic
 * @param partitions the Kafka partitions the task reads, one per subscribed topic; over a pattern, the
 *     partition {@code id} of each topic that matched when the task started (a matching topic created
 *     later adds its partition {@code id}, which the task's source discovers)
 * @param queryName the name the task's query runs under (set by the group; do not set another)
 * @param checkpointLocation the task's checkpoint location (set by the group; do not set another)
 * @param stagingDirectory where an exactly-once Kafka sink of the task stages its epochs
 */
public record ScaleOutTask(int id, List<TopicPartition> partitions, String queryName, Path checkpointLocation,
                           Path stagingDirectory) {
    /**
     * @param id the task's id, at least 0
     * @param partitions the partitions it reads, not empty
     * @param queryName its query's name
     * @param checkpointLocation its checkpoint location
     * @param stagingDirectory its exactly-once sink's staging directory
     */
    public ScaleOutTask {
        if (id < 0) {
            throw new IllegalArgumentException("task id must be >= 0, got " + id);
        }
        if (partitions.isEmpty()) {
            throw new IllegalArgumentException("task " + id + " reads no partition");
        }
        partitions = List.copyOf(partitions);
    }
}
