package io.rivulet.operators.join;

import io.rivulet.operators.StateMetrics;
import io.rivulet.operators.StatefulOperator;
import io.rivulet.operators.TwoInputKeyedOperator;
import io.rivulet.operators.join.JoinRowsFixture.Sink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link JoinSettings#withUniqueKeys}: with one side's keys unique (W5's orders by id), both join operators
 * give, step by step, exactly the rows and late rows they give without the declaration, while holding fewer
 * rows; a second row of a key on a declared-unique side fails naming the key.
 */
class UniqueKeyJoinTest {
    record Row(long ts, long value) {
    }

    /** One input event of the script: a row of one side, or a watermark, or an epoch end. */
    private record Step(int kind, boolean left, long key, long ts, long value) {
        static final int ROW = 0;
        static final int WATERMARK = 1;
        static final int EPOCH = 2;
    }

    /**
     * Orders-and-trades shaped input: the unique side gets ids 0, 1, 2... in (roughly) time order, the other side
     * rows referring to a recent id (some to an id not yet seen, some to one long evicted), 3 per unique row;
     * 10 % of the rows are out of order by up to 3 s, some late; a watermark (max time - 2 s) every 7 rows, an
     * epoch every 11.
     */
    private static List<Step> script(long seed, boolean uniqueLeft) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Step> steps = new ArrayList<>();
        long clock = 10_000;
        long nextId = 0;
        long maxTs = Long.MIN_VALUE;
        for (int i = 0; i < 400; i++) {
            clock += random.nextInt(400);
            long ts = random.nextInt(10) == 0 ? clock - random.nextInt(3_000) : clock;
            maxTs = Math.max(maxTs, ts);
            boolean unique = i % 4 == 0;
            long key = unique ? nextId++ : Math.max(0, nextId - 1 - random.nextInt(12)) + (random.nextInt(8) == 0 ? 2 : 0);
            steps.add(new Step(Step.ROW, unique == uniqueLeft, key, ts, random.nextInt(1_000)));
            if (i % 7 == 6) {
                steps.add(new Step(Step.WATERMARK, false, 0, maxTs - 2_000, 0));
            }
            if (i % 11 == 10) {
                steps.add(new Step(Step.EPOCH, false, 0, 0, 0));
            }
        }
        return steps;
    }

    private static String text(long key, Row left, Row right) {
        return key + "|" + left + "|" + right;
    }

    private static JoinSettings<Long, Row, Row> settings(JoinType type, boolean microBatch, Sink<Object> late) {
        return JoinSettings.<Long, Row, Row>of(type)
            .withEventTimes(Row::ts, Row::ts)
            .withTimeRange(JoinTimeRange.between(0, 5_000))
            .withMicroBatch(microBatch)
            .withLateOutputs(late::emit, late::emit);
    }

    /** A row as two columns: with it, the long-key join holds a unique side's rows inline in its table. */
    private static final JoinRowLayout<Row> COLUMNS = new JoinRowLayout<>() {
        @Override
        public int width() {
            return 2;
        }

        @Override
        public void write(Row row, long[] into, int at) {
            into[at] = row.ts();
            into[at + 1] = row.value();
        }

        @Override
        public Row read(long[] from, int at, Row reuse) {
            return new Row(from[at], from[at + 1]);
        }
    };

    private static final List<Function<JoinSettings<Long, Row, Row>, TwoInputKeyedOperator<Long, Row, Row, String>>>
        OPERATORS = List.of(
            s -> StreamStreamJoinOperator.of(UniqueKeyJoinTest::text, s),
            s -> StreamStreamLongJoinOperator.of(UniqueKeyJoinTest::text, s),
            s -> StreamStreamLongJoinOperator.of(UniqueKeyJoinTest::text, s.withRowLayouts(COLUMNS, COLUMNS)));

    @ParameterizedTest
    @EnumSource(JoinType.class)
    void shouldEmitTheSameRowsAsWithoutTheDeclarationWhileHoldingFewerRows(JoinType type) {
        for (var operator : OPERATORS) {
            for (boolean microBatch : new boolean[] {false, true}) {
                for (boolean uniqueLeft : new boolean[] {true, false}) {
                    for (long seed = 1; seed <= 4; seed++) {
                        compare(operator, type, microBatch, uniqueLeft, seed);
                    }
                }
            }
        }
    }

    private void compare(Function<JoinSettings<Long, Row, Row>, TwoInputKeyedOperator<Long, Row, Row, String>> operator,
                         JoinType type, boolean microBatch, boolean uniqueLeft, long seed) {
        Sink<Object> plainLate = new Sink<>();
        Sink<Object> uniqueLate = new Sink<>();
        var plain = operator.apply(settings(type, microBatch, plainLate));
        var unique = operator.apply(settings(type, microBatch, uniqueLate).withUniqueKeys(uniqueLeft, !uniqueLeft));
        String run = plain.getClass().getSimpleName() + " " + type + (microBatch ? " micro-batch" : " continuous")
            + (uniqueLeft ? " unique left" : " unique right") + " seed " + seed;
        Sink<String> plainOut = new Sink<>();
        Sink<String> uniqueOut = new Sink<>();
        StateMetrics plainFigures = new StateMetrics();
        StateMetrics uniqueFigures = new StateMetrics();
        long epoch = 0;
        long rowsOut = 0;
        long plainHeld = 0;
        long uniqueHeld = 0;
        int step = 0;
        for (Step s : script(seed, uniqueLeft)) {
            step++;
            switch (s.kind()) {
                case Step.ROW -> {
                    if (s.left()) {
                        plain.process(s.key(), new Row(s.ts(), s.value()), plainOut);
                        unique.process(s.key(), new Row(s.ts(), s.value()), uniqueOut);
                    } else {
                        plain.processRight(s.key(), new Row(s.ts(), s.value()), plainOut);
                        unique.processRight(s.key(), new Row(s.ts(), s.value()), uniqueOut);
                    }
                }
                case Step.WATERMARK -> {
                    plain.onWatermark(s.ts(), plainOut);
                    unique.onWatermark(s.ts(), uniqueOut);
                }
                default -> {
                    plain.onEpoch(epoch, plainOut);
                    unique.onEpoch(epoch++, uniqueOut);
                    ((StatefulOperator) plain).stateMetrics(plainFigures);
                    ((StatefulOperator) unique).stateMetrics(uniqueFigures);
                    assertThat(uniqueFigures.numRowsTotal()).as(run + " rows held at step " + step)
                        .isLessThanOrEqualTo(plainFigures.numRowsTotal());
                    plainHeld += plainFigures.numRowsTotal();
                    uniqueHeld += uniqueFigures.numRowsTotal();
                }
            }
            List<String> expected = plainOut.drain();
            rowsOut += expected.size();
            assertThat(uniqueOut.drain()).as(run + " output at step " + step).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(uniqueLate.drain().toString()).as(run + " late rows at step " + step)
                .isEqualTo(plainLate.drain().toString());
        }
        assertThat(rowsOut).as(run + ": some rows came out").isPositive();
        assertThat(uniqueHeld).as(run + ": the declaration saves state").isLessThan(plainHeld);
    }

    @Test
    void shouldFailNamingTheKeyWhenADeclaredUniqueSideRepeatsAKeyItStillHolds() {
        for (var operator : OPERATORS) {
            var join = operator.apply(settings(JoinType.INNER, false, new Sink<>()).withUniqueKeys(true, false));
            Sink<String> out = new Sink<>();
            join.process(42L, new Row(1_000, 1), out);
            assertThatThrownBy(() -> join.process(42L, new Row(1_001, 2), out))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("second left row of key 42")
                .hasMessageContaining("withUniqueKeys");
            var mirrored = operator.apply(settings(JoinType.INNER, false, new Sink<>()).withUniqueKeys(false, true));
            mirrored.processRight(7L, new Row(1_000, 1), out);
            assertThatThrownBy(() -> mirrored.processRight(7L, new Row(1_002, 3), out))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("second right row of key 7");
        }
    }
}
