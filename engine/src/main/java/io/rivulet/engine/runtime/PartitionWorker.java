package io.rivulet.engine.runtime;

import com.lmax.disruptor.EventPoller;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;

/**
 * Runs one partition of a keyed stage: polls one ring per upstream task and feeds the keyed
 * operator chain.
 *
 * <p>Control signals are merged across inputs: the chain's watermark is the minimum of the inputs'
 * watermarks (an ended input no longer holds it back; when all have ended it is the highest final
 * watermark of any input); a barrier for epoch {@code e} blocks its
 * input until every input that has not ended has delivered its barrier for {@code e} (aligned
 * barriers), then the chain ends the epoch; when every input has ended, the chain ends. Each cycle
 * takes at most {@link #POLL_LIMIT} slots from each input. Not thread-safe; owned by its agent
 * thread.
 */
final class PartitionWorker implements Agent, EventPoller.Handler<Slot> {
    static final int POLL_LIMIT = 1024;

    private final TaskContext context;
    private final EventPoller<Slot>[] inputs;
    private final long[] inputWatermarkMs;
    private final boolean[] blocked;
    private final boolean[] ended;
    private KeyedHead<?, ?, ?> head;
    private int blockedCount;
    private int endedCount;
    private long alignedEpoch;
    private long watermarkMs = Long.MIN_VALUE;
    private int currentInput;
    private int budget;
    private long recordsTaken;
    private boolean finished;

    PartitionWorker(TaskContext context, EventPoller<Slot>[] inputs) {
        this.context = context;
        this.inputs = inputs;
        this.inputWatermarkMs = new long[inputs.length];
        this.blocked = new boolean[inputs.length];
        this.ended = new boolean[inputs.length];
        java.util.Arrays.fill(inputWatermarkMs, Long.MIN_VALUE);
    }

    void head(KeyedHead<?, ?, ?> head) {
        this.head = head;
    }

    TaskContext context() {
        return context;
    }

    @Override
    public int doWork() throws Exception {
        if (context.query.isAborted() || finished) {
            throw new AgentTerminationException();
        }
        int work = 0;
        for (int i = 0; i < inputs.length; i++) {
            if (!blocked[i] && !ended[i]) {
                currentInput = i;
                budget = POLL_LIMIT;
                inputs[i].poll(this);
                work += POLL_LIMIT - budget;
            }
        }
        context.recordsIn.lazySet(recordsTaken);
        if (blockedCount > 0 && blockedCount + endedCount == inputs.length) {
            completeAlignment();
            work++;
        }
        if (endedCount == inputs.length) {
            finished = true;
            head.onEnd();
            throw new AgentTerminationException();
        }
        return work;
    }

    @Override
    public boolean onEvent(Slot slot, long sequence, boolean endOfBatch) {
        budget--;
        switch (slot.kind) {
            case Slot.RECORD -> {
                Object key = slot.key;
                Object record = slot.record;
                slot.key = null;
                slot.record = null;
                context.ingestNs = slot.ingestNs;
                recordsTaken++;
                head.onRecord(key, record);
                return budget > 0;
            }
            case Slot.WATERMARK -> {
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
                ended[currentInput] = true;
                endedCount++;
                advanceWatermark();
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
        if (watermark > inputWatermarkMs[input]) {
            inputWatermarkMs[input] = watermark;
            advanceWatermark();
        }
    }

    private void advanceWatermark() {
        long min = Long.MAX_VALUE;
        long maxFinal = Long.MIN_VALUE;
        boolean anyOpen = false;
        for (int i = 0; i < inputs.length; i++) {
            if (ended[i]) {
                maxFinal = Math.max(maxFinal, inputWatermarkMs[i]);
            } else {
                anyOpen = true;
                min = Math.min(min, inputWatermarkMs[i]);
            }
        }
        // Once every input has ended no record can follow, so the watermark may rise to the highest
        // one any input promised; until then an ended input no longer holds it back.
        long combined = anyOpen ? min : maxFinal;
        if (combined > watermarkMs) {
            watermarkMs = combined;
            head.onWatermark(combined);
        }
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
