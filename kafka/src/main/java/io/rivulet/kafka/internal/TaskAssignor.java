package io.rivulet.kafka.internal;

import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.TopicPartition;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The consumer-group assignor of a scale-out group over a {@code subscribePattern}: it assigns
 * <b>tasks</b>, not partitions. Task {@code p} is partition {@code p} of every subscribed topic that has
 * one, so there are as many tasks as the largest topic has partitions, and every partition numbered
 * {@code p} goes to the member that owns task {@code p} (as Kafka Streams groups the partitions of a
 * sub-topology's source topics into tasks). A topic that appears later adds its partitions to the tasks
 * of their numbers, and tasks of its own beyond the current count.
 *
 * <pre>
 *   tasks 0..n-1 (n = max partition count)   members sorted by id, k of them
 *   1. a task stays with its previous owner (its owned partitions) while that owner has fewer than
 *      ceil(n/k) tasks (floor(n/k) once the ceil slots, n mod k, are taken)
 *   2. the other tasks go, in order, to the member with the fewest tasks
 *   3. cooperative: a task whose new owner is not its previous owner, while that owner is still a
 *      member, is withheld this round; the previous owner stops it (its revocation), rejoins, and the
 *      follow-up rebalance hands it on: a task never runs on two members at once
 * </pre>
 *
 * <p>A member receives only partitions of the topics its own subscription lists (its metadata may lag
 * the leader's); the task's source discovers the others itself. Stateless: used by the group leader
 * only, through the classic group protocol ({@code group.protocol=classic}) and
 * {@code partition.assignment.strategy}; instantiated by the Kafka client. Thread-safe.
 */
public final class TaskAssignor implements ConsumerPartitionAssignor {
    /** The assignor's protocol name in the group. */
    public static final String NAME = "rivulet-tasks";

    /** Instantiated by the Kafka client from {@code partition.assignment.strategy}. */
    public TaskAssignor() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<RebalanceProtocol> supportedProtocols() {
        return List.of(RebalanceProtocol.COOPERATIVE);
    }

    @Override
    public GroupAssignment assign(Cluster metadata, GroupSubscription groupSubscription) {
        Map<String, Subscription> members = new TreeMap<>(groupSubscription.groupSubscription());
        TreeMap<Integer, List<TopicPartition>> tasks = new TreeMap<>();
        Set<String> topics = new HashSet<>();
        members.values().forEach(subscription -> topics.addAll(subscription.topics()));
        for (String topic : topics) {
            Integer count = metadata.partitionCountForTopic(topic);
            for (int p = 0; count != null && p < count; p++) {
                tasks.computeIfAbsent(p, task -> new ArrayList<>()).add(new TopicPartition(topic, p));
            }
        }
        Map<Integer, String> owner = new HashMap<>();
        Map<Integer, Set<String>> previousOwners = previousOwners(members, tasks.keySet());
        Map<String, Integer> load = new HashMap<>();
        members.keySet().forEach(member -> load.put(member, 0));
        int k = members.size();
        int n = tasks.size();
        int floor = k == 0 ? 0 : n / k;
        int ceilSlots = k == 0 ? 0 : n % k;
        for (Map.Entry<Integer, Set<String>> task : previousOwners.entrySet()) {
            String previous = sticky(task.getValue(), members);
            if (previous == null) {
                continue;
            }
            int has = load.get(previous);
            if (has < floor || (has == floor && ceilSlots > 0)) {
                if (has == floor) {
                    ceilSlots--;
                }
                owner.put(task.getKey(), previous);
                load.put(previous, has + 1);
            }
        }
        for (int task : tasks.keySet()) {
            if (!owner.containsKey(task) && k > 0) {
                String least = null;
                for (String member : members.keySet()) {
                    if (least == null || load.get(member) < load.get(least)) {
                        least = member;
                    }
                }
                owner.put(task, least);
                load.merge(least, 1, Integer::sum);
            }
        }
        Map<String, List<TopicPartition>> assigned = new HashMap<>();
        members.keySet().forEach(member -> assigned.put(member, new ArrayList<>()));
        for (Map.Entry<Integer, List<TopicPartition>> task : tasks.entrySet()) {
            String member = owner.get(task.getKey());
            if (member == null || movesFromALiveMember(previousOwners.get(task.getKey()), member, members)) {
                continue;
            }
            Subscription subscription = members.get(member);
            for (TopicPartition partition : task.getValue()) {
                if (subscription.topics().contains(partition.topic())) {
                    assigned.get(member).add(partition);
                }
            }
        }
        Map<String, Assignment> assignment = new HashMap<>();
        assigned.forEach((member, partitions) -> assignment.put(member, new Assignment(partitions)));
        return new GroupAssignment(assignment);
    }

    /** Task to every member that claims one of its partitions now (any generation: the coordinator checks them all). */
    private static Map<Integer, Set<String>> previousOwners(Map<String, Subscription> members, Set<Integer> tasks) {
        Map<Integer, Set<String>> owners = new TreeMap<>();
        for (Map.Entry<String, Subscription> member : members.entrySet()) {
            for (TopicPartition partition : member.getValue().ownedPartitions()) {
                if (tasks.contains(partition.partition())) {
                    owners.computeIfAbsent(partition.partition(), task -> new HashSet<>()).add(member.getKey());
                }
            }
        }
        return owners;
    }

    /** @return the claimant that keeps the task: the newest generation's, then the first by member id */
    private static String sticky(Set<String> claimants, Map<String, Subscription> members) {
        String chosen = null;
        int chosenGeneration = Integer.MIN_VALUE;
        for (String member : claimants) {
            int generation = members.get(member).generationId().orElse(-1);
            if (chosen == null || generation > chosenGeneration || (generation == chosenGeneration && member.compareTo(chosen) < 0)) {
                chosen = member;
                chosenGeneration = generation;
            }
        }
        return chosen;
    }

    private static boolean movesFromALiveMember(Set<String> previous, String member, Map<String, Subscription> members) {
        if (previous == null) {
            return false;
        }
        for (String owner : previous) {
            if (!owner.equals(member) && members.containsKey(owner)) {
                return true;
            }
        }
        return false;
    }
}
