package io.rivulet.kafka.internal;

import io.rivulet.engine.StreamingQuery;
import io.rivulet.kafka.ScaleOutInstance;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * One instance's membership of a scale-out group: a {@link KafkaConsumer} that joins the group only to
 * be assigned partitions (it pauses them and never reads a record), and the task queries it runs for
 * them. A partition numbered {@code p} assigned means task {@code p} is this instance's to run. With
 * {@code subscribe} the consumer subscribes to the lead topic (any assignor will do: one partition per
 * task); with {@code subscribePattern} it subscribes to the pattern and the group uses the
 * {@link TaskAssignor}, which hands every partition numbered {@code p} to the one owner of task
 * {@code p}; a matching topic created later is seen at the consumer's next metadata refresh
 * ({@code metadata.max.age.ms}), rebalances the group, and adds tasks if it has more partitions.
 *
 * <pre>
 *   poll ─► onPartitionsAssigned(p…)  task p pending ─► started (retried while its checkpoint is locked)
 *       └─► onPartitionsRevoked(p…) / onPartitionsLost(p…)  task p stopped (its epoch committed) before
 *           poll returns, so the partition moves on only once this instance has let go of it
 * </pre>
 *
 * <p>A task can start only when its checkpoint location's file lock is free: a previous owner that is
 * still stopping (or a zombie that has not yet noticed it lost the task) holds it, and the start is
 * retried every {@code retryIntervalNs} for as long as the task stays assigned. The lock is what keeps
 * two owners of a task from ever running together; the exactly-once sink's transactional ids, derived
 * from the task, fence the previous owner's producers when the new owner opens its sink.
 *
 * <p>Everything but the query handles runs on the member's thread ({@code rivulet-<name>-group}), which
 * owns the consumer; the public methods are thread-safe.
 */
public final class GroupMember implements ScaleOutInstance, ConsumerRebalanceListener {
    private static final System.Logger LOG = System.getLogger(GroupMember.class.getName());
    private static final Duration POLL = Duration.ofMillis(100);

    private final String name;
    private final String groupId;
    private final List<String> topics;
    private final Pattern pattern;
    /** Partition count of each topic seen: a partition beyond it means the topic grew (member thread). */
    private final Map<String, Integer> partitionCounts;
    private final Map<String, Object> consumerConfigs;
    private final TaskStarter startTask;
    private final long retryIntervalNs;
    private final Map<Integer, StreamingQuery> running = new ConcurrentHashMap<>();
    /** Every task the group assigned to this instance and did not take back. */
    private final Set<Integer> assigned = ConcurrentHashMap.newKeySet();
    /** The partitions assigned to each assigned task (member thread). */
    private final Map<Integer, Set<TopicPartition>> taskPartitions = new HashMap<>();
    /** Assigned tasks not running yet: task id to the {@link System#nanoTime()} of the next attempt (member thread). */
    private final TreeMap<Integer, Long> pending = new TreeMap<>();
    /** Assigned tasks whose query ended because its input did (bounded sources); not started again (member thread). */
    private final Set<Integer> finished = new TreeSet<>();
    private final CountDownLatch ended = new CountDownLatch(1);
    private final Thread thread;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile boolean closing;
    private volatile Throwable failure;

    /**
     * Starts a task's query. Called on the member's thread.
     */
    @FunctionalInterface
    public interface TaskStarter {
        /**
         * @param task the task id
         * @param partitions the partitions the group assigned to it (for a pattern, those of the topics this
         *     member's subscription knows now)
         * @return the task's query, started
         * @throws RuntimeException if it cannot start (retried only if its checkpoint is locked, see {@link #checkpointInUse})
         */
        StreamingQuery start(int task, List<TopicPartition> partitions);
    }

