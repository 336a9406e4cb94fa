package io.rivulet.engine.sql.expressions;

import io.rivulet.engine.types.DataType;

import java.util.List;
import java.util.Set;

/**
 * Spark's printed form of an operator or call, shared by unresolved and resolved nodes so a column is named the
 * same before and after analysis: {@code (a + b)}, {@code (NOT a)}, {@code (a IS NULL)}, {@code a LIKE b},
 * {@code CAST(a AS INT)}, {@code CASE WHEN c THEN v ELSE e END}, {@code lower(a)}. Stateless.
 */
public final class Sql {
    private static final Set<String> INFIX = Set.of("+", "-", "*", "/", "%", "div", "=", "<=>", "<", "<=", ">", ">=",
        "AND", "OR", "||");

    private Sql() {
    }

    /**
     * @param op    the operator or function name (as the registry spells it).
     * @param args  the children's printed forms.
     * @param param the call's non-expression parameter (a cast's type, an alias's name, a sort direction), or null.
     * @return the printed form.
     */
    public static String render(String op, List<String> args, Object param) {
        if (INFIX.contains(op) && args.size() == 2) {
            return "(" + args.get(0) + " " + op + " " + args.get(1) + ")";
        }
        switch (op) {
            case "NOT":
                return "(NOT " + args.get(0) + ")";
            case "negative":
                return "(- " + args.get(0) + ")";
            case "positive":
                return "(+ " + args.get(0) + ")";
            case "isnull":
                return "(" + args.get(0) + " IS NULL)";
            case "isnotnull":
                return "(" + args.get(0) + " IS NOT NULL)";
            case "in":
                return "(" + args.get(0) + " IN (" + String.join(", ", args.subList(1, args.size())) + "))";
            case "like":
                return args.get(0) + " LIKE " + args.get(1);
            case "cast":
                return "CAST(" + args.get(0) + " AS " + ((DataType) param).sql() + ")";
            case "case": {
                StringBuilder out = new StringBuilder("CASE");
                int pairs = args.size() / 2;
                for (int i = 0; i < pairs; i++) {
                    out.append(" WHEN ").append(args.get(2 * i)).append(" THEN ").append(args.get(2 * i + 1));
                }
                if (args.size() % 2 == 1) {
                    out.append(" ELSE ").append(args.get(args.size() - 1));
                }
                return out.append(" END").toString();
            }
            case "alias":
                return args.get(0) + " AS " + param;
            case "getfield":
                return args.get(0) + "." + param;
            case "getitem":
                return args.get(0) + "[" + args.get(1) + "]";
            case "sort":
                return args.get(0) + " " + param;
            case "count_distinct":
                return "count(DISTINCT " + String.join(", ", args) + ")";
            default:
                return op + "(" + String.join(", ", args) + ")";
        }
    }

    /**
     * @param children expressions.
     * @return their printed forms.
     */
    public static List<String> of(List<Expression> children) {
        return children.stream().map(Expression::sql).toList();
    }
}
