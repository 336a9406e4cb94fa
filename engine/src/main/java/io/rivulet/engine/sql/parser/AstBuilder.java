package io.rivulet.engine.sql.parser;

import io.rivulet.engine.sql.ParseException;
import io.rivulet.engine.types.ArrayType;
import io.rivulet.engine.types.DataType;
import io.rivulet.engine.types.DataTypes;
import io.rivulet.engine.types.DecimalType;
import io.rivulet.engine.types.MapType;
import io.rivulet.engine.types.StructField;
import io.rivulet.engine.types.StructType;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.TerminalNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Builds data types and schemas from parse trees: resolves type names (Spark's aliases), checks their
 * parameters, unquotes names and unescapes comments. Semantic errors are {@link ParseException}s located at the
 * offending token, like syntax errors. One per parse; not thread-safe.
 */
final class AstBuilder {
    /** Type names resolved here (not keywords), with the number of parameters each takes. */
    private static final Map<String, String> PARAMETER_RULES = Map.ofEntries(
        Map.entry("STRING", "none"), Map.entry("VARCHAR", "length"), Map.entry("CHAR", "length"),
        Map.entry("INT", "none"), Map.entry("INTEGER", "none"),
        Map.entry("BIGINT", "none"), Map.entry("LONG", "none"),
        Map.entry("SMALLINT", "none"), Map.entry("SHORT", "none"),
        Map.entry("TINYINT", "none"), Map.entry("BYTE", "none"),
        Map.entry("DOUBLE", "none"), Map.entry("FLOAT", "none"), Map.entry("REAL", "none"),
        Map.entry("BOOLEAN", "none"), Map.entry("TIMESTAMP", "none"), Map.entry("TIMESTAMP_LTZ", "none"),
        Map.entry("DATE", "none"), Map.entry("BINARY", "none"), Map.entry("VOID", "none"),
        Map.entry("DECIMAL", "decimal"), Map.entry("DEC", "decimal"), Map.entry("NUMERIC", "decimal"));

    private static final String KNOWN_TYPES;

    static {
        TreeSet<String> names = new TreeSet<>(PARAMETER_RULES.keySet());
        names.add("ARRAY<type>");
        names.add("MAP<keyType, valueType>");
        names.add("STRUCT<name: type, ...>");
        KNOWN_TYPES = String.join(", ", names);
    }

    private final String command;

    AstBuilder(String command) {
        this.command = command;
    }

    StructType colTypeList(RivuletSqlParser.ColTypeListContext ctx) {
        List<StructField> fields = new ArrayList<>();
        for (RivuletSqlParser.ColTypeContext col : ctx.colType()) {
            fields.add(new StructField(ExpressionBuilder.anyIdentifier(col.colName), dataType(col.dataType()), col.NOT() == null,
                comment(col.commentSpec())));
        }
        return new StructType(fields);
    }

    DataType dataType(RivuletSqlParser.DataTypeContext ctx) {
        if (ctx instanceof RivuletSqlParser.ArrayDataTypeContext array) {
            return new ArrayType(dataType(array.dataType()), true);
        }
        if (ctx instanceof RivuletSqlParser.MapDataTypeContext map) {
            return new MapType(dataType(map.dataType(0)), dataType(map.dataType(1)), true);
        }
        if (ctx instanceof RivuletSqlParser.StructDataTypeContext struct) {
            List<StructField> fields = new ArrayList<>();
            if (struct.complexColTypeList() != null) {
                for (RivuletSqlParser.ComplexColTypeContext col : struct.complexColTypeList().complexColType()) {
                    fields.add(new StructField(ExpressionBuilder.anyIdentifier(col.anyIdentifier()), dataType(col.dataType()),
                        col.NOT() == null, comment(col.commentSpec())));
                }
            }
            return new StructType(fields);
        }
        return primitive((RivuletSqlParser.PrimitiveDataTypeContext) ctx);
    }

    private DataType primitive(RivuletSqlParser.PrimitiveDataTypeContext ctx) {
        String written = identifier(ctx.identifier());
        String name = written.toUpperCase(Locale.ROOT);
        String rule = PARAMETER_RULES.get(name);
        if (rule == null || ctx.identifier() instanceof RivuletSqlParser.QuotedIdentifierContext) {
            throw error(ctx.identifier().getStart(), "Unsupported data type '" + written + "'",
                "known types are " + KNOWN_TYPES);
        }
        List<TerminalNode> params = ctx.INTEGER_VALUE();
        switch (rule) {
            case "length":
                if (params.size() != 1) {
                    throw error(ctx.getStart(), "Data type " + name + " takes one parameter, the length: "
                        + name + "(n)", "got " + params.size());
                }
                return DataTypes.StringType;
            case "decimal":
                if (params.size() > 2) {
                    throw error(params.get(2).getSymbol(), "Data type " + name
                        + " takes at most two parameters, (precision[, scale])", "got " + params.size());
                }
                if (params.isEmpty()) {
                    return DecimalType.USER_DEFAULT;
                }
                int precision = integer(params.get(0));
                int scale = params.size() == 2 ? integer(params.get(1)) : 0;
                try {
                    return new DecimalType(precision, scale);
                } catch (IllegalArgumentException e) {
                    throw error(params.get(0).getSymbol(), "Invalid data type " + ctx.getText(), e.getMessage());
                }
            default:
                if (!params.isEmpty()) {
                    throw error(params.get(0).getSymbol(), "Data type " + name + " takes no parameters",
                        "write " + name);
                }
                return simple(name);
        }
    }

    private static DataType simple(String name) {
        return switch (name) {
            case "STRING" -> DataTypes.StringType;
            case "INT", "INTEGER" -> DataTypes.IntegerType;
            case "BIGINT", "LONG" -> DataTypes.LongType;
            case "SMALLINT", "SHORT" -> DataTypes.ShortType;
            case "TINYINT", "BYTE" -> DataTypes.ByteType;
            case "DOUBLE" -> DataTypes.DoubleType;
            case "FLOAT", "REAL" -> DataTypes.FloatType;
            case "BOOLEAN" -> DataTypes.BooleanType;
            case "TIMESTAMP", "TIMESTAMP_LTZ" -> DataTypes.TimestampType;
            case "DATE" -> DataTypes.DateType;
            case "BINARY" -> DataTypes.BinaryType;
            case "VOID" -> DataTypes.NullType;
            default -> throw new IllegalStateException("type without a rule: " + name);
        };
    }

    private int integer(TerminalNode node) {
        try {
            return Integer.parseInt(node.getText());
        } catch (NumberFormatException e) {
            throw error(node.getSymbol(), "Number out of range: " + node.getText(), "at most " + Integer.MAX_VALUE);
        }
    }

    static String identifier(RivuletSqlParser.IdentifierContext ctx) {
        String text = ctx.getText();
        if (ctx instanceof RivuletSqlParser.QuotedIdentifierContext) {
            return text.substring(1, text.length() - 1).replace("``", "`");
        }
        return text;
    }

    private static String comment(RivuletSqlParser.CommentSpecContext ctx) {
        if (ctx == null) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        for (TerminalNode literal : ctx.stringLit().STRING_LITERAL()) {
            unescape(literal.getText(), out);
        }
        return out.toString();
    }

    /** Spark's string literal rules: quotes stripped, backslash escapes resolved. */
    static void unescape(String literal, StringBuilder out) {
        int end = literal.length() - 1;
        for (int i = 1; i < end; i++) {
            char c = literal.charAt(i);
            if (c != '\\' || i + 1 >= end) {
                out.append(c);
                continue;
            }
            char next = literal.charAt(++i);
            switch (next) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'b' -> out.append('\b');
                case '0' -> out.append('\0');
                case 'Z' -> out.append('\u001A');
                case 'u' -> {
                    if (i + 4 < end + 1 && isHex(literal, i + 1, 4)) {
                        out.append((char) Integer.parseInt(literal.substring(i + 1, i + 5), 16));
                        i += 4;
                    } else {
                        out.append('u');
                    }
                }
                default -> out.append(next);
            }
        }
    }

    private static boolean isHex(String s, int from, int count) {
        if (from + count > s.length() - 1) {
            return false;
        }
        for (int i = from; i < from + count; i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    private ParseException error(Token at, String what, String detail) {
        return new ParseException(what + " (line " + at.getLine() + ", pos " + at.getCharPositionInLine()
            + ") in \"" + command + "\": " + detail, command, at.getLine(), at.getCharPositionInLine(),
            at.getStartIndex());
    }

}
