package io.rivulet.operators.join;

import io.rivulet.operators.Output;

import java.util.ArrayList;
import java.util.List;

/** Rows and operators the join tests share: impressions (left) joined with clicks (right) by ad id. */
final class JoinRowsFixture {
    private JoinRowsFixture() {
    }

    /** An impression: the left row. */
    record Imp(String ad, long ts) {
    }

    /** A click: the right row. */
    record Click(String ad, long ts) {
    }

    /** A joined row as text: {@code ad|impTs|clickTs}, {@code -} for a missing side. */
    static String text(String key, Imp imp, Click click) {
        return key + "|" + (imp == null ? "-" : imp.ts()) + "|" + (click == null ? "-" : click.ts());
    }

    /** Spark's g1/g2 query: click within [impTime, impTime + 10 s], both bounds closed. */
    static JoinSettings<String, Imp, Click> clicksWithin10s(JoinType type, boolean microBatch) {
        return JoinSettings.<String, Imp, Click>of(type)
            .withEventTimes(Imp::ts, Click::ts)
            .withTimeRange(JoinTimeRange.between(0, 10_000))
            .withMicroBatch(microBatch);
    }

    static StreamStreamJoinOperator<String, Imp, Click, String> operator(JoinSettings<String, Imp, Click> settings) {
        return StreamStreamJoinOperator.of(JoinRowsFixture::text, settings);
    }

    /** Collects emitted records. */
    static final class Sink<T> implements Output<T> {
        final List<T> records = new ArrayList<>();

        @Override
        public void emit(T record) {
            records.add(record);
        }

        List<T> drain() {
            List<T> copy = new ArrayList<>(records);
            records.clear();
            return copy;
        }
    }
}