    /**
     * Creates the member; {@link #start()} joins the group.
     *
     * @param name the group's name, for thread names and messages
     * @param groupId the consumer group
     * @param topics the topics the consumer subscribes to (the lead topic of a {@code subscribe}), or {@code null}
     * @param pattern the pattern it subscribes to instead, or {@code null}
     * @param partitionCounts the partition count of each topic listed at start; a partition assigned beyond its
     *     topic's count fails the member (the topic grew: keys moved between partitions)
     * @param consumerConfigs the membership consumer's configs, {@code group.id} included
     * @param startTask starts a task's query, or throws
     * @param retryIntervalNs how long to wait before starting a task again whose checkpoint is locked
     */
    public GroupMember(String name, String groupId, List<String> topics, Pattern pattern, Map<String, Integer> partitionCounts,
                       Map<String, Object> consumerConfigs, TaskStarter startTask, long retryIntervalNs) {
        if ((topics == null) == (pattern == null)) {
            throw new IllegalArgumentException("exactly one of topics and pattern must be given");
        }
        this.name = name;
        this.groupId = groupId;
        this.topics = topics == null ? null : List.copyOf(topics);
        this.pattern = pattern;
        this.partitionCounts = new HashMap<>(partitionCounts);
        this.consumerConfigs = new HashMap<>(consumerConfigs);
        this.startTask = startTask;
        this.retryIntervalNs = retryIntervalNs;
        this.thread = new Thread(this::run, "rivulet-" + name + "-group");
        thread.setDaemon(true);
    }

    /** Starts the member's thread, which joins the group. Called once. */
    public void start() {
        thread.start();
    }

    private void run() {
        try (KafkaConsumer<byte[], byte[]> member = new KafkaConsumer<>(consumerConfigs, new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
            consumer = member;
            if (pattern != null) {
                member.subscribe(pattern, this);
            } else {
                member.subscribe(topics, this);
            }
            while (!closing) {
                try {
                    member.poll(POLL);
                } catch (WakeupException e) {
                    continue;
                }
                superviseTasks();
            }
            // Stop the tasks before leaving, so the instances that take them over find their checkpoints free.
            stopAll();
        } catch (Throwable t) {
            fail(t);
            stopAll();
        } finally {
            consumer = null;
            ended.countDown();
        }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        KafkaConsumer<byte[], byte[]> member = consumer;
        if (member != null) {
            member.pause(partitions);
        }
        for (TopicPartition partition : partitions) {
            int task = partition.partition();
            int count = partitionCount(member, partition.topic());
            if (task >= count) {
                fail(new IllegalStateException("scale-out group '" + name + "': topic " + partition.topic() + " has grown to "
                    + "more than the " + count + " partitions this instance started with (" + partition + " was assigned). "
                    + "Records of a key now go to another partition than the one holding its state: start the query anew on "
                    + "a new checkpoint root (or repartition)"));
                return;
            }
            Set<TopicPartition> own = taskPartitions.computeIfAbsent(task, t -> new HashSet<>());
            boolean added = own.isEmpty();
            own.add(partition);
            if (added) {
                // A task already running takes a partition of a new matching topic through its source's discovery.
                finished.remove(task);
                assigned.add(task);
                pending.put(task, System.nanoTime());
            }
        }
        if (!partitions.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, () -> "scale-out group '" + name + "': assigned tasks " + ids(partitions));
        }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        if (!partitions.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, () -> "scale-out group '" + name + "': revoked tasks " + ids(partitions));
        }
        release(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        LOG.log(System.Logger.Level.WARNING, () -> "scale-out group '" + name + "': lost tasks " + ids(partitions)
            + " (membership expired); stopping them");
        release(partitions);
    }

    /** @return the partition count of a topic, asked of the cluster the first time the topic is assigned */
    private int partitionCount(KafkaConsumer<byte[], byte[]> member, String topic) {
        Integer known = partitionCounts.get(topic);
        if (known == null) {
            List<PartitionInfo> infos = member == null ? null : member.partitionsFor(topic);
            known = infos == null || infos.isEmpty() ? Integer.MAX_VALUE : infos.size();
            partitionCounts.put(topic, known);
        }
        return known;
    }

    private void release(Collection<TopicPartition> partitions) {
        for (TopicPartition partition : partitions) {
            int task = partition.partition();
            Set<TopicPartition> own = taskPartitions.get(task);
            if (own != null) {
                own.remove(partition);
                if (!own.isEmpty()) {
                    // A topic of the pattern's went away (deleted, or the pattern no longer matches): the task goes on.
                    continue;
                }
                taskPartitions.remove(task);
            }
            assigned.remove(task);
            pending.remove(task);
            finished.remove(task);
            StreamingQuery query = running.remove(task);
            if (query != null) {
                stop(task, query);
            }
        }
    }

