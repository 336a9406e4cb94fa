package io.rivulet.operators.window;

import com.sun.management.ThreadMXBean;
import io.rivulet.operators.KeyedOperator;
import io.rivulet.operators.OutputMode;
import io.rivulet.operators.function.AggregateFunction;
import io.rivulet.operators.function.Aggregates;
import io.rivulet.operators.keyed.EmitPolicy;
import io.rivulet.operators.keyed.KeyedAggregateOperator;
import io.rivulet.operators.state.CheckpointedOperator;
import io.rivulet.operators.state.KeyGroupBuffers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What restoring 1 M entries costs, single-threaded: {@code restoreKeyGroup} of every key group into
 * a fresh operator, then the first watermark (which puts restored entries in their arrival order),
 * for a tumbling count ({@code long[]}) over 100 k keys x 10 windows and over 1 M {@code Long} keys
 * in one window (the engine's recovery check), a count+sum ({@code Object[]}), 1 M sessions and a
 * running count over 1 M keys; the GC time spent during the restores is printed beside it.
 *
 * <p>Off by default; run with
 * {@code mvn -B -o -q -pl operators test -Dtest=RestoreCostCheck -Drivulet.perf=true "-Drivulet.test.jvm=-Xmx6g -XX:+UseG1GC"}
 * ({@code -Drivulet.perf.rounds=N} restores per case, default 5).
 */
@EnabledIfSystemProperty(named = "rivulet.perf", matches = "true")
class RestoreCostCheck {
    private static final int ROUNDS = Integer.getInteger("rivulet.perf.rounds", 5);
    private static final String ONLY = System.getProperty("rivulet.perf.only", "");

    record Event(long ts, long value) {
    }

    @Test
    void shouldReportTheRestoreCostOfAMillionEntries() {
        measure("tumbling long[] 100k x 10", () -> tumbling(Aggregates.count(), 100_000, 10, true),
            () -> tumbling(Aggregates.count(), 100_000, 10, false));
        measure("tumbling long[] 1M Long x 1", () -> tumbling(Aggregates.count(), 1_000_000, 1, true),
            () -> tumbling(Aggregates.count(), 1_000_000, 1, false));
        AggregateFunction<Event, Object[], List<Object>> countSum = Aggregates.of(Aggregates.count(),
            Aggregates.sumLong(Event::value));
        measure("tumbling Object[] 100k x 10", () -> tumbling(countSum, 100_000, 10, true),
            () -> tumbling(countSum, 100_000, 10, false));
        measure("sessions long[] 100k x 10", () -> sessions(true), () -> sessions(false));
        measure("running long[] 1M Long", () -> running(true), () -> running(false));
    }

    private <A> CheckpointedOperator tumbling(AggregateFunction<Event, A, ?> fn, int keys, int windows, boolean fill) {
        var op = new WindowAggregateOperator<Object, Event, A, Object>(WindowAssigner.tumbling(10), Event::ts,
            castResult(fn), OutputMode.COMPLETE);
        for (int w = 0; fill && w < windows; w++) {
            Event event = new Event(w * 10L, 1);
            for (int k = 0; k < keys; k++) {
                op.process(windows == 1 ? (Object) (long) k : (Object) k, event, r -> { });
            }
        }
        return op;
    }

    private CheckpointedOperator sessions(boolean fill) {
        var op = new SessionWindowOperator<Integer, Event, long[], Long>(5, Event::ts, Aggregates.count(),
            OutputMode.APPEND, null);
        for (int k = 0; fill && k < 100_000; k++) {
            for (int w = 0; w < 10; w++) {
                op.process(k, new Event(w * 10L, 1), r -> { });
            }
        }
        return op;
    }

    private CheckpointedOperator running(boolean fill) {
        var op = new KeyedAggregateOperator<Long, Event, long[], Long>(Aggregates.count(), EmitPolicy.ON_EPOCH);
        Event event = new Event(0, 1);
        for (long k = 0; fill && k < 1_000_000; k++) {
            op.process(k, event, r -> { });
        }
        return op;
    }

    @SuppressWarnings("unchecked")
    private static <A> AggregateFunction<Event, A, Object> castResult(AggregateFunction<Event, A, ?> fn) {
        return (AggregateFunction<Event, A, Object>) fn;
    }

    @SuppressWarnings("unchecked")
    private void measure(String name, Supplier<CheckpointedOperator> filled, Supplier<CheckpointedOperator> empty) {
        if (!ONLY.isEmpty() && !name.startsWith(ONLY)) {
            return;
        }
        KeyGroupBuffers buffers = KeyGroupBuffers.all(128);
        CheckpointedOperator op = filled.get();
        op.snapshotState(0).writeTo(buffers);
        op = null;
        long best = Long.MAX_VALUE;
        long worst = 0;
        long gcMs = 0;
        long bestCpu = Long.MAX_VALUE;
        long allocated = 0;
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int round = 0; round < ROUNDS; round++) {
            System.gc();
            long gc0 = gcMillis();
            long cpu0 = threads.getCurrentThreadCpuTime();
            long bytes0 = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
            long t0 = System.nanoTime();
            CheckpointedOperator fresh = empty.get();
            buffers.restoreInto(fresh, buffers.range());
            ((KeyedOperator<Object, Object, Object>) fresh).onWatermark(-1, r -> { });
            long ns = System.nanoTime() - t0;
            bestCpu = Math.min(bestCpu, threads.getCurrentThreadCpuTime() - cpu0);
            allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - bytes0;
            gcMs += gcMillis() - gc0;
            best = Math.min(best, ns);
            worst = Math.max(worst, ns);
            assertThat(fresh).isNotNull();
        }
        System.out.printf("%-30s restore %5.0f-%5.0f ms (restoring thread's CPU %5.0f ms), GC %4d ms per restore,"
            + " %4.0f MB allocated%n", name, best / 1e6, worst / 1e6, bestCpu / 1e6, gcMs / ROUNDS, allocated / 1e6);
    }

    private static long gcMillis() {
        long ms = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ms += gc.getCollectionTime();
        }
        return ms;
    }
}
