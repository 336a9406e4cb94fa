package io.rivulet.engine.sql.parser;

import io.rivulet.engine.sql.ParseException;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;

/**
 * Turns the first syntax error the lexer or parser reports into a {@link ParseException} naming the offending
 * token and its position, instead of ANTLR's default of printing to the console and recovering.
 * Stateless apart from the text parsed; one per parse.
 */
final class ThrowingErrorListener extends BaseErrorListener {
    private final String command;

    ThrowingErrorListener(String command) {
        this.command = command;
    }

    @Override
    public void syntaxError(Recognizer<?, ?> recognizer, Object offendingSymbol, int line, int charPositionInLine,
                            String msg, RecognitionException e) {
        String near;
        int offset;
        if (offendingSymbol instanceof Token token) {
            near = token.getType() == Token.EOF ? "end of input" : "'" + token.getText() + "'";
            offset = token.getType() == Token.EOF ? command.length() : token.getStartIndex();
        } else {
            near = "position " + charPositionInLine;
            offset = Math.max(0, offsetOf(line, charPositionInLine));
        }
        throw new ParseException(
            "Syntax error at or near " + near + " (line " + line + ", pos " + charPositionInLine + ") in \""
                + command + "\": " + msg,
            command, line, charPositionInLine, offset);
    }

    private int offsetOf(int line, int positionInLine) {
        int offset = 0;
        for (int l = 1; l < line; l++) {
            offset = command.indexOf('\n', offset) + 1;
        }
        return offset + positionInLine;
    }
}
