package io.rivulet.engine.sql.internal;

import io.rivulet.engine.sql.AnalysisException;
import io.rivulet.engine.sql.expressions.Aggregate;
import io.rivulet.engine.sql.expressions.Analyzer;
import io.rivulet.engine.sql.expressions.ComplexAccess;
import io.rivulet.engine.sql.expressions.Expression;
import io.rivulet.engine.sql.expressions.Predicate;
import io.rivulet.engine.sql.expressions.Projection;
import io.rivulet.engine.sql.expressions.TimeFunctions;
import io.rivulet.engine.types.ArrayType;
import io.rivulet.engine.types.StructField;
import io.rivulet.engine.types.StructType;

import java.util.ArrayList;
import java.util.List;

/**
 * A select list or a filter condition compiled against the input schema once, when the Dataset is built: the
 * resolved {@link Projection} or {@link Predicate}, the schema of the rows it emits, and the column of its one
 * generator ({@code explode}), if any. Every failure is Spark's {@link AnalysisException}, before any query
 * starts. Immutable and thread-safe; {@link RowOperator} runs it.
 *
 * @param filter the condition, or {@code null}
 * @param projection the projection, or {@code null}
 * @param outputSchema the rows emitted
 * @param generator the generator's column, or -1
 * @param usesCurrentTimestamp whether an expression calls {@code current_timestamp()}
 */
public record SelectPlan(Predicate filter, Projection projection, StructType outputSchema, int generator,
                         boolean usesCurrentTimestamp) {

    /**
     * Compiles a select list.
     *
     * @param input the input schema
     * @param items the unresolved items ({@code *} expands)
     * @return the plan
     * @throws AnalysisException on an unknown column or function, mismatched types, an aggregate (Spark plans
     *     those through {@code groupBy}), or a generator nested in an expression or not alone
     */
    public static SelectPlan select(StructType input, List<Expression> items) {
        Projection projection = Analyzer.projection(input, items);
        if (!projection.aggregates().isEmpty()) {
            throw new AnalysisException("UNSUPPORTED_FEATURE.STREAMING_GLOBAL_AGGREGATE", "The aggregate "
                + projection.aggregates().get(0).sql() + " in select is a global aggregation: write it as "
                + "groupBy().agg(...) (a global aggregation is a groupBy without columns).");
        }
        List<ComplexAccess.Explode> generators = projection.generators();
        int generator = -1;
        StructField[] fields = projection.outputSchema().fields();
        if (!generators.isEmpty()) {
            if (generators.size() > 1) {
                throw new AnalysisException("UNSUPPORTED_GENERATOR.MULTI_GENERATOR", "The generator is not supported: "
                    + "only one generator allowed per SELECT clause but found " + generators.size() + ": "
                    + String.join(", ", generators.stream().map(g -> "\"" + g.sql() + "\"").toList()) + ".");
            }
            List<Expression> resolved = projection.expressions();
            for (int i = 0; i < resolved.size(); i++) {
                Expression e = resolved.get(i);
                Expression inner = e instanceof ComplexAccess.Alias a ? a.children().get(0) : e;
                if (inner instanceof ComplexAccess.Explode) {
                    generator = i;
                } else if (contains(e, ComplexAccess.Explode.class)) {
                    throw new AnalysisException("UNSUPPORTED_GENERATOR.NESTED_IN_EXPRESSIONS", "The generator is not "
                        + "supported: nested in expressions \"" + e.sql() + "\".");
                }
            }
            ComplexAccess.Explode explode = generators.get(0);
            if (!(explode.child().dataType() instanceof ArrayType array)) {
                throw new AnalysisException("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", "Cannot resolve \"" + explode.sql()
                    + "\" due to data type mismatch: The first parameter requires the \"ARRAY\" type, however \""
                    + explode.child().sql() + "\" has the type \"" + explode.child().dataType().sql() + "\".");
            }
            fields = fields.clone();
            StructField f = fields[generator];
            fields[generator] = new StructField(f.name(), array.elementType(), array.containsNull());
        }
        return new SelectPlan(null, projection, new StructType(fields), generator,
            anyIn(projection.expressions(), TimeFunctions.CurrentTimestamp.class));
    }

    /**
     * Compiles a filter condition.
     *
     * @param input the input schema
     * @param condition the unresolved condition
     * @return the plan; it emits the input rows that pass
     * @throws AnalysisException on an unknown column, a condition that is not boolean, or an aggregate or
     *     generator in it
     */
    public static SelectPlan filter(StructType input, Expression condition) {
        Predicate predicate = Analyzer.predicate(input, condition);
        Expression resolved = predicate.condition();
        if (contains(resolved, Aggregate.class) || contains(resolved, ComplexAccess.Explode.class)) {
            throw new AnalysisException("INVALID_WHERE_CONDITION", "The WHERE condition \"" + resolved.sql()
                + "\" contains invalid expressions: an aggregate or a generator.");
        }
        return new SelectPlan(predicate, null, input, -1,
            contains(resolved, TimeFunctions.CurrentTimestamp.class));
    }

    private static boolean anyIn(List<Expression> roots, Class<?> type) {
        for (Expression root : roots) {
            if (contains(root, type)) {
                return true;
            }
        }
        return false;
    }

    private static boolean contains(Expression root, Class<?> type) {
        List<Object> found = new ArrayList<>();
        Projection.collect(root, Object.class, found);
        for (Object e : found) {
            if (type.isInstance(e)) {
                return true;
            }
        }
        return false;
    }
}
