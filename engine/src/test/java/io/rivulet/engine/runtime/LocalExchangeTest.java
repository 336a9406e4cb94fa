package io.rivulet.engine.runtime;

import io.rivulet.operators.state.KeyGroups;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LocalExchangeTest {
    private final RecordingLink<String> out = new RecordingLink<>();
    private final TaskContext stage = new TaskContext(null, "rivulet-test-keyed1-0", new NoOpIdleStrategy());

    private LocalExchange exchange(boolean maxPolicy) {
        KeyedHead<?, ?, ?>[] heads = {RecordingLink.passThrough(out)};
        return new LocalExchange(heads, new TaskContext[] {stage}, KeyGroups.partitionTable(128, 1), maxPolicy);
    }

    private static TaskContext upstream(String name, boolean producesWatermarks) {
        TaskContext context = new TaskContext(null, name, new NoOpIdleStrategy());
        context.producesWatermarks = producesWatermarks;
        return context;
    }

    @Test
    void shouldHoldWatermarkAtSlowestInputUnderMinPolicy() {
        LocalExchange exchange = exchange(false);
        Link<String> a = exchange.input(upstream("a", true), s -> s, "keyBy", Slot.LEFT);
        Link<String> b = exchange.input(upstream("b", true), s -> s, "keyBy", Slot.LEFT);
        exchange.inputsPlanned();
        a.onWatermark(100);
        assertThat(out.take()).isEmpty();
        b.onWatermark(40);
        assertThat(out.take()).containsExactly("wm:40");
        b.onWatermark(300);
        assertThat(out.take()).containsExactly("wm:100");
        assertThat(stage.watermarkMs).isEqualTo(100);
    }

    @Test
    void shouldFollowFastestInputUnderMaxPolicy() {
        LocalExchange exchange = exchange(true);
        Link<String> a = exchange.input(upstream("a", true), s -> s, "keyBy", Slot.LEFT);
        Link<String> b = exchange.input(upstream("b", true), s -> s, "keyBy", Slot.LEFT);
        exchange.inputsPlanned();
        a.onWatermark(100);
        assertThat(out.take()).containsExactly("wm:100");
        b.onWatermark(40);
        assertThat(out.take()).isEmpty();
        b.onWatermark(300);
        assertThat(out.take()).containsExactly("wm:300");
    }

    @Test
    void shouldReleaseWatermarkHoldAndBarrierWaitOfEndedInput() {
        LocalExchange exchange = exchange(false);
        Link<String> a = exchange.input(upstream("a", true), s -> s, "keyBy", Slot.LEFT);
        Link<String> b = exchange.input(upstream("b", true), s -> s, "keyBy", Slot.LEFT);
        exchange.inputsPlanned();
        a.onWatermark(500);
        b.onWatermark(20);
        b.onEpoch(0);
        b.onEnd(true);
        assertThat(out.take()).containsExactly("wm:20", "wm:500");
        a.emit("x");
        a.onEpoch(0);
        assertThat(out.take()).containsExactly("r:x", "epoch:0");
        a.onEpoch(1);
        assertThat(out.take()).containsExactly("epoch:1");
        a.onEnd(true);
        assertThat(out.take()).containsExactly("end");
    }

    @Test
    void shouldLetEndedInputsWatermarkRiseToHighestWhenOtherEndedFirst() {
        LocalExchange exchange = exchange(false);
        Link<String> a = exchange.input(upstream("a", true), s -> s, "keyBy", Slot.LEFT);
        Link<String> b = exchange.input(upstream("b", true), s -> s, "keyBy", Slot.LEFT);
        exchange.inputsPlanned();
        a.onWatermark(500);
        b.onWatermark(20);
        assertThat(out.take()).containsExactly("wm:20");
        b.onEnd(true);
        assertThat(out.take()).containsExactly("wm:500");
        a.onEnd(true);
        assertThat(out.take()).containsExactly("end");
    }

    @Test
    void shouldEndEpochOnlyOnceEveryInputSentItsBarrier() {
        LocalExchange exchange = exchange(false);
        Link<String> a = exchange.input(upstream("a", false), s -> s, "keyBy", Slot.LEFT);
        Link<String> b = exchange.input(upstream("b", false), s -> s, "keyBy", Slot.LEFT);
        exchange.inputsPlanned();
        a.onEpoch(3);
        assertThat(out.take()).isEmpty();
        b.onEpoch(3);
        assertThat(out.take()).containsExactly("epoch:3");
    }
}
