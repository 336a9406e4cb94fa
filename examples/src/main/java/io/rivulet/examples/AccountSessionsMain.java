package io.rivulet.examples;

import io.rivulet.engine.Rivulet;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.Trigger;
import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.source.Sources;

import java.util.List;

/**
 * Runs {@link AccountSessions} over generated activity (default: 12 accounts, 10 minutes of event
 * time) in micro-batches ({@code Trigger.availableNow()}), printing each session when its account
 * goes idle, then stops. Arguments: accounts, minutes of event time.
 */
public final class AccountSessionsMain {
    private static final long T0 = 1_700_000_000_000L;

    private AccountSessionsMain() {
    }

    /**
     * @param args optional accounts and minutes
     * @throws Exception if the query fails
     */
    public static void main(String[] args) throws Exception {
        int accounts = args.length > 0 ? Integer.parseInt(args[0]) : 12;
        long minutes = args.length > 1 ? Long.parseLong(args[1]) : 10;
        List<AccountSessions.Activity> activity = AccountSessions.generate(accounts, T0, minutes * 60_000);
        System.out.printf("account-sessions: %d actions of %d accounts; a session ends after %d s idle (event time)%n",
            activity.size(), accounts, AccountSessions.IDLE_GAP.toSeconds());
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = AccountSessions.sessions(rivulet.readStream(Sources.fromIterable(activity)))
                .writeStream(Sinks.<AccountSessions.Ended>console().numRows(50).truncate(false))
                .queryName("account-sessions")
                .trigger(Trigger.availableNow())
                .start();
            query.awaitTermination();
            System.out.println("account-sessions: done; sessions still open at the end wait for a watermark that never came");
        }
    }
}
