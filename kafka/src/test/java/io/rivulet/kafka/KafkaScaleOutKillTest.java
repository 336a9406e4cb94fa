package io.rivulet.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.rivulet.kafka.KafkaScaleOutTest.assertRunningCountsExactlyOnce;
import static io.rivulet.kafka.KafkaScaleOutTest.awaitOutput;
import static io.rivulet.kafka.KafkaScaleOutTest.awaitTrue;
import static io.rivulet.kafka.KafkaScaleOutTest.produce;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances of a scale-out query ({@link KafkaScaleOutQueryMain}, a running count per Kafka key written
 * exactly-once) in two child JVMs share a 4-partition topic through the consumer group. Once both run their
 * two tasks and output is committed, one is killed with SIGKILL at a random moment while input keeps
 * arriving: its session expires, its tasks move to the survivor, which restores their keyed state and
 * source offsets from the shared checkpoint root and fences the dead instance's producers. A
 * {@code read_committed} consumer then sees, for every key, the running counts {@code 1..n} exactly once.
 * The broker is the shared {@link EmbeddedKafkaBroker} in this JVM.
 *
 * <p>Long runs with another seed: {@code mvn -B -pl kafka -am verify -Dtest=KafkaScaleOutKillTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Drivulet.kills.seed=42}.
 */
class KafkaScaleOutKillTest {
    private static final EmbeddedKafkaBroker BROKER = EmbeddedKafkaBroker.shared();
    private static final String NAME = "killed-counts";

    @TempDir
    Path dir;

    @Test
    void shouldMoveAKilledInstancesTasksAndStateToTheSurvivorWithExactlyOnceOutput() throws Exception {
        long seed = Long.getLong("rivulet.kills.seed", System.nanoTime());
        SplittableRandom random = new SplittableRandom(seed);
        BROKER.createTopic("sok-in", 4);
        BROKER.createTopic("sok-out", 2);
        KafkaExactlyOnceKillTest.warmUpTransactions();
        Path root = dir.resolve("root");
        Map<String, Integer> sent = new TreeMap<>();
        produce("sok-in", 0, 1_000, sent);
        Process victim = startChild(root, "victim");
        Process survivor = startChild(root, "survivor");
        try {
            awaitTrue("two members, two tasks each", () -> assignment().equals(List.of(2, 2)));
            awaitOutput("sok-out", 200);
            Thread producer = new Thread(() -> produce("sok-in", 1_000, 3_000, sent), "sok-producer");
            producer.start();
            long delayMs = random.nextInt(300);
            Thread.sleep(delayMs);
            victim.destroyForcibly();
            assertThat(victim.waitFor(30, TimeUnit.SECONDS)).isTrue();
            producer.join();
            awaitTrue("the survivor alone, with the four tasks", () -> assignment().equals(List.of(4)));
            awaitOutput("sok-out", 3_000);
            System.out.println("KafkaScaleOutKillTest seed " + seed + ": SIGKILL " + delayMs + " ms into the second batch");
        } finally {
            victim.destroyForcibly();
            survivor.getOutputStream().close();
            if (!survivor.waitFor(60, TimeUnit.SECONDS)) {
                survivor.destroyForcibly();
            }
        }
        assertThat(survivor.exitValue()).as("the survivor leaves the group and exits cleanly").isZero();
        assertRunningCountsExactlyOnce("sok-out", sent);
    }

    /** @return the number of tasks each member of the group holds, ascending; members without any are left out */
    private static List<Integer> assignment() {
        try (Admin admin = BROKER.admin()) {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of("rivulet-" + NAME)).all()
                .get(30, TimeUnit.SECONDS).get("rivulet-" + NAME);
            List<Integer> tasks = new ArrayList<>();
            for (MemberDescription member : group.members()) {
                int count = member.assignment().topicPartitions().size();
                if (count > 0) {
                    tasks.add(count);
                }
            }
            tasks.sort(null);
            return tasks;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return List.of();
            }
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts an instance; its log goes to {@code target/scale-out-<role>.log}. */
    private static Process startChild(Path root, String role) throws IOException {
        // A pause of 2 ms every 20 records per task (last argument): the kill lands while the tasks work.
        List<String> command = ChildJvm.command(KafkaScaleOutQueryMain.class, NAME, BROKER.bootstrapServers(), "sok-in",
            "sok-out", root.toString(), "2000");
        return new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(Path.of("target", "scale-out-" + role + ".log").toFile()).start();
    }
}
