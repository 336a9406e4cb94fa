package io.rivulet.engine.runtime;

import com.lmax.disruptor.EventPoller;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;
import java.util.Arrays;
import org.agrona.concurrent.NanoClock;

/**
 * Runs one partition of a keyed stage: polls one ring per upstream task and feeds the keyed
 * operator chain. In a two-input stage the upstream tasks of both inputs are producers alike (one
 * ring each); a record goes to the head's left or right entry by its slot's {@link Slot#input}, and
 * watermarks, barriers and ends are merged over all producers of both inputs.
 *
 * <p>Control signals are merged across inputs: the chain's watermark is the inputs' watermarks
 * combined by the {@link WatermarkMerge} rule (minimum or, by policy, maximum of the inputs that carry
 * one; an ended input, or one silent for longer than the idle timeout, no longer holds it back; when
 * all have ended it is the highest final watermark of any input); a barrier for epoch {@code e} blocks its
 * input until every input that has not ended has delivered its barrier for {@code e} (aligned
 * barriers), then the chain ends the epoch; when every input has ended, the chain ends. Each cycle
 * takes at most {@link #POLL_LIMIT} slots from each input. Not thread-safe; owned by its agent
 * thread.
 */
final class PartitionWorker implements Agent, EventPoller.Handler<Slot> {
    static final int POLL_LIMIT = 1024;

    private final TaskContext context;
    private final EventPoller<Slot>[] inputs;
    private final WatermarkMerge watermarks;
    private final boolean[] blocked;
    private final boolean[] ended;
    private final boolean[] activeThisCycle;
    private final long[] lastActiveNs;
    private final long idleTimeoutNs;
    private final NanoClock clock;
    private KeyedHead<?, ?, ?> head;
    private int blockedCount;
    private int endedCount;
    private long alignedEpoch;
    private int currentInput;
    private int budget;
    private long recordsTaken;
    private boolean finished;
    /** Whether an input ended because the query stops rather than because its input ended. */
    private boolean stopped;

    /**
     * @param context the task's context
     * @param inputs one poller per upstream task
     * @param carriesWatermark which inputs have a watermark generator upstream
     * @param maxPolicy take the maximum of the inputs' watermarks instead of the minimum
     * @param idleTimeoutNs an input silent for longer stops holding the watermark back; 0 = never
     * @param clock read once per cycle, only when an idle timeout is set
     */
    PartitionWorker(TaskContext context, EventPoller<Slot>[] inputs, boolean[] carriesWatermark, boolean maxPolicy,
                    long idleTimeoutNs, NanoClock clock) {
        this.context = context;
        this.inputs = inputs;
        this.watermarks = new WatermarkMerge(maxPolicy, carriesWatermark);
        this.blocked = new boolean[inputs.length];
        this.ended = new boolean[inputs.length];
        this.activeThisCycle = new boolean[inputs.length];
        this.lastActiveNs = new long[inputs.length];
        this.idleTimeoutNs = idleTimeoutNs;
        this.clock = clock;
        Arrays.fill(lastActiveNs, clock.nanoTime());
    }

    void head(KeyedHead<?, ?, ?> head) {
        this.head = head;
    }

    TaskContext context() {
        return context;
    }

    @Override
    public int doWork() throws Exception {
        try {
            return cycle();
        } catch (RuntimeException e) {
            // Once per failure, never per record: names the task and epoch.
            throw RecordFailures.identified(context, e);
        }
    }

    private int cycle() throws Exception {
        if (context.query.isAborted() || finished) {
            throw new AgentTerminationException();
        }
        if (!context.timedHeads.isEmpty()) {
            context.advanceProcessingTime(context.epochClock.time());
        }
        int work = context.stateInboxes.length == 0 ? 0 : context.answerStateReads();
        for (int i = 0; i < inputs.length; i++) {
            if (!blocked[i] && !ended[i]) {
                currentInput = i;
                budget = POLL_LIMIT;
                inputs[i].poll(this);
                work += POLL_LIMIT - budget;
            }
        }
        context.recordsIn.lazySet(recordsTaken);
        if (idleTimeoutNs > 0) {
            checkIdleInputs();
        }
        if (blockedCount > 0 && blockedCount + endedCount == inputs.length) {
            completeAlignment();
            work++;
        }
        if (endedCount == inputs.length) {
            finished = true;
            head.onEnd(!stopped);
            throw new AgentTerminationException();
        }
        context.flushExchanges();
        return work;
    }

    private void checkIdleInputs() {
        long now = clock.nanoTime();
        boolean rose = false;
        for (int i = 0; i < inputs.length; i++) {
            if (activeThisCycle[i]) {
                activeThisCycle[i] = false;
                lastActiveNs[i] = now;
                rose |= watermarks.idle(i, false);
            } else if (!ended[i] && now - lastActiveNs[i] > idleTimeoutNs) {
                rose |= watermarks.idle(i, true);
            }
        }
        if (rose) {
            emitWatermark();
        }
    }

    @Override
    public boolean onEvent(Slot slot, long sequence, boolean endOfBatch) {
        budget--;
        switch (slot.kind) {
            case Slot.RECORD -> {
                activeThisCycle[currentInput] = true;
                Object key = slot.key;
                Object record = slot.record;
                slot.key = null;
                if (!slot.ownsRecord) {
                    slot.record = null;
                }
                context.ingestNs = slot.ingestNs;
                recordsTaken++;
                if (key == null) {
                    // A long-keyed stage: the exchange never writes a null key otherwise.
                    if (slot.input == Slot.LEFT) {
                        head.onLongRecord(slot.longKey, record);
                    } else {
                        head.onLongRightRecord(slot.longKey, record);
                    }
                } else if (slot.input == Slot.LEFT) {
                    head.onRecord(key, record);
                } else {
                    head.onRightRecord(key, record);
                }
                return budget > 0;
            }
            case Slot.WATERMARK -> {
                // Barriers keep flowing from a silent source; only data and watermarks count as activity.
                activeThisCycle[currentInput] = true;
                onInputWatermark(currentInput, slot.value);
                return budget > 0;
            }
            case Slot.BARRIER -> {
                blocked[currentInput] = true;
                blockedCount++;
                alignedEpoch = slot.value;
                return false;
            }
            case Slot.END -> {
                stopped |= slot.value == Slot.END_STOP;
                ended[currentInput] = true;
                endedCount++;
                if (watermarks.onEnded(currentInput)) {
                    emitWatermark();
                }
                return false;
            }
            default -> throw new IllegalStateException("unknown slot kind " + slot.kind);
        }
    }

    private void completeAlignment() {
        for (int i = 0; i < blocked.length; i++) {
            blocked[i] = false;
        }
        blockedCount = 0;
        head.onEpoch(alignedEpoch);
    }

    private void onInputWatermark(int input, long watermark) {
        if (watermarks.onWatermark(input, watermark)) {
            emitWatermark();
        }
    }

    private void emitWatermark() {
        long combined = watermarks.watermarkMs();
        context.watermarkMs = combined;
        head.onWatermark(combined);
    }

    @Override
    public void onClose() {
        context.query.taskEnded(this);
    }

    @Override
    public String roleName() {
        return context.name;
    }
}
