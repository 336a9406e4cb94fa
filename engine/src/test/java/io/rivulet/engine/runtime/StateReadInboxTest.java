package io.rivulet.engine.runtime;

import io.rivulet.engine.QueryableStateException;
import io.rivulet.operators.KeyValue;
import io.rivulet.operators.KeyedOperator;
import io.rivulet.operators.function.Aggregates;
import io.rivulet.operators.keyed.EmitPolicy;
import io.rivulet.operators.keyed.KeyedAggregateOperator;
import org.agrona.concurrent.NanoClock;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Queryable-state reads answered by the partition worker's duty cycle, driven by hand on the test
 * thread: a read is answered only by the owner, at the start of a cycle (a record boundary).
 */
class StateReadInboxTest {
    private final QueryRuntime query = Fixtures.unstartedQuery();
    private final RecordingLink<Object> out = new RecordingLink<>();
    private final NanoClock clock = () -> 0;
    private final KeyedAggregateOperator<String, String, long[], Long> counts =
        new KeyedAggregateOperator<>(Aggregates.count(), EmitPolicy.ON_EPOCH);
    private final StateReadInbox inbox = new StateReadInbox(counts, "counts", 0);
    private final Fixtures.Input input = new Fixtures.Input();
    private final PartitionWorker worker = worker();

    @SuppressWarnings("unchecked")
    private PartitionWorker worker() {
        TaskContext context = Fixtures.context(query, "keyed1-0");
        context.addStateInbox(inbox);
        PartitionWorker worker = new PartitionWorker(context, new SingleProducerPoller[] {input.poller}, null, new boolean[1], false, 0,
            clock);
        @SuppressWarnings({"rawtypes"})
        KeyedHead head = KeyedHead.create((KeyedOperator) counts, out, List.of(), context, "count", null);
        worker.head(head);
        return worker;
    }

    @Test
    void shouldAnswerAReadOnlyOnTheOwnersCycleAsOfTheRecordsItProcessedBefore() throws Exception {
        input.record("a", "x").record("a", "y").record("b", "z");
        CompletableFuture<Object> before = inbox.get("a");
        assertThat(before).isNotDone();
        worker.doWork(); // answers first, then takes the three records
        assertThat(before.get()).isNull();
        CompletableFuture<Object> after = inbox.get("a");
        assertThat(after).isNotDone();
        worker.doWork();
        assertThat(after.get()).isEqualTo(2L);
    }

    @Test
    void shouldScanOnlyTheKeysThePredicateAcceptsAndHandBackCopies() throws Exception {
        input.record("a", "x").record("b", "y").record("c", "z").record("c", "w");
        worker.doWork();
        CompletableFuture<List<KeyValue<Object, Object>>> scan = inbox.scan(key -> !key.equals("a"));
        worker.doWork();
        assertThat(scan.get()).containsExactlyInAnyOrder(new KeyValue<>("b", 1L), new KeyValue<>("c", 2L));
        input.record("c", "v");
        worker.doWork();
        assertThat(scan.get()).contains(new KeyValue<>("c", 2L)); // the answer does not follow the state
    }

    @Test
    void shouldFailAReadAtOnceWhenTooManyArePendingWithoutTouchingTheDataPath() throws Exception {
        for (int i = 0; i < StateReadInbox.CAPACITY; i++) {
            inbox.get("a");
        }
        CompletableFuture<Object> rejected = inbox.get("a");
        assertThatThrownBy(rejected::get).isInstanceOf(ExecutionException.class)
            .hasCauseInstanceOf(QueryableStateException.class)
            .hasMessageContaining("reads are already pending on partition 0");
        input.record("a", "x");
        assertThat(worker.doWork()).isEqualTo(StateReadInbox.READS_PER_CYCLE + 1); // bounded reads, then the record
    }

    @Test
    void shouldFailPendingAndLaterReadsOnceClosed() {
        CompletableFuture<Object> pending = inbox.get("a");
        inbox.close("query 'q' has ended");
        assertThatThrownBy(pending::get).hasCauseInstanceOf(QueryableStateException.class)
            .hasMessageContaining("cannot read state of 'counts': query 'q' has ended");
        assertThat(inbox.get("b")).isCompletedExceptionally();
        assertThat(inbox.answer()).isZero();
    }

    @Test
    void shouldFailTheReaderNotTheQueryWhenTheReadThrows() throws Exception {
        input.record("a", "x");
        worker.doWork();
        CompletableFuture<List<KeyValue<Object, Object>>> scan = inbox.scan(key -> {
            throw new IllegalStateException("bad predicate");
        });
        worker.doWork();
        assertThatThrownBy(scan::get).hasCauseInstanceOf(QueryableStateException.class)
            .hasMessageContaining("bad predicate");
        CompletableFuture<Object> next = inbox.get("a");
        worker.doWork();
        assertThat(next.get()).isEqualTo(1L);
    }
}
