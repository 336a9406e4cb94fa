package io.rivulet.bench.jmh;

import io.rivulet.engine.sql.MutableRow;
import io.rivulet.engine.sql.Row;
import io.rivulet.engine.sql.expressions.Analyzer;
import io.rivulet.engine.sql.expressions.Predicate;
import io.rivulet.engine.sql.expressions.Projection;
import io.rivulet.engine.sql.parser.SqlParsers;
import io.rivulet.engine.types.StructType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.List;
import java.util.SplittableRandom;

/**
 * W1's shape through the structured API's expression evaluators: {@code filter("qty > 100")} then
 * {@code selectExpr("sym", "price * qty AS notional")}, per row, into a reused output row: compiled
 * ({@code structuredFilterProject}: the generated classes of {@code sql.expressions.ExpressionCompiler}) and through
 * the node tree ({@code structuredFilterProjectTree}, the interpreter); beside its baseline, the same written as
 * a hand-written lambda over a Java record into a reused mutable holder ({@code typedLambda}), and the same
 * hand-written against the same packed rows ({@code handWrittenRows}) to separate the row format's cost from the
 * evaluator's.
 *
 * <p>Setup checks, for every pre-generated row, that the evaluators and the hand-written code agree (pass/drop and
 * both output values), so a fast wrong evaluator fails before it is timed. Expect {@code gc.alloc.rate.norm} 0 B/op.
 */
@State(Scope.Thread)
public class ExpressionBenchmark extends BenchmarkDefaults
{
    /** The typed baseline's record. */
    public record Trade(String sym, int qty, double price)
    {
    }

    /** The typed baseline's reused output. */
    public static final class Notional
    {
        String sym;
        double notional;
    }

    private static final StructType SCHEMA = StructType.fromDDL("sym STRING, qty INT, price DOUBLE");

    private final Row[] rows = new Row[RECORDS];
    private final Trade[] trades = new Trade[RECORDS];
    private final Notional holder = new Notional();
    private Predicate.Evaluator filter;
    private Projection.Evaluator project;
    private Predicate.Evaluator filterTree;
    private Projection.Evaluator projectTree;
    private MutableRow out;
    private int index;

    @Setup
    public void setUp()
    {
        filter = Analyzer.predicate(SCHEMA, SqlParsers.parseExpression("qty > 100")).newEvaluator();
        Projection projection = Analyzer.projection(SCHEMA, List.of(SqlParsers.parseSelectItem("sym"),
            SqlParsers.parseSelectItem("price * qty AS notional")));
        project = projection.newEvaluator();
        filterTree = Analyzer.predicate(SCHEMA, SqlParsers.parseExpression("qty > 100")).newInterpretingEvaluator();
        projectTree = projection.newInterpretingEvaluator();
        if (!filter.compiled() || !project.compiled())
        {
            throw new IllegalStateException("not compiled (-Drivulet.sql.codegen=false?)");
        }
        out = MutableRow.create(projection.outputSchema());
        final SplittableRandom random = new SplittableRandom(42);
        final String[] symbols = {"ACME", "INIT", "GLOBX", "RIVL", "DSRP", "AGRN"};
        for (int i = 0; i < RECORDS; i++)
        {
            trades[i] = new Trade(symbols[random.nextInt(symbols.length)], random.nextInt(1, 200),
                random.nextDouble() * 1000);
            rows[i] = Row.of(SCHEMA, trades[i].sym(), trades[i].qty(), trades[i].price());
            final boolean passes = filter.test(rows[i]);
            if (passes != trades[i].qty() > 100)
            {
                throw new IllegalStateException("filter disagrees on " + trades[i]);
            }
            if (passes != filterTree.test(rows[i]))
            {
                throw new IllegalStateException("compiled filter disagrees with the tree on " + trades[i]);
            }
            if (passes)
            {
                projectTree.apply(rows[i], out);
                final double tree = out.getDouble(1);
                project.apply(rows[i], out);
                if (Double.doubleToRawLongBits(tree) != Double.doubleToRawLongBits(out.getDouble(1)))
                {
                    throw new IllegalStateException("compiled projection disagrees with the tree on " + trades[i]);
                }
                if (!out.getString(0).equals(trades[i].sym())
                    || out.getDouble(1) != trades[i].price() * trades[i].qty())
                {
                    throw new IllegalStateException("projection disagrees on " + trades[i] + ": " + out);
                }
            }
        }
    }

    @Benchmark
    public Object structuredFilterProject()
    {
        final Row row = rows[index++ & MASK];
        if (filter.test(row))
        {
            project.apply(row, out);
            return out;
        }
        return null;
    }

    @Benchmark
    public Object structuredFilterProjectTree()
    {
        final Row row = rows[index++ & MASK];
        if (filterTree.test(row))
        {
            projectTree.apply(row, out);
            return out;
        }
        return null;
    }

    @Benchmark
    public Object typedLambda()
    {
        final Trade t = trades[index++ & MASK];
        if (t.qty() > 100)
        {
            holder.sym = t.sym();
            holder.notional = t.price() * t.qty();
            return holder;
        }
        return null;
    }

    @Benchmark
    public Object handWrittenRows()
    {
        final Row row = rows[index++ & MASK];
        if (!row.isNullAt(1) && row.getInt(1) > 100)
        {
            out.setString(0, row.getString(0));
            if (row.isNullAt(2))
            {
                out.setNull(1);
            }
            else
            {
                out.setDouble(1, row.getDouble(2) * row.getInt(1));
            }
            return out;
        }
        return null;
    }
}