    private void stop(int task, StreamingQuery query) {
        query.stop();
        query.exception().ifPresent(e -> LOG.log(System.Logger.Level.WARNING, "scale-out group '" + name + "': task " + task
            + " failed while it stopped; its next owner restarts it from its checkpoint", e));
    }

    private void superviseTasks() {
        for (Map.Entry<Integer, StreamingQuery> task : running.entrySet()) {
            StreamingQuery query = task.getValue();
            if (!query.isActive()) {
                running.remove(task.getKey());
                if (query.exception().isPresent()) {
                    fail(new IllegalStateException("scale-out group '" + name + "': task " + task.getKey() + " failed: "
                        + query.exception().get().getMessage(), query.exception().get()));
                    return;
                }
                finished.add(task.getKey());
            }
        }
        long now = System.nanoTime();
        List<Integer> due = new ArrayList<>();
        for (Map.Entry<Integer, Long> task : pending.entrySet()) {
            if (task.getValue() - now <= 0) {
                due.add(task.getKey());
            }
        }
        for (int task : due) {
            if (closing) {
                return;
            }
            try {
                running.put(task, startTask.start(task, sorted(taskPartitions.getOrDefault(task, Set.of()))));
                pending.remove(task);
            } catch (RuntimeException e) {
                if (!checkpointInUse(e)) {
                    fail(new IllegalStateException("scale-out group '" + name + "': task " + task + " cannot start: "
                        + e.getMessage(), e));
                    return;
                }
                // Its previous owner has not let go of the checkpoint yet: it stops when it learns of the rebalance.
                LOG.log(System.Logger.Level.DEBUG, () -> "scale-out group '" + name + "': task " + task
                    + " waits for its previous owner to release its checkpoint");
                pending.put(task, System.nanoTime() + retryIntervalNs);
            }
        }
    }

    /**
     * @param e why a task's query could not start
     * @return whether {@code e} says the task's checkpoint location is locked by another query or process
     *     (the engine's message), the one failure a start retries
     */
    public static boolean checkpointInUse(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && message.contains("checkpoint location") && message.contains("is in use by another")) {
                return true;
            }
        }
        return false;
    }

    private static List<TopicPartition> sorted(Set<TopicPartition> partitions) {
        List<TopicPartition> list = new ArrayList<>(partitions);
        list.sort(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
        return list;
    }

    private void stopAll() {
        pending.clear();
        assigned.clear();
        taskPartitions.clear();
        for (Map.Entry<Integer, StreamingQuery> task : new TreeMap<>(running).entrySet()) {
            running.remove(task.getKey());
            stop(task.getKey(), task.getValue());
        }
    }

    private void fail(Throwable t) {
        if (failure == null) {
            failure = t;
            LOG.log(System.Logger.Level.ERROR, "scale-out group '" + name + "' fails; its tasks stop and it leaves the group", t);
        }
        closing = true;
    }

    private static String ids(Collection<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::partition).distinct().sorted().toList().toString();
    }

    @Override
    public String groupId() {
        return groupId;
    }

    @Override
    public Set<Integer> assignedTasks() {
        return Set.copyOf(assigned);
    }

    @Override
    public Set<Integer> runningTasks() {
        return Set.copyOf(new TreeSet<>(running.keySet()));
    }

    @Override
    public Optional<StreamingQuery> task(int taskId) {
        return Optional.ofNullable(running.get(taskId));
    }

    @Override
    public boolean isActive() {
        return ended.getCount() > 0;
    }

    @Override
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    @Override
    public boolean awaitTermination(long timeoutMs) throws InterruptedException {
        return ended.await(timeoutMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        closing = true;
        KafkaConsumer<byte[], byte[]> member = consumer;
        if (member != null) {
            member.wakeup();
        }
        if (Thread.currentThread() == thread) {
            return;
        }
        try {
            ended.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
