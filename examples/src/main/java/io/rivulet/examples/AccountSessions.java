package io.rivulet.examples;

import io.rivulet.engine.Stream;
import io.rivulet.operators.OutputMode;
import io.rivulet.operators.groupstate.GroupState;
import io.rivulet.operators.groupstate.GroupStateTimeout;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * A per-account session tracker with Spark's {@code flatMapGroupsWithState} and an event-time
 * timeout: each account's activity opens or extends a session; when an account has been idle for
 * {@link #IDLE_GAP} of event time (the watermark passed its last activity + the gap) the session is
 * emitted, once, and the account's state is removed. Append mode: only ended sessions come out.
 *
 * <p>{@link AccountSessionsMain} runs it over generated activity.
 */
public final class AccountSessions {
    /** How long an account may be idle before its session ends. */
    public static final Duration IDLE_GAP = Duration.ofSeconds(30);
    /** How late activity may arrive and still count. */
    public static final Duration WATERMARK_DELAY = Duration.ofSeconds(2);

    private AccountSessions() {
    }

    /**
     * One action of an account.
     *
     * @param account the account
     * @param tsMs when it happened, epoch ms (event time)
     * @param action what it did
     */
    public record Activity(String account, long tsMs, String action) {
    }

    /**
     * An open session: the state kept per account.
     *
     * @param startMs first activity, epoch ms
     * @param lastMs latest activity, epoch ms
     * @param actions actions so far
     */
    public record Open(long startMs, long lastMs, long actions) {
    }

    /**
     * An ended session: what the query emits.
     *
     * @param account the account
     * @param startMs first activity, epoch ms
     * @param lastMs last activity, epoch ms
     * @param actions actions in the session
     */
    public record Ended(String account, long startMs, long lastMs, long actions) {
        @Override
        public String toString() {
            return account + " " + Instant.ofEpochMilli(startMs) + " .. " + Instant.ofEpochMilli(lastMs) + " ("
                + actions + " actions, " + (lastMs - startMs) / 1000 + " s)";
        }
    }

    /**
     * The query: a watermark on the activity's time, sessions per account, ended sessions out.
     *
     * @param activity the accounts' activity
     * @return the ended sessions, each once (run the query in append mode)
     */
    public static Stream<Ended> sessions(Stream<Activity> activity) {
        return activity
            .withWatermark(Activity::tsMs, WATERMARK_DELAY)
            .keyBy("account", Activity::account)
            .flatMapGroupsWithState(OutputMode.APPEND, GroupStateTimeout.EVENT_TIME_TIMEOUT, AccountSessions::track);
    }

    /**
     * The group-state function. On a timeout, emits the open session and removes the state. Otherwise
     * walks the new actions in event-time order (a micro-batch can hold several sessions of one
     * account): a gap longer than {@link #IDLE_GAP} ends the open session, emitted at once; the last
     * session stays open, with its timeout at its last action + the gap.
     */
    static Iterator<Ended> track(String account, Iterator<Activity> actions, GroupState<Open> state) {
        if (state.hasTimedOut()) {
            Open open = state.get();
            state.remove();
            return List.of(new Ended(account, open.startMs(), open.lastMs(), open.actions())).iterator();
        }
        List<Activity> batch = new ArrayList<>();
        actions.forEachRemaining(batch::add);
        batch.sort(Comparator.comparingLong(Activity::tsMs));
        List<Ended> ended = new ArrayList<>();
        Open open = state.getOption().orElse(null);
        for (Activity a : batch) {
            if (open != null && a.tsMs() - open.lastMs() > IDLE_GAP.toMillis()) {
                ended.add(new Ended(account, open.startMs(), open.lastMs(), open.actions()));
                open = null;
            }
            open = open == null ? new Open(a.tsMs(), a.tsMs(), 1)
                : new Open(Math.min(open.startMs(), a.tsMs()), Math.max(open.lastMs(), a.tsMs()), open.actions() + 1);
        }
        state.update(open);
        // Rows of a batch were judged against the previous watermark: the current one may be past last + gap.
        state.setTimeoutTimestamp(Math.max(open.lastMs() + IDLE_GAP.toMillis(), state.getCurrentWatermarkMs()));
        return ended.iterator();
    }

    /**
     * Generated activity, in event-time order: each account has bursts of one action a second lasting
     * 10 to 24 s, separated by idle spells of 40 to 80 s (longer than {@link #IDLE_GAP}).
     *
     * @param accounts how many accounts
     * @param fromMs the first event time, epoch ms
     * @param durationMs how much event time to cover
     * @return the activity
     */
    public static List<Activity> generate(int accounts, long fromMs, long durationMs) {
        String[] verbs = {"login", "view", "trade", "transfer", "logout"};
        List<Activity> all = new ArrayList<>();
        for (int a = 0; a < accounts; a++) {
            String account = String.format("acct-%02d", a);
            long t = fromMs + a * 3_000L;
            int burst = 0;
            while (t < fromMs + durationMs) {
                int length = 10 + (a * 7 + burst * 5) % 15;
                for (int s = 0; s < length && t < fromMs + durationMs; s++, t += 1_000) {
                    all.add(new Activity(account, t, verbs[(a + s) % verbs.length]));
                }
                t += 40_000 + ((a * 13L + burst * 11L) % 41) * 1_000;
                burst++;
            }
        }
        all.sort((x, y) -> Long.compare(x.tsMs(), y.tsMs()));
        return all;
    }
}
