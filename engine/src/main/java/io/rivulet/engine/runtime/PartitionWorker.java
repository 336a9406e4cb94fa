package io.rivulet.engine.runtime;

import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.RingBuffer;
import io.rivulet.operators.LongKeyLookahead;
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
 * takes at most {@link #POLL_LIMIT} slots from each input.
 *
 * <p>When the operator is a {@link LongKeyLookahead} (the long-key join), the worker touches the state of
 * records already published behind the current one before processing them: every {@link #LOOKAHEAD_GROUP}
 * records it touches the table lines of the next group's keys and the stored rows of the group after that
 * is about to be processed, so a group's cache misses overlap instead of following one another. It reads
 * only published slots (below the ring's cursor) and never changes them. Not thread-safe; owned by its
 * agent thread.
 */
final class PartitionWorker implements Agent, EventPoller.Handler<Slot> {
    static final int POLL_LIMIT = 1024;
    /**
     * Records per look-ahead group ({@code -Drivulet.lookaheadGroup}, default 8; 0 turns look-ahead off):
     * about half the misses a core keeps in flight, since two groups overlap.
     */
    static final int LOOKAHEAD_GROUP = Integer.getInteger("rivulet.lookaheadGroup", 8);

    private final TaskContext context;
    private final SingleProducerPoller[] inputs;
    private final WatermarkMerge watermarks;
    private final boolean[] blocked;
    private final boolean[] ended;
    private final boolean[] activeThisCycle;
    private final long[] lastActiveNs;
    private final long idleTimeoutNs;
    private final NanoClock clock;
    /** The inputs' rings, read ahead of the pollers by the look-ahead; {@code null} entries if not given. */
    private final RingBuffer<Slot>[] rings;
    /** Per input: the first sequence whose key, and whose rows, are not touched yet. */
    private final long[] keysTouchedTo;
    private final long[] rowsTouchedTo;
    private LongKeyLookahead lookahead;
    /** The rows pass's scratch: per queued record of the group, its row, side and record. */
    private final int[] rowsAhead = new int[Math.max(LOOKAHEAD_GROUP, 0)];
    private final boolean[] rightAhead = new boolean[Math.max(LOOKAHEAD_GROUP, 0)];
    private final Object[] recordsAhead = new Object[Math.max(LOOKAHEAD_GROUP, 0)];
    /** What the touches read, kept so the reads are not elided; never otherwise used. */
    private long touched;
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
     * @param rings the ring each poller reads, in the same order (for the look-ahead), or {@code null}
     * @param carriesWatermark which inputs have a watermark generator upstream
     * @param maxPolicy take the maximum of the inputs' watermarks instead of the minimum
     * @param idleTimeoutNs an input silent for longer stops holding the watermark back; 0 = never
     * @param clock read once per cycle, only when an idle timeout is set
     */
    PartitionWorker(TaskContext context, SingleProducerPoller[] inputs, RingBuffer<Slot>[] rings, boolean[] carriesWatermark,
                    boolean maxPolicy, long idleTimeoutNs, NanoClock clock) {
        this.context = context;
        this.inputs = inputs;
        this.rings = rings;
        this.keysTouchedTo = new long[inputs.length];
        this.rowsTouchedTo = new long[inputs.length];
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
        this.lookahead = LOOKAHEAD_GROUP > 0 && rings != null && head.operator instanceof LongKeyLookahead l ? l : null;
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
                    if (lookahead != null && sequence >= rowsTouchedTo[currentInput]) {
                        lookAhead(sequence, record);
                    }
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
            case Slot.PARTIAL -> {
                activeThisCycle[currentInput] = true;
                Object key = slot.key;
                Object partial = slot.partial;
                slot.key = null;
                slot.partial = null;
                context.ingestNs = slot.ingestNs;
                // The records folded into it, so the stage's input count means what it meant without pre-aggregation.
                recordsTaken += slot.longKey;
                head.onPartial(key, slot.value, partial);
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

    /**
     * Touches the keys of the records published behind {@code sequence} up to two groups ahead, then the
     * rows of the group starting at {@code sequence}, whose keys' lines the previous call touched.
     *
     * @param sequence the slot being processed
     * @param current its record, which {@link #onEvent} may already have cleared from the slot
     */
    private void lookAhead(long sequence, Object current) {
        int input = currentInput;
        RingBuffer<Slot> ring = rings[input];
        long end = ring.getCursor() + 1;
        long keysEnd = Math.min(sequence + 2L * LOOKAHEAD_GROUP, end);
        long rowsEnd = Math.min(sequence + LOOKAHEAD_GROUP, end);
        LongKeyLookahead touch = lookahead;
        long sum = touched;
        for (long s = Math.max(sequence, keysTouchedTo[input]); s < keysEnd; s++) {
            Slot ahead = ring.get(s);
            if (ahead.kind == Slot.RECORD && ahead.key == null) {
                sum += touch.touchKey(ahead.longKey);
            }
        }
        // Rows in two passes: find each record's row in its (cached) table line, then read the rows, a loop short
        // enough that all their misses are in flight at once.
        int n = 0;
        for (long s = sequence; s < rowsEnd; s++) {
            Slot ahead = ring.get(s);
            if (ahead.kind == Slot.RECORD && ahead.key == null) {
                boolean right = ahead.input == Slot.RIGHT;
                rowsAhead[n] = touch.rowToTouch(ahead.longKey, right);
                rightAhead[n] = right;
                // The current slot's record was taken out of it already (unless the slot owns it).
                recordsAhead[n++] = s == sequence ? current : ahead.record;
            }
        }
        for (int i = 0; i < n; i++) {
            sum += touch.touchRow(rowsAhead[i], recordsAhead[i], rightAhead[i]);
            recordsAhead[i] = null;
        }
        touched = sum;
        keysTouchedTo[input] = Math.max(keysEnd, keysTouchedTo[input]);
        rowsTouchedTo[input] = rowsEnd;
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
