package io.rivulet.engine.sql.parser;

import io.rivulet.engine.sql.ParseException;
import io.rivulet.engine.sql.expressions.Cast;
import io.rivulet.engine.sql.expressions.Expression;
import io.rivulet.engine.sql.expressions.FunctionRegistry;
import io.rivulet.engine.sql.expressions.Literal;
import io.rivulet.engine.sql.expressions.Unresolved;
import io.rivulet.engine.types.DataTypes;
import io.rivulet.engine.types.DecimalType;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.TerminalNode;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Builds unresolved expression trees ({@link Unresolved}, {@link Literal}) from the parse tree of an expression
 * string: literals with Spark's typing, operators by Spark's names, function calls checked against the
 * {@link FunctionRegistry} (an unknown name is a {@link ParseException} at its position, listing near matches).
 * One per parse; not thread-safe.
 */
final class ExpressionBuilder {
    private final String command;
    private final AstBuilder types;

    ExpressionBuilder(String command) {
        this.command = command;
        this.types = new AstBuilder(command);
    }

    Expression namedExpression(RivuletSqlParser.NamedExpressionContext ctx) {
        Expression e = expression(ctx.expression());
        if (ctx.alias != null) {
            return new Unresolved.Call("alias", List.of(e), anyIdentifier(ctx.alias));
        }
        return e;
    }

    Expression expression(RivuletSqlParser.ExpressionContext ctx) {
        return bool(ctx.booleanExpression());
    }

    private Expression bool(RivuletSqlParser.BooleanExpressionContext ctx) {
        if (ctx instanceof RivuletSqlParser.LogicalNotContext not) {
            return new Unresolved.Call("NOT", bool(not.booleanExpression()));
        }
        if (ctx instanceof RivuletSqlParser.LogicalBinaryContext bin) {
            return new Unresolved.Call(bin.operator.getType() == RivuletSqlParser.AND ? "AND" : "OR",
                bool(bin.left), bool(bin.right));
        }
        RivuletSqlParser.PredicatedContext p = (RivuletSqlParser.PredicatedContext) ctx;
        Expression value = value(p.valueExpression());
        return p.predicate() == null ? value : predicate(value, p.predicate());
    }

    private Expression predicate(Expression value, RivuletSqlParser.PredicateContext ctx) {
        boolean not = ctx.NOT() != null;
        Expression e;
        switch (ctx.kind.getType()) {
            case RivuletSqlParser.BETWEEN -> e = new Unresolved.Call("AND",
                new Unresolved.Call(">=", value, value(ctx.lower)), new Unresolved.Call("<=", value, value(ctx.upper)));
            case RivuletSqlParser.IN -> {
                List<Expression> args = new ArrayList<>();
                args.add(value);
                for (RivuletSqlParser.ExpressionContext item : ctx.expression()) {
                    args.add(expression(item));
                }
                e = new Unresolved.Call("in", args, null);
            }
            case RivuletSqlParser.RLIKE, RivuletSqlParser.REGEXP -> e = new Unresolved.Call("rlike", value,
                value(ctx.pattern));
            case RivuletSqlParser.LIKE -> {
                if (ctx.escapeChar != null) {
                    throw error(ctx.escapeChar.getStart(), "LIKE ... ESCAPE is not supported",
                        "write the pattern with backslash escapes");
                }
                e = new Unresolved.Call("like", value, value(ctx.pattern));
            }
            case RivuletSqlParser.NULL -> {
                return new Unresolved.Call(not ? "isnotnull" : "isnull", value);
            }
            default -> {
                // IS [NOT] TRUE/FALSE: null-safe equality with the boolean
                Expression b = Literal.of(ctx.kind.getType() == RivuletSqlParser.TRUE, DataTypes.BooleanType);
                e = new Unresolved.Call("<=>", value, b);
            }
        }
        return not ? new Unresolved.Call("NOT", e) : e;
    }

