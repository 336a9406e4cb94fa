package io.rivulet.kafka.internal;

import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Assignment;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.GroupSubscription;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link TaskAssignor}: whole tasks to one member, balanced, sticky, and never moved directly from a live owner. */
class TaskAssignorTest {
    private static final Node NODE = new Node(0, "localhost", 9092);
    private final TaskAssignor assignor = new TaskAssignor();

    @Test
    void shouldGiveEveryPartitionOfATaskToOneMemberWithTasksUpToTheLargestTopic() {
        Cluster cluster = cluster(Map.of("a", 2, "b", 3));
        Map<String, Assignment> result = assign(cluster, Map.of("m1", subscription(List.of("a", "b"), List.of())));
        assertThat(result.get("m1").partitions()).containsExactlyInAnyOrder(tp("a", 0), tp("a", 1), tp("b", 0), tp("b", 1),
            tp("b", 2));
        Map<String, Assignment> two = assign(cluster, Map.of("m1", subscription(List.of("a", "b"), List.of()),
            "m2", subscription(List.of("a", "b"), List.of())));
        assertThat(tasks(two.get("m1"))).hasSize(2);
        assertThat(tasks(two.get("m2"))).hasSize(1);
        for (Assignment assignment : two.values()) {
            for (TopicPartition partition : assignment.partitions()) {
                if (partition.partition() < 2) {
                    assertThat(assignment.partitions()).as("task %s whole", partition.partition())
                        .contains(tp("a", partition.partition()), tp("b", partition.partition()));
                }
            }
        }
    }

    @Test
    void shouldKeepTasksWithTheirOwnersAndWithholdAMovingTaskUntilItsOwnerReleasedIt() {
        Cluster cluster = cluster(Map.of("a", 4));
        List<TopicPartition> all = List.of(tp("a", 0), tp("a", 1), tp("a", 2), tp("a", 3));
        // m1 owned everything; m2 joins: m1 keeps two, the two that move are withheld this round.
        Map<String, Assignment> round1 = assign(cluster, Map.of("m1", subscription(List.of("a"), all),
            "m2", subscription(List.of("a"), List.of())));
        assertThat(round1.get("m1").partitions()).hasSize(2).isSubsetOf(all);
        assertThat(round1.get("m2").partitions()).as("not handed on while m1 still runs them").isEmpty();
        // m1 revoked them and rejoins: now they go to m2, and m1 keeps its own.
        Map<String, Assignment> round2 = assign(cluster, Map.of("m1", subscription(List.of("a"), round1.get("m1").partitions()),
            "m2", subscription(List.of("a"), List.of())));
        assertThat(round2.get("m1").partitions()).containsExactlyInAnyOrderElementsOf(round1.get("m1").partitions());
        Set<TopicPartition> rest = new TreeSet<>(Comparator.comparingInt(TopicPartition::partition));
        rest.addAll(all);
        rest.removeAll(round1.get("m1").partitions());
        assertThat(round2.get("m2").partitions()).containsExactlyInAnyOrderElementsOf(rest);
    }

    @Test
    void shouldHandADepartedMembersTasksOnAtOnce() {
        Cluster cluster = cluster(Map.of("a", 2));
        // m2 left (it is no longer a member): its task goes to m1 in the same round.
        Map<String, Assignment> result = assign(cluster, Map.of("m1", subscription(List.of("a"), List.of(tp("a", 0)))));
        assertThat(result.get("m1").partitions()).containsExactlyInAnyOrder(tp("a", 0), tp("a", 1));
    }

    @Test
    void shouldAssignOnlyTopicsTheOwnersSubscriptionLists() {
        Cluster cluster = cluster(Map.of("a", 1, "new", 1));
        // m1's metadata has not seen topic "new" yet: it gets task 0's "a" partition only (its source discovers "new").
        Map<String, Assignment> result = assign(cluster, Map.of("m1", subscription(List.of("a"), List.of(tp("a", 0))),
            "m2", subscription(List.of("a", "new"), List.of())));
        List<TopicPartition> all = new ArrayList<>(result.get("m1").partitions());
        all.addAll(result.get("m2").partitions());
        assertThat(result.get("m1").partitions()).containsExactly(tp("a", 0));
        assertThat(all).doesNotContain(tp("new", 0));
    }

    private Map<String, Assignment> assign(Cluster cluster, Map<String, Subscription> members) {
        return assignor.assign(cluster, new GroupSubscription(new HashMap<>(members))).groupAssignment();
    }

    private static Set<Integer> tasks(Assignment assignment) {
        Set<Integer> tasks = new TreeSet<>();
        assignment.partitions().forEach(partition -> tasks.add(partition.partition()));
        return tasks;
    }

    private static Subscription subscription(List<String> topics, List<TopicPartition> owned) {
        return new Subscription(topics, null, owned, 1, Optional.empty());
    }

    private static Cluster cluster(Map<String, Integer> topics) {
        List<PartitionInfo> partitions = new ArrayList<>();
        topics.forEach((topic, count) -> {
            for (int p = 0; p < count; p++) {
                partitions.add(new PartitionInfo(topic, p, NODE, new Node[] {NODE}, new Node[] {NODE}));
            }
        });
        return new Cluster("c", List.of(NODE), partitions, Set.of(), Set.of());
    }

    private static TopicPartition tp(String topic, int partition) {
        return new TopicPartition(topic, partition);
    }
}
