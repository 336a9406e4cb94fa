package io.rivulet.engine.sql.expressions;

import io.rivulet.engine.sql.Row;
import io.rivulet.engine.types.DataType;

import java.util.List;

/**
 * A function over reference values (strings, arrays, JSON): its arguments are evaluated to external objects, NULL
 * in gives NULL out unless {@code nullSafe}, and the {@link Body} computes the result. Used for functions whose
 * cost is in the body (string and regex work), not for arithmetic. Immutable; the body must be stateless.
 */
public final class ScalarFunction extends Values.ObjectBacked {
    /** The computation, over up to three arguments or an array of them for variadic functions. */
    @FunctionalInterface
    public interface Body {
        /**
         * @param args the evaluated arguments (external objects).
         * @return the result, or null.
         */
        Object apply(Object[] args);
    }

    private final String name;
    private final Expression[] args;
    private final DataType type;
    private final boolean nullIntolerant;
    private final boolean nullable;
    private final Body body;

    /**
     * @param name           the function's name (printed form {@code name(a, b)}).
     * @param args           the resolved arguments, already cast to the types the body expects.
     * @param type           the result type.
     * @param nullIntolerant whether any NULL argument gives NULL without calling the body.
     * @param nullable       whether the result may be NULL even with non-NULL arguments.
     * @param body           the computation.
     */
    public ScalarFunction(String name, List<Expression> args, DataType type, boolean nullIntolerant, boolean nullable,
                          Body body) {
        this.name = name;
        this.args = args.toArray(new Expression[0]);
        this.type = type;
        this.nullIntolerant = nullIntolerant;
        this.nullable = nullable;
        this.body = body;
    }

    @Override
    protected Object external(Row row, EvalContext ctx) {
        Object[] values = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            Object v = args[i].eval(row, ctx);
            if (v == null && nullIntolerant) {
                return null;
            }
            values[i] = v;
        }
        return body.apply(values);
    }

    @Override
    public List<Expression> children() {
        return List.of(args);
    }

    @Override
    public DataType dataType() {
        return type;
    }

    @Override
    public boolean nullable() {
        return nullable || super.nullable();
    }

    @Override
    public String sql() {
        return Sql.render(name, Sql.of(children()), null);
    }
}
