package io.rivulet.engine.runtime;

import org.agrona.concurrent.Agent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CoLocatedAgentsTest {
    private final List<String> ran = new ArrayList<>();
    private CoLocatedAgents thread;

    @Test
    void shouldRunEveryTaskInOrderEachDutyCycle() throws Exception {
        thread = new CoLocatedAgents(new Agent[] {task("source", false), task("a", false), task("b", false)}, "t");

        thread.doWork();

        assertThat(ran).containsExactly("source", "a", "b");
    }

    @Test
    void shouldHelpOnlyTheTasksAfterTheWaitingOneSoNoTaskOnTheStackRunsAgain() throws Exception {
        // "a" waits (a full ring) in the middle of its cycle: it may run "b" (downstream), never "source"
        // (upstream, which could only fill a's input further) nor itself.
        thread = new CoLocatedAgents(new Agent[] {task("source", false), task("a", true), task("b", true)}, "t");

        thread.doWork();

        assertThat(ran).containsExactly("source", "a", "b", "b");
    }

    @Test
    void shouldLetTheFirstTaskHelpEveryOther() throws Exception {
        thread = new CoLocatedAgents(new Agent[] {task("source", true), task("a", false), task("b", false)}, "t");

        thread.doWork();

        assertThat(ran).containsExactly("source", "a", "b", "a", "b");
    }

    /** A task that records its runs and, if {@code helps}, asks the thread for help once per run. */
    private Agent task(String name, boolean helps) {
        return new Agent() {
            @Override
            public int doWork() {
                ran.add(name);
                return helps ? thread.helpOthers() : 1;
            }

            @Override
            public String roleName() {
                return name;
            }
        };
    }
}
