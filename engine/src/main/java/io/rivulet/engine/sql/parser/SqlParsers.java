package io.rivulet.engine.sql.parser;

import io.rivulet.engine.sql.ParseException;
import io.rivulet.engine.types.DataType;
import io.rivulet.engine.types.StructType;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;

import io.rivulet.engine.sql.expressions.Expression;
import io.rivulet.engine.sql.expressions.Unresolved;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The entry points of the generated SQL parser: one call parses one string, whole. Internal: the public way in
 * is {@link DataType#fromDDL(String)} and {@link StructType#fromDDL(String)}.
 * <p>
 * Stateless and thread-safe (each call builds its own lexer and parser). Every failure is a
 * {@link ParseException}; nothing is printed.
 */
public final class SqlParsers {
    private SqlParsers() {
    }

    /**
     * @param ddl a data type in Spark's DDL: {@code "ARRAY<STRUCT<a: INT>>"}.
     * @return the type.
     * @throws ParseException if it does not parse or names an unknown type.
     */
    public static DataType parseDataType(String ddl) {
        RivuletSqlParser parser = parser(ddl);
        return new AstBuilder(ddl).dataType(parser.singleDataType().dataType());
    }

    /**
     * @param ddl a table schema in Spark's DDL: {@code "id INT NOT NULL, name STRING COMMENT 'who'"}.
     * @return the schema.
     * @throws ParseException if it does not parse or names an unknown type.
     */
    public static StructType parseTableSchema(String ddl) {
        RivuletSqlParser parser = parser(ddl);
        return new AstBuilder(ddl).colTypeList(parser.singleTableSchema().colTypeList());
    }

    /**
     * Spark's {@code DataType.fromDDL}: a data type, or else a table schema. When both fail, the error that got
     * further into the text is reported (the one that says most about what is wrong). A text that parses
     * as a type but names an unknown type reports that.
     *
     * @param ddl a data type or a table schema.
     * @return the type; a {@link StructType} for a schema.
     * @throws ParseException if it parses as neither.
     */
    public static DataType parseDataTypeOrSchema(String ddl) {
        RivuletSqlParser.DataTypeContext asType;
        try {
            asType = parser(ddl).singleDataType().dataType();
        } catch (ParseException typeSyntax) {
            RivuletSqlParser.ColTypeListContext asSchema;
            try {
                asSchema = parser(ddl).singleTableSchema().colTypeList();
            } catch (ParseException schemaSyntax) {
                throw schemaSyntax.offset() >= typeSyntax.offset() ? schemaSyntax : typeSyntax;
            }
            return new AstBuilder(ddl).colTypeList(asSchema);
        }
        return new AstBuilder(ddl).dataType(asType);
    }

    /**
     * Parses an expression string in Spark SQL syntax, with an optional alias:
     * {@code "qty * price AS notional"}, {@code "qty > 100 AND sym = 'AAPL'"}.
     *
     * @param text the expression.
     * @return the unresolved expression (an {@code alias} call when named).
     * @throws ParseException on a syntax error or an unknown function, naming the token and position.
     */
    public static Expression parseExpression(String text) {
        RivuletSqlParser parser = parser(text);
        return new ExpressionBuilder(text).namedExpression(parser.singleExpression().namedExpression());
    }

    /**
     * Parses one {@code selectExpr} item: an expression with an optional alias, {@code *}, or {@code a.*}.
     *
     * @param text the item.
     * @return the unresolved item ({@link Unresolved.Star} for a star).
     * @throws ParseException on a syntax error or an unknown function.
     */
    public static Expression parseSelectItem(String text) {
        RivuletSqlParser.SingleSelectItemContext item = parser(text).singleSelectItem();
        if (item instanceof RivuletSqlParser.SelectStarContext star) {
            List<String> target = new ArrayList<>();
            if (star.qualifiedName() != null) {
                target.add(AstBuilder.identifier(star.qualifiedName().identifier()));
                for (RivuletSqlParser.AnyIdentifierContext part : star.qualifiedName().anyIdentifier()) {
                    target.add(ExpressionBuilder.anyIdentifier(part));
                }
            }
            return new Unresolved.Star(target);
        }
        return new ExpressionBuilder(text).namedExpression(
            ((RivuletSqlParser.SelectExpressionContext) item).namedExpression());
    }

    /**
     * Parses a duration as Spark's {@code window()} and {@code withWatermark} take it: {@code "10 minutes"},
     * {@code "1 hour 30 minutes"}, {@code "INTERVAL 5 SECONDS"}; units from microsecond to week.
     *
     * @param text the duration.
     * @return its length in microseconds.
     * @throws ParseException if it does not parse or uses months or years.
     */
    public static long parseIntervalMicros(String text) {
        return new ExpressionBuilder(text).intervalMicros(parser(text).singleInterval().intervalBody());
    }

    static RivuletSqlParser parser(String text) {
        Objects.requireNonNull(text, "text");
        ThrowingErrorListener errors = new ThrowingErrorListener(text);
        RivuletSqlLexer lexer = new RivuletSqlLexer(CharStreams.fromString(text));
        lexer.removeErrorListeners();
        lexer.addErrorListener(errors);
        RivuletSqlParser parser = new RivuletSqlParser(new CommonTokenStream(lexer));
        parser.removeErrorListeners();
        parser.addErrorListener(errors);
        return parser;
    }
}