    private Expression value(RivuletSqlParser.ValueExpressionContext ctx) {
        if (ctx instanceof RivuletSqlParser.ValueExpressionDefaultContext d) {
            return primary(d.primaryExpression());
        }
        if (ctx instanceof RivuletSqlParser.ArithmeticUnaryContext u) {
            Expression child = value(u.valueExpression());
            return switch (u.operator.getType()) {
                case RivuletSqlParser.MINUS -> new Unresolved.Call("negative", child);
                case RivuletSqlParser.PLUS -> new Unresolved.Call("positive", child);
                default -> throw error(u.operator, "The bitwise operator '~' is not supported", "use arithmetic");
            };
        }
        if (ctx instanceof RivuletSqlParser.ArithmeticBinaryContext b) {
            String op = switch (b.operator.getType()) {
                case RivuletSqlParser.DIV -> "div";
                default -> b.operator.getText();
            };
            return new Unresolved.Call(op, value(b.left), value(b.right));
        }
        RivuletSqlParser.ComparisonContext c = (RivuletSqlParser.ComparisonContext) ctx;
        Token op = ((TerminalNode) c.comparisonOperator().getChild(0)).getSymbol();
        Expression left = value(c.left);
        Expression right = value(c.right);
        return switch (op.getType()) {
            case RivuletSqlParser.EQ -> new Unresolved.Call("=", left, right);
            case RivuletSqlParser.NEQ, RivuletSqlParser.NEQJ -> new Unresolved.Call("NOT", new Unresolved.Call("=", left, right));
            default -> new Unresolved.Call(op.getText(), left, right);
        };
    }

    private Expression primary(RivuletSqlParser.PrimaryExpressionContext ctx) {
        if (ctx instanceof RivuletSqlParser.ColumnReferenceContext c) {
            return new Unresolved.Attribute(List.of(AstBuilder.identifier(c.identifier())));
        }
        if (ctx instanceof RivuletSqlParser.DereferenceContext d) {
            Expression base = primary(d.base);
            String field = anyIdentifier(d.fieldName);
            if (base instanceof Unresolved.Attribute a) {
                List<String> parts = new ArrayList<>(a.parts());
                parts.add(field);
                return new Unresolved.Attribute(parts);
            }
            return new Unresolved.Call("getfield", List.of(base), field);
        }
        if (ctx instanceof RivuletSqlParser.ParenthesizedExpressionContext p) {
            return expression(p.expression());
        }
        if (ctx instanceof RivuletSqlParser.SubscriptContext s) {
            return new Unresolved.Call("getitem", primary(s.value), value(s.index));
        }
        if (ctx instanceof RivuletSqlParser.StarContext) {
            return new Unresolved.Star(List.of());
        }
        if (ctx instanceof RivuletSqlParser.CastContext c) {
            return new Unresolved.Call("cast", List.of(expression(c.expression())), types.dataType(c.dataType()));
        }
        if (ctx instanceof RivuletSqlParser.SearchedCaseContext c) {
            List<Expression> args = new ArrayList<>();
            for (RivuletSqlParser.WhenClauseContext w : c.whenClause()) {
                args.add(expression(w.condition));
                args.add(expression(w.result));
            }
            if (c.elseExpression != null) {
                args.add(expression(c.elseExpression));
            }
            return new Unresolved.Call("case", args, null);
        }
        if (ctx instanceof RivuletSqlParser.SimpleCaseContext c) {
            Expression value = expression(c.value);
            List<Expression> args = new ArrayList<>();
            for (RivuletSqlParser.WhenClauseContext w : c.whenClause()) {
                args.add(new Unresolved.Call("=", value, expression(w.condition)));
                args.add(expression(w.result));
            }
            if (c.elseExpression != null) {
                args.add(expression(c.elseExpression));
            }
            return new Unresolved.Call("case", args, null);
        }
        if (ctx instanceof RivuletSqlParser.FunctionCallContext f) {
            return functionCall(f);
        }
        return constant(((RivuletSqlParser.ConstantDefaultContext) ctx).constant());
    }

