package io.rivulet.engine.runtime;

import java.util.Arrays;

/**
 * The watermark of a stage with several inputs: the one rule every keyed stage uses, whether its inputs
 * are rings ({@link PartitionWorker}), in-thread chains ({@link LocalExchange}) or micro-batch watermark
 * trackers ({@link MicroBatchDriver}).
 *
 * <p>Each input has its own watermark (the highest it sent). Only <em>participating</em> inputs count:
 * those with a watermark generator upstream, and any input from the moment it sends a watermark. Of
 * those, the <em>active</em> ones (not ended, not idle) combine by minimum (default: the slowest holds
 * the watermark back) or maximum (Spark's {@code multipleWatermarkPolicy=max}). An ended or idle input
 * no longer holds it back; when no participating input is active (all ended, or all idle), the
 * watermark may rise to the highest any of them sent. With no participating input there is no
 * watermark. The combined watermark never decreases: a change that would lower it (an idle input
 * resuming behind it, say) leaves it where it is.
 *
 * <p>Every method that can move the watermark returns whether it rose; {@link #watermarkMs()} is then
 * the new value. No allocation after construction (except {@link #addInput} while planning). Not
 * thread-safe; owned by the thread that runs the stage.
 */
final class WatermarkMerge {
    private final boolean maxPolicy;
    private int inputs;
    private long[] inputMs;
    private boolean[] participates;
    private boolean[] ended;
    private boolean[] idle;
    private long watermarkMs = Long.MIN_VALUE;

    /**
     * A merge without inputs yet; add them with {@link #addInput}.
     *
     * @param maxPolicy combine active inputs by maximum instead of minimum
     */
    WatermarkMerge(boolean maxPolicy) {
        this(maxPolicy, new boolean[0]);
    }

    /**
     * @param maxPolicy combine active inputs by maximum instead of minimum
     * @param participates per input, whether its watermark counts before it sends one (a watermark
     *     generator upstream); the array is copied
     */
    WatermarkMerge(boolean maxPolicy, boolean[] participates) {
        this.maxPolicy = maxPolicy;
        this.inputs = participates.length;
        this.participates = participates.clone();
        this.inputMs = new long[inputs];
        this.ended = new boolean[inputs];
        this.idle = new boolean[inputs];
        Arrays.fill(inputMs, Long.MIN_VALUE);
    }

    /**
     * Adds an input (while planning, before any signal).
     *
     * @param participating whether its watermark counts before it sends one
     * @return the new input's index
     */
    int addInput(boolean participating) {
        int index = inputs++;
        inputMs = Arrays.copyOf(inputMs, inputs);
        inputMs[index] = Long.MIN_VALUE;
        participates = Arrays.copyOf(participates, inputs);
        participates[index] = participating;
        ended = Arrays.copyOf(ended, inputs);
        idle = Arrays.copyOf(idle, inputs);
        return index;
    }

    /**
     * Sets whether an input's watermark counts before it sends one (while planning).
     *
     * @param input the input
     * @param participating the setting
     */
    void participates(int input, boolean participating) {
        participates[input] = participating;
    }

    /**
     * @return the number of inputs
     */
    int inputs() {
        return inputs;
    }

    /**
     * @return the combined watermark, epoch ms; {@link Long#MIN_VALUE} until one rose
     */
    long watermarkMs() {
        return watermarkMs;
    }

    /**
     * An input sent a watermark; it participates from now on. A watermark below the input's previous
     * one is ignored.
     *
     * @param input the input
     * @param inputWatermarkMs its watermark, epoch ms
     * @return whether the combined watermark rose
     */
    boolean onWatermark(int input, long inputWatermarkMs) {
        boolean joined = !participates[input];
        participates[input] = true;
        if (inputWatermarkMs > inputMs[input]) {
            inputMs[input] = inputWatermarkMs;
            return recompute();
        }
        return joined && recompute();
    }

    /**
     * An input ended: it no longer holds the watermark back.
     *
     * @param input the input
     * @return whether the combined watermark rose
     */
    boolean onEnded(int input) {
        if (ended[input]) {
            return false;
        }
        ended[input] = true;
        return recompute();
    }

    /**
     * An input became idle (it no longer holds the watermark back) or active again.
     *
     * @param input the input
     * @param isIdle the new state
     * @return whether the combined watermark rose
     */
    boolean idle(int input, boolean isIdle) {
        if (idle[input] == isIdle) {
            return false;
        }
        idle[input] = isIdle;
        return recompute();
    }

    /**
     * @param input the input
     * @return whether it is marked idle
     */
    boolean isIdle(int input) {
        return idle[input];
    }

    /**
     * @param input the input
     * @return whether it ended
     */
    boolean isEnded(int input) {
        return ended[input];
    }

    /**
     * @param input the input
     * @return the highest watermark it sent, or {@link Long#MIN_VALUE}
     */
    long inputWatermarkMs(int input) {
        return inputMs[input];
    }

    private boolean recompute() {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        long highest = Long.MIN_VALUE;
        boolean anyActive = false;
        boolean anyParticipant = false;
        for (int i = 0; i < inputs; i++) {
            if (!participates[i]) {
                continue;
            }
            anyParticipant = true;
            long wm = inputMs[i];
            highest = Math.max(highest, wm);
            if (!ended[i] && !idle[i]) {
                anyActive = true;
                min = Math.min(min, wm);
                max = Math.max(max, wm);
            }
        }
        if (!anyParticipant) {
            return false;
        }
        long combined = anyActive ? (maxPolicy ? max : min) : highest;
        if (combined > watermarkMs) {
            watermarkMs = combined;
            return true;
        }
        return false;
    }
}
