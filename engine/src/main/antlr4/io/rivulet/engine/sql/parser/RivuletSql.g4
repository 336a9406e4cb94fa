/*
 * Rivulet's Spark SQL grammar: one combined grammar for everything the structured API parses from a
 * string. Today: data types and table schemas in Spark's DDL ("id INT, ts TIMESTAMP, tags ARRAY<STRING>").
 * Next (issue 13 item 2): expressions (selectExpr, expr, filter("qty > 100")) as further entry rules
 * (singleExpression, namedExpressionSeq) beside the ones below; they reuse the lexer as it stands.
 *
 * Rules of the road for whoever extends it:
 *  - Keywords are case-insensitive (caseInsensitive option); identifiers keep the case written.
 *  - Type names (INT, STRING, DECIMAL, ...) are NOT keywords: a type is an identifier resolved by
 *    io.rivulet.engine.sql.parser.AstBuilder, so a column may be called `date` or `timestamp`, and an
 *    unknown type is reported by name with the list of known ones. Every keyword added must also be added
 *    to nonReserved unless Spark reserves it, or existing schemas with such column names stop parsing.
 *  - There is no '>>' token: nested types close with '>' '>' (ARRAY<ARRAY<INT>>). A shift operator, if
 *    ever needed, is parsed as two GT tokens.
 *  - '<>' is a token (NEQ) for expressions, so the empty struct STRUCT<> is matched as STRUCT NEQ.
 *  - Nothing goes to the console: the driver removes ANTLR's console listener and reports the first
 *    syntax error as a ParseException naming the token and its position.
 */
grammar RivuletSql;

options { caseInsensitive = true; }

// ---------------------------------------------------------------------------------------------------------
// Entry rules: each consumes the whole input.

singleDataType
    : dataType EOF
    ;

singleTableSchema
    : colTypeList EOF
    ;

// ---------------------------------------------------------------------------------------------------------
// Schemas

colTypeList
    : colType (COMMA colType)*
    ;

colType
    : colName=identifier dataType (NOT NULL)? commentSpec?
    ;

commentSpec
    : COMMENT stringLit
    ;

// ---------------------------------------------------------------------------------------------------------
// Data types

dataType
    : ARRAY LT dataType GT                                   #arrayDataType
    | MAP LT dataType COMMA dataType GT                      #mapDataType
    | STRUCT (LT complexColTypeList? GT | NEQ)               #structDataType
    | identifier (LEFT_PAREN INTEGER_VALUE (COMMA INTEGER_VALUE)* RIGHT_PAREN)?   #primitiveDataType
    ;

complexColTypeList
    : complexColType (COMMA complexColType)*
    ;

complexColType
    : identifier COLON? dataType (NOT NULL)? commentSpec?
    ;

// ---------------------------------------------------------------------------------------------------------
// Names and literals

identifier
    : IDENTIFIER                 #unquotedIdentifier
    | BACKQUOTED_IDENTIFIER      #quotedIdentifier
    | nonReserved                #nonReservedIdentifier
    ;

stringLit
    : STRING_LITERAL+
    ;

// Keywords that may still be used as names (Spark's non-ANSI mode reserves none of these).
nonReserved
    : ARRAY | MAP | STRUCT | COMMENT
    ;

// =========================================================================================================
// Lexer

ARRAY: 'ARRAY';
MAP: 'MAP';
STRUCT: 'STRUCT';
COMMENT: 'COMMENT';
NOT: 'NOT';
NULL: 'NULL';

LEFT_PAREN: '(';
RIGHT_PAREN: ')';
COMMA: ',';
DOT: '.';
COLON: ':';
EQ: '=' | '==';
NSEQ: '<=>';
NEQ: '<>';
NEQJ: '!=';
LT: '<';
LTE: '<=';
GT: '>';
GTE: '>=';
PLUS: '+';
MINUS: '-';
ASTERISK: '*';
SLASH: '/';
PERCENT: '%';
CONCAT_PIPE: '||';

STRING_LITERAL
    : '\'' ( ~['\\] | '\\' . )* '\''
    | '"' ( ~["\\] | '\\' . )* '"'
    ;

INTEGER_VALUE
    : DIGIT+
    ;

DECIMAL_VALUE
    : DIGIT+ '.' DIGIT*
    | '.' DIGIT+
    ;

EXPONENT_VALUE
    : (DIGIT+ ('.' DIGIT*)? | '.' DIGIT+) 'E' [+-]? DIGIT+
    ;

IDENTIFIER
    : (LETTER | DIGIT | '_')+
    ;

BACKQUOTED_IDENTIFIER
    : '`' ( ~'`' | '``' )* '`'
    ;

fragment DIGIT
    : [0-9]
    ;

fragment LETTER
    : [A-Z]
    | [\u00C0-\uFFFF]
    ;

SIMPLE_COMMENT
    : '--' ~[\r\n]* -> channel(HIDDEN)
    ;

BRACKETED_COMMENT
    : '/*' .*? '*/' -> channel(HIDDEN)
    ;

WS
    : [ \t\r\n\f]+ -> channel(HIDDEN)
    ;

// Anything else becomes a token of its own, so the parser reports it by position instead of the lexer
// printing a "token recognition error".
UNRECOGNIZED
    : .
    ;