    private Expression functionCall(RivuletSqlParser.FunctionCallContext f) {
        String name = f.functionName().getText();
        if (f.functionName().identifier() != null) {
            name = AstBuilder.identifier(f.functionName().identifier());
        }
        String key = name.toLowerCase(Locale.ROOT);
        if (!FunctionRegistry.exists(key) || key.equals("count_distinct")) {
            List<String> near = FunctionRegistry.nearMatches(name);
            throw error(f.functionName().getStart(), "Undefined function '" + name + "'",
                (near.isEmpty() ? "" : "did you mean " + String.join(", ", near) + "? ") + "known functions: "
                    + String.join(", ", FunctionRegistry.names().stream().filter(n -> !n.equals("count_distinct")).toList()));
        }
        List<Expression> args = new ArrayList<>();
        for (RivuletSqlParser.ExpressionContext a : f.argument) {
            args.add(expression(a));
        }
        if (f.DISTINCT() != null) {
            if (!key.equals("count")) {
                throw error(f.DISTINCT().getSymbol(), "DISTINCT is supported only in count(DISTINCT ...)",
                    "got " + name + "(DISTINCT ...)");
            }
            return new Unresolved.Call("count_distinct", args, null);
        }
        for (Expression a : args) {
            if (a instanceof Unresolved.Star && !key.equals("count")) {
                throw error(f.getStart(), "Invalid usage of '*' in " + name + "(*)", "only count(*) takes '*'");
            }
        }
        return new Unresolved.Call(key.equals("mean") ? "avg" : key, args, null);
    }

    private Expression constant(RivuletSqlParser.ConstantContext ctx) {
        if (ctx instanceof RivuletSqlParser.NullLiteralContext) {
            return Literal.of(null, DataTypes.NullType);
        }
        if (ctx instanceof RivuletSqlParser.BooleanLiteralContext b) {
            return Literal.of(b.TRUE() != null, DataTypes.BooleanType);
        }
        if (ctx instanceof RivuletSqlParser.StringLiteralContext s) {
            return Literal.of(string(s.stringLit()), DataTypes.StringType);
        }
        if (ctx instanceof RivuletSqlParser.IntervalLiteralContext i) {
            return Literal.interval(intervalMicros(i.interval().intervalBody()), "INTERVAL '" + i.interval()
                .intervalBody().getText() + "'");
        }
        if (ctx instanceof RivuletSqlParser.TypeConstructorContext t) {
            String type = AstBuilder.identifier(t.identifier()).toUpperCase(Locale.ROOT);
            String text = string(t.stringLit());
            switch (type) {
                case "TIMESTAMP", "TIMESTAMP_LTZ": {
                    Long micros = Cast.parseTimestamp(text);
                    if (micros == null) {
                        throw error(t.stringLit().getStart(), "Cannot parse the TIMESTAMP value: " + text,
                            "write yyyy-MM-dd[ HH:mm:ss[.SSSSSS]][offset]");
                    }
                    return Literal.of(micros, DataTypes.TimestampType);
                }
                case "DATE":
                    try {
                        return Literal.of((int) LocalDate.parse(text.strip()).toEpochDay(), DataTypes.DateType);
                    } catch (DateTimeParseException e) {
                        throw error(t.stringLit().getStart(), "Cannot parse the DATE value: " + text, "write yyyy-MM-dd");
                    }
                default:
                    throw error(t.identifier().getStart(), "Literals of type '" + type + "' are not supported",
                        "supported typed literals: TIMESTAMP '...', DATE '...'");
            }
        }
        return number(((RivuletSqlParser.NumericLiteralContext) ctx).number());
    }

