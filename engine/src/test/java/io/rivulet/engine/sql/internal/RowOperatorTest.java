package io.rivulet.engine.sql.internal;

import io.rivulet.engine.sql.Row;
import io.rivulet.engine.sql.expressions.Analyzer;
import io.rivulet.engine.sql.expressions.Predicate;
import io.rivulet.engine.sql.parser.SqlParsers;
import io.rivulet.engine.types.StructType;
import io.rivulet.operators.Output;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fused row operator's per-record entry point: the engine's link calls {@code process} directly, with no
 * compiler-made bridge in between (each bridge is one more inlining level on every record's path).
 */
class RowOperatorTest {
    private static final StructType SCHEMA = StructType.fromDDL("ts TIMESTAMP, qty BIGINT");

    @Test
    void shouldDeclareNoBridgeMethodSoTheLinkCallsProcessDirectly() {
        assertThat(Arrays.stream(RowOperator.class.getDeclaredMethods()).filter(Method::isBridge).map(Method::toString))
            .as("bridge methods of RowOperator").isEmpty();
    }

    @Test
    void shouldPassTheInputRowItselfWhenItOnlyFilters() {
        Predicate hasTime = Analyzer.predicate(SCHEMA, SqlParsers.parseExpression("ts IS NOT NULL"));
        RowOperator<Row> filter = new RowOperator<>(hasTime, null, SCHEMA, -1, null, false);
        List<Row> out = new ArrayList<>();
        Output<Row> output = out::add;
        PackedRow withTime = PackedRow.of(SCHEMA, null, 5L);
        withTime.setTimestampMicros(0, 1_000L);
        PackedRow withoutTime = PackedRow.of(SCHEMA, null, 6L);

        filter.process(withTime, output);
        filter.process(withoutTime, output);

        assertThat(out).containsExactly(withTime);
        assertThat(out.get(0)).isSameAs(withTime);
    }
}
