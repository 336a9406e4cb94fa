package io.rivulet.bench.kafka;

import io.rivulet.bench.workload.TradeGenerator;
import io.rivulet.bench.workload.WorkloadSpec;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Where a latency run's committed-output latency goes, per window: {@link System#nanoTime()} stamps of the stages the
 * event that closes a window and the window's results pass through, taken by the threads that do the work, and
 * printed as a per-stage split over the measured windows.
 *
 * <pre>
 *   due        the closing event's scheduled time (start + seq / rate)
 *   sent       the producer thread called send() for it               (producer thread)
 *   acked      the broker acknowledged its batch                      (producer's I/O thread, its callback)
 *   read       every source partition has emitted an event at or past
 *              the closing event time (the watermark can pass the end)  (source task threads, the map function)
 *   fired      the window's last result reached a sink writer          (keyed stage threads, the sink's record function)
 *   staged     the epoch holding the window's last result ended at its
 *              writer (staging file written and renamed; it is forced
 *              later, by the sink's prepareCommit)                    (keyed stage threads, {@link TimedSink})
 *   committed  that epoch's commit returned: transaction committed      (checkpoint coordinator, {@link TimedSink})
 *   seen       the read_committed observer polled the window's last result  (observer thread)
 * </pre>
 *
 * <p>Window {@code k} ends {@code k} s after {@link WorkloadSpec#T0_MS}; its closing event is the first scheduled at
 * event time {@code end + 500 ms}. Stamps are kept for windows {@code 0 .. windows - 1} and epochs
 * {@code 0 .. epochs - 1}; later ones are ignored. Thread-safe: every stamp is an atomic min or max, and none is
 * taken per event except the source's comparison with the next window's closing time.
 */
final class StageTimes {
    private final long rate;
    private final long startNs;
    private final int windows;
    private final AtomicLongArray sent;
    private final AtomicLongArray acked;
    private final AtomicLongArray read;
    private final AtomicLongArray fired;
    private final AtomicLongArray staged;
    private final AtomicLongArray epochOf;
    private final AtomicLongArray observed;
    private final AtomicLongArray commitStart;
    private final AtomicLongArray commitEnd;
    /** Per source partition: the next window whose closing event time it has not reached. Owned by its task. */
    private final int[] sourceNext;
    private final int sources;

    /**
     * @param rate the schedule's events/s
     * @param startNs when event 0 is due
     * @param windows windows to keep stamps of
     * @param epochs epochs to keep stamps of
     * @param sources the input topic's partitions (one source task each)
     */
    StageTimes(long rate, long startNs, int windows, int epochs, int sources) {
        this.rate = rate;
        this.startNs = startNs;
        this.windows = windows;
        this.sources = sources;
        sent = new AtomicLongArray(windows);
        acked = new AtomicLongArray(windows);
        read = new AtomicLongArray(windows * sources);
        fired = new AtomicLongArray(windows);
        staged = new AtomicLongArray(windows);
        epochOf = filled(windows, -1);
        observed = new AtomicLongArray(windows);
        commitStart = new AtomicLongArray(epochs);
        commitEnd = new AtomicLongArray(epochs);
        sourceNext = new int[sources];
    }

    private static AtomicLongArray filled(int length, long value) {
        long[] values = new long[length];
        Arrays.fill(values, value);
        return new AtomicLongArray(values);
    }

    /** @return window {@code k}'s end, epoch ms */
    static long windowEndMs(int k) {
        return WorkloadSpec.T0_MS + k * WorkloadSpec.WINDOW_MS;
    }

    /** @return the index of the window ending at {@code windowEndMs} */
    static int window(long windowEndMs) {
        return (int) ((windowEndMs - WorkloadSpec.T0_MS) / WorkloadSpec.WINDOW_MS);
    }

    /** @return the sequence number of window {@code k}'s closing event at {@code rate} */
    static long closingSeq(int k, long rate) {
        return (k * WorkloadSpec.WINDOW_MS + WorkloadSpec.WATERMARK_LAG_MS) * rate / 1000;
    }

    private long dueNs(int k) {
        return startNs + TradeGenerator.dueNanosOffset(closingSeq(k, rate), rate);
    }

    /** The producer thread sent event {@code seq}; {@code k} is the window it closes. */
    void sent(int k, long nowNs) {
        if (k < windows) {
            sent.set(k, nowNs);
        }
    }

    /** The producer's callback for window {@code k}'s closing event. */
    void acked(int k, long nowNs) {
        if (k < windows) {
            acked.set(k, nowNs);
        }
    }

    /** Source partition {@code p} emits an event of time {@code tsMs}. Owned by that partition's task. */
    void read(int p, long tsMs) {
        int k = sourceNext[p];
        if (k < windows && tsMs >= windowEndMs(k) + WorkloadSpec.WATERMARK_LAG_MS) {
            long now = System.nanoTime();
            while (k < windows && tsMs >= windowEndMs(k) + WorkloadSpec.WATERMARK_LAG_MS) {
                read.set(k * sources + p, now);
                k++;
            }
            sourceNext[p] = k;
        }
    }

    /** A result of window {@code k} reached a sink writer. */
    void fired(int k, long nowNs) {
        if (k >= 0 && k < windows) {
            fired.accumulateAndGet(k, nowNs, Math::max);
        }
    }

    /** A writer ended epoch {@code epochId}, which held results of windows {@code fromK .. toK}. */
    void staged(long epochId, int fromK, int toK, long nowNs) {
        for (int k = Math.max(fromK, 0); k <= toK && k < windows; k++) {
            staged.accumulateAndGet(k, nowNs, Math::max);
            epochOf.accumulateAndGet(k, epochId, Math::max);
        }
    }

    /** The sink's commit of epoch {@code epochId} ran from {@code startNs} to {@code endNs}. */
    void committed(long epochId, long startNs, long endNs) {
        if (epochId < commitStart.length()) {
            commitStart.set((int) epochId, startNs);
            commitEnd.set((int) epochId, endNs);
        }
    }

    /** The observer polled a result of window {@code k}. */
    void observed(int k, long nowNs) {
        if (k >= 0 && k < windows) {
            observed.accumulateAndGet(k, nowNs, Math::max);
        }
    }

    /**
     * Prints, over windows {@code fromK .. toK - 1}, the median and the largest of each stage's share, ms.
     *
     * @param fromK first measured window
     * @param toK end of the measured windows (exclusive)
     */
    void print(int fromK, int toK) {
        String[] names = {"due -> sent (producer lag)", "sent -> read by every source", "read -> fired (window result at writer)",
            "fired -> staged (epoch end at writer)", "staged -> commit start (force, checkpoint)",
            "commit start -> end (transaction)", "committed -> seen (observer)", "due -> seen (total)",
            "  of which sent -> acked (broker append)"};
        int n = Math.max(0, Math.min(toK, windows) - fromK);
        double[][] values = new double[names.length][n];
        int complete = 0;
        for (int k = fromK; k < fromK + n; k++) {
            long due = dueNs(k);
            long readAll = 0;
            for (int p = 0; p < sources; p++) {
                readAll = Math.max(readAll, read.get(k * sources + p));
            }
            long epoch = epochOf.get(k);
            if (epoch < 0 || epoch >= commitStart.length() || commitEnd.get((int) epoch) == 0 || observed.get(k) == 0
                || readAll == 0) {
                continue;
            }
            long start = commitStart.get((int) epoch);
            long end = commitEnd.get((int) epoch);
            int i = complete++;
            values[0][i] = ms(sent.get(k) - due);
            values[1][i] = ms(readAll - sent.get(k));
            values[2][i] = ms(fired.get(k) - readAll);
            values[3][i] = ms(staged.get(k) - fired.get(k));
            values[4][i] = ms(start - staged.get(k));
            values[5][i] = ms(end - start);
            values[6][i] = ms(observed.get(k) - end);
            values[7][i] = ms(observed.get(k) - due);
            values[8][i] = ms(acked.get(k) - sent.get(k));
        }
        System.out.printf("  stages of the %d measured windows with every stamp (ms, median / max over windows):%n", complete);
        for (int s = 0; s < names.length; s++) {
            double[] v = Arrays.copyOf(values[s], complete);
            Arrays.sort(v);
            if (complete > 0) {
                System.out.printf("    %-48s %8.1f / %8.1f%n", names[s], v[complete / 2], v[complete - 1]);
            }
        }
    }

    private static double ms(long ns) {
        return ns / 1e6;
    }
}