    private Expression number(RivuletSqlParser.NumberContext ctx) {
        String text = ctx.getText();
        Token at = ctx.getStart();
        try {
            if (ctx instanceof RivuletSqlParser.IntegerLiteralContext) {
                BigDecimal v = new BigDecimal(text);
                if (v.compareTo(BigDecimal.valueOf(Integer.MIN_VALUE)) >= 0
                    && v.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) <= 0) {
                    return Literal.of(v.intValue(), DataTypes.IntegerType);
                }
                if (v.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) >= 0
                    && v.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0) {
                    return Literal.of(v.longValue(), DataTypes.LongType);
                }
                return decimal(v, at);
            }
            String body = text.substring(0, text.length() - suffixLength(ctx));
            if (ctx instanceof RivuletSqlParser.BigIntLiteralContext) {
                return Literal.of(Long.parseLong(body), DataTypes.LongType);
            }
            if (ctx instanceof RivuletSqlParser.SmallIntLiteralContext) {
                return Literal.of((int) Short.parseShort(body), DataTypes.ShortType);
            }
            if (ctx instanceof RivuletSqlParser.TinyIntLiteralContext) {
                return Literal.of((int) Byte.parseByte(body), DataTypes.ByteType);
            }
            if (ctx instanceof RivuletSqlParser.DoubleLiteralContext || ctx instanceof RivuletSqlParser.ExponentLiteralContext) {
                double d = Double.parseDouble(body);
                if (Double.isInfinite(d)) {
                    throw new NumberFormatException("out of range");
                }
                return Literal.of(d, DataTypes.DoubleType);
            }
            if (ctx instanceof RivuletSqlParser.FloatLiteralContext) {
                float f = Float.parseFloat(body);
                if (Float.isInfinite(f)) {
                    throw new NumberFormatException("out of range");
                }
                return Literal.of((double) f, DataTypes.FloatType);
            }
            return decimal(new BigDecimal(body), at);
        } catch (NumberFormatException e) {
            throw error(at, "Numeric literal " + text + " does not fit its type", "out of range");
        }
    }

    private static int suffixLength(RivuletSqlParser.NumberContext ctx) {
        if (ctx instanceof RivuletSqlParser.BigDecimalLiteralContext) {
            return 2;
        }
        if (ctx instanceof RivuletSqlParser.DecimalLiteralContext || ctx instanceof RivuletSqlParser.ExponentLiteralContext) {
            return 0;
        }
        return 1;
    }

    private Expression decimal(BigDecimal v, Token at) {
        int scale = Math.max(v.scale(), 0);
        BigDecimal scaled = v.setScale(scale);
        int precision = Math.max(scaled.precision(), scale);
        if (precision > DecimalType.MAX_PRECISION) {
            throw error(at, "Decimal literal " + v + " has more than 38 digits", "write it as a double (suffix D)");
        }
        return Literal.of(scaled, new DecimalType(precision, scale));
    }

    long intervalMicros(RivuletSqlParser.IntervalBodyContext body) {
        long total = 0;
        List<RivuletSqlParser.IntervalValueContext> values = body.intervalValue();
        List<RivuletSqlParser.IdentifierContext> units = body.identifier();
        for (int i = 0; i < values.size(); i++) {
            RivuletSqlParser.IntervalValueContext v = values.get(i);
            String number = v.stringLit() != null ? string(v.stringLit()).strip()
                : v.getText().replace("+", "");
            if (v.MINUS() != null && v.stringLit() != null) {
                number = "-" + number;
            }
            String unit = AstBuilder.identifier(units.get(i)).toUpperCase(Locale.ROOT);
            long perUnit = switch (unit.endsWith("S") ? unit.substring(0, unit.length() - 1) : unit) {
                case "MICROSECOND" -> 1L;
                case "MILLISECOND" -> 1_000L;
                case "SECOND" -> 1_000_000L;
                case "MINUTE" -> 60_000_000L;
                case "HOUR" -> 3_600_000_000L;
                case "DAY" -> 86_400_000_000L;
                case "WEEK" -> 7 * 86_400_000_000L;
                default -> throw error(units.get(i).getStart(), "Unsupported interval unit '" + unit + "'",
                    "use MICROSECOND(S), MILLISECOND(S), SECOND(S), MINUTE(S), HOUR(S), DAY(S), WEEK(S); months and "
                        + "years have no fixed length");
            };
            try {
                total += new BigDecimal(number).multiply(BigDecimal.valueOf(perUnit)).longValueExact();
            } catch (NumberFormatException | ArithmeticException e) {
                throw error(v.getStart(), "Invalid interval value '" + number + "'", "a number of " + unit);
            }
        }
        return total;
    }

    private static String string(RivuletSqlParser.StringLitContext ctx) {
        StringBuilder out = new StringBuilder();
        for (TerminalNode literal : ctx.STRING_LITERAL()) {
            AstBuilder.unescape(literal.getText(), out);
        }
        return out.toString();
    }

    static String anyIdentifier(RivuletSqlParser.AnyIdentifierContext ctx) {
        return ctx.identifier() != null ? AstBuilder.identifier(ctx.identifier()) : ctx.getText();
    }

    private ParseException error(Token at, String what, String detail) {
        return new ParseException(what + " (line " + at.getLine() + ", pos " + at.getCharPositionInLine()
            + ") in \"" + command + "\": " + detail, command, at.getLine(), at.getCharPositionInLine(),
            at.getStartIndex());
    }
}
