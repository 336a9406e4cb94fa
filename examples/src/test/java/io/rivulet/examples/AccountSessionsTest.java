package io.rivulet.examples;

import io.rivulet.engine.Rivulet;
import io.rivulet.engine.Trigger;
import io.rivulet.engine.sink.CollectingSink;
import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.source.Sources;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AccountSessionsTest {
    private static final long T0 = 1_700_000_000_000L;

    @Test
    void shouldEmitEachSessionOnceWhenItsAccountGoesIdle() throws Exception {
        List<AccountSessions.Activity> activity = AccountSessions.generate(12, T0, 10 * 60_000);
        CollectingSink<AccountSessions.Ended> sink = Sinks.collecting();
        try (Rivulet rivulet = Rivulet.create()) {
            AccountSessions.sessions(rivulet.readStream(Sources.fromIterable(activity)))
                .writeStream(sink).trigger(Trigger.availableNow()).start().awaitTermination();
        }
        // The same sessions, computed directly: split each account's activity where it was idle longer
        // than the gap; a session ends once the final watermark is past its last activity + the gap.
        long gap = AccountSessions.IDLE_GAP.toMillis();
        long finalWatermark = activity.get(activity.size() - 1).tsMs() - AccountSessions.WATERMARK_DELAY.toMillis();
        Map<String, List<AccountSessions.Activity>> byAccount = new LinkedHashMap<>();
        activity.forEach(a -> byAccount.computeIfAbsent(a.account(), x -> new ArrayList<>()).add(a));
        List<AccountSessions.Ended> expected = new ArrayList<>();
        byAccount.forEach((account, actions) -> {
            long start = actions.get(0).tsMs();
            long last = start;
            long count = 0;
            for (AccountSessions.Activity a : actions) {
                if (a.tsMs() - last > gap) {
                    expected.add(new AccountSessions.Ended(account, start, last, count));
                    start = a.tsMs();
                    count = 0;
                }
                last = a.tsMs();
                count++;
            }
            if (last + gap < finalWatermark) {
                expected.add(new AccountSessions.Ended(account, start, last, count));
            }
        });
        Comparator<AccountSessions.Ended> order = Comparator.comparing(AccountSessions.Ended::account)
            .thenComparingLong(AccountSessions.Ended::startMs);
        assertThat(expected).hasSizeGreaterThan(50);
        assertThat(sink.received().stream().sorted(order).toList()).isEqualTo(expected.stream().sorted(order).toList());
    }
}
